import type { ClusterLogger } from '../shared/cluster-logger';

/** TTLs and leases in the contract: short enough for a quick suite. */
export const SHORT_TTL_MS = 1_000;
/** Waiting this long after a SHORT_TTL_MS expiry leaves a generous margin for a busy machine. */
export const EXPIRY_MARGIN_MS = 2_000;

export const silentLogger: ClusterLogger = {
  log: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export function sleepMs(ms: number): Promise<void> {
  return new Promise((wake) => setTimeout(wake, ms));
}

/** `[from, from + count)` */
export function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => from + index);
}

/** Polls until `condition` holds; fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await sleepMs(20);
  }
}
