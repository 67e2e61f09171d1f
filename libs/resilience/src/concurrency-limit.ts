import { bulkhead, type BulkheadPolicy } from 'cockatiel';

/**
 * Runs at most `limit` pieces of work at once; the rest wait their turn, first come first served.
 * For CPU-heavy work handed to libuv's thread pool (scrypt): unbounded, a burst takes every pool
 * thread and both cores from the event loop, and everything else on the pool waits behind it.
 */
export class ConcurrencyLimit {
  private readonly policy: BulkheadPolicy;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`limit must be a positive integer (got ${limit})`);
    // note: no queue bound: what waits is a closure per request, and requests are already bounded by
    // the sockets' rate limits; a caller that gave up still runs its turn (its answer is dropped).
    this.policy = bulkhead(limit, Number.POSITIVE_INFINITY);
  }

  /** The work's result, once a slot is free and the work has run in it. */
  run<T>(work: () => Promise<T>): Promise<T> {
    return this.policy.execute(() => work());
  }

  /** How many pieces of work are running now. */
  get running(): number {
    return this.limit - this.policy.executionSlots;
  }
}
