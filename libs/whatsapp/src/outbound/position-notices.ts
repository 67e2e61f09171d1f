/**
 * Which queue positions a WhatsApp customer is told (each one is a notification on their phone): the
 * first, then a changed position at most once per period (`ACD.Chat.Queue.PositionUpdate.Seconds`).
 * Every connector hears the same `queue.positions` events and so decides alike; the key it returns
 * (one per chat and period, from the event's time) lets the database store one line whichever
 * connector stores it first.
 */
export class PositionNotices {
  private readonly told = new Map<string, { position: number; atMs: number }>();

  /** The period's number (the notice is stored once per chat and period), or null: not told this time. */
  due(chatUid: string, position: number, atMs: number, periodMs: number): string | null {
    const last = this.told.get(chatUid);
    if (last && (last.position === position || atMs - last.atMs < periodMs)) return null;
    this.told.set(chatUid, { position, atMs });
    return String(Math.floor(atMs / periodMs));
  }

  /** The chat left the queue. */
  forget(chatUid: string): void {
    this.told.delete(chatUid);
  }
}
