/** How often "still typing" is repeated, and how long after the last keystroke "stopped" is sent. */
export const TYPING_TIMING = { repeatMs: 3000, idleMs: 2500 };

/**
 * Turns keystrokes into few typing notices: `true` on the first keystroke (repeated at most every
 * repeatMs while typing goes on), `false` after idleMs without one, or at once on `stop()` (sent).
 */
export class TypingSignal {
  private lastSentAt = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly notify: (typing: boolean) => void,
    private readonly timing = TYPING_TIMING,
    private readonly now: () => number = Date.now,
  ) {}

  keystroke(): void {
    if (this.idleTimer === undefined || this.now() - this.lastSentAt >= this.timing.repeatMs) {
      this.lastSentAt = this.now();
      this.notify(true);
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), this.timing.idleMs);
  }

  stop(): void {
    if (this.idleTimer === undefined) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.notify(false);
  }
}
