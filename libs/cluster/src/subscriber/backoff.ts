export interface BackoffOptions {
  /**
   * Delay after the first failure.
   * @default 100
   */
  readonly initialMs?: number;
  /**
   * Longest delay, however many failures in a row.
   * @default 5000
   */
  readonly maxMs?: number;
}

/** Exponential delay before the next attempt after `failures` consecutive failures (1 = the first). */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const { initialMs = 100, maxMs = 5000 } = options;
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
}
