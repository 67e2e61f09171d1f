/**
 * Runs work one after another per chat, in the order it was given, and different chats at the
 * same time. A failed piece of work does not stop the chat's next one.
 */
export class PerChatOrder {
  /** Per chat, the end of its last piece of work (never rejects). */
  private readonly tails = new Map<string, Promise<void>>();

  run(chatUid: string, work: () => Promise<void>): Promise<void> {
    const current = (this.tails.get(chatUid) ?? Promise.resolve()).then(work);
    const tail = current.catch(() => undefined);
    this.tails.set(chatUid, tail);
    void tail.then(() => {
      if (this.tails.get(chatUid) === tail) this.tails.delete(chatUid);
    });
    return current;
  }

  /** Chats with work queued or running. */
  get busyChats(): number {
    return this.tails.size;
  }
}
