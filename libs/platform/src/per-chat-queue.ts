const ignore = (): void => undefined;

/**
 * Runs work one piece after another per chat, in the order it was given, and different chats at the
 * same time. A failed piece does not stop the chat's next one; its caller gets the failure.
 * Bounded: `whenRoom()` resolves once fewer than `limit` pieces are queued or running, so a producer
 * (the cluster stream's reader) waits instead of letting the queue grow without end.
 */
export class PerChatQueue {
  /** Per chat, the end of its last piece of work (never rejects). */
  private readonly tails = new Map<string, Promise<void>>();
  private pending = 0;
  private readonly waitingForRoom: Array<() => void> = [];

  /** @param limit pieces of work queued or running at once above which `whenRoom()` waits. */
  constructor(private readonly limit = Number.POSITIVE_INFINITY) {}

  /** Queues `work` after the chat's earlier work; resolves or rejects as the work does. */
  run(chatUid: string, work: () => Promise<void>): Promise<void> {
    this.pending += 1;
    const current = (this.tails.get(chatUid) ?? Promise.resolve()).then(work);
    const tail: Promise<void> = current.then(ignore, ignore).then(() => {
      this.pending -= 1;
      if (this.tails.get(chatUid) === tail) this.tails.delete(chatUid);
      if (this.pending < this.limit) this.waitingForRoom.shift()?.();
    });
    this.tails.set(chatUid, tail);
    return current;
  }

  /** Resolves at once while the queue holds fewer than `limit` pieces, else when one finishes. */
  whenRoom(): Promise<void> {
    if (this.pending < this.limit) return Promise.resolve();
    return new Promise((resolve) => this.waitingForRoom.push(resolve));
  }

  /** Resolves when every piece of work queued so far, and any queued meanwhile, has finished. */
  async drain(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  /** Chats with work queued or running. */
  get busyChats(): number {
    return this.tails.size;
  }

  /** Pieces of work queued or running. */
  get size(): number {
    return this.pending;
  }
}
