/**
 * How a delay is spread: `none` (exactly the capped exponential delay), `full` (anywhere from 0 to it)
 * or `equal` (from half of it to all of it, so a retry never comes much sooner than planned).
 */
export type Jitter = 'none' | 'full' | 'equal';

export interface BackoffOptions {
  /**
   * Delay after the first failure.
   * @default 100
   */
  readonly initialMs?: number;
  /**
   * Longest delay, however many failures in a row (the cap applies before the jitter).
   * @default 5000
   */
  readonly maxMs?: number;
  /**
   * How the delay is spread, so that many retrying callers do not come back in lockstep.
   * @default 'none'
   */
  readonly jitter?: Jitter;
}

/**
 * The one retry delay of Switchboard: exponential from `initialMs` after the first failure (`failures`
 * = 1), doubled per further failure, capped at `maxMs`, then spread by `jitter`.
 */
export function backoffDelay(
  failures: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const { initialMs = 100, maxMs = 5000, jitter = 'none' } = options;
  const capped = Math.min(maxMs, initialMs * 2 ** Math.max(0, failures - 1));
  switch (jitter) {
    case 'none':
      return capped;
    case 'full':
      return capped * random();
    case 'equal':
      return capped * (0.5 + random() / 2);
  }
}
