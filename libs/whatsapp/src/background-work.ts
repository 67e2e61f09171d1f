import type { Logger } from '@nestjs/common';

/**
 * What a connector service does in the background: a periodic sweep (never two at once) and tasks
 * started on events, whose failures are logged (the sweep retries them) and which shutdown awaits.
 */
export class BackgroundWork {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly logger: Logger,
    private readonly sweepOnce: () => Promise<void>,
  ) {}

  /** Sweeps every `intervalMs` from now on (the timer does not keep the process alive). */
  start(intervalMs: number): void {
    this.timer = setInterval(() => void this.sweep(), intervalMs);
    this.timer.unref();
  }

  /** Runs a sweep, or joins the one under way. */
  sweep(): Promise<void> {
    this.sweeping ??= this.sweepOnce().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  /** Runs `work` in the background; a failure is logged and left to the sweep. */
  track(work: Promise<void>): void {
    const tracked = work
      .catch((error: unknown) => this.logger.warn(`deferred to the next sweep: ${String(error)}`))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Resolves when no sweep and no task runs, and `pending()` is false (for tests and shutdown). */
  async idle(pending: () => boolean = () => false): Promise<void> {
    while (this.running.size > 0 || this.sweeping || pending())
      await Promise.all([...this.running, this.sweeping, new Promise((resolve) => setTimeout(resolve, 5))]);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
    await Promise.all([...this.running]);
  }
}
