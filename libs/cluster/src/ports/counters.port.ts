export interface IncrementOptions {
  /** The value never goes below this; an increment that would is refused. */
  readonly floor?: number;
  /** The value never goes above this; an increment that would is refused. */
  readonly ceiling?: number;
  /** Time to live of the entry after this write; omitted keeps the map's default TTL. */
  readonly ttlMs?: number;
}

export interface IncrementResult {
  /** False when the floor or the ceiling refused the change. */
  readonly applied: boolean;
  /** The value after the call (unchanged when refused). */
  readonly value: number;
}

/**
 * Live counters (the `CHATCOUNTERS` map): may be lost on a member loss and are rebuilt from the
 * database, so they never decide an invariant on their own.
 */
export abstract class Counters {
  /** The current value, or undefined when the key is absent (or expired). */
  abstract get(key: string): Promise<number | undefined>;
  /** Atomically adds `delta` (negative to decrement), refusing to cross the floor or ceiling. Absent = 0. */
  abstract increment(key: string, delta: number, options?: IncrementOptions): Promise<IncrementResult>;
  /** Sets `next` only if the current value is `expected` (undefined = absent). */
  abstract compareAndSet(
    key: string,
    expected: number | undefined,
    next: number,
    ttlMs?: number,
  ): Promise<boolean>;
  /** Unconditional write (used when rebuilding from the database). */
  abstract set(key: string, value: number, ttlMs?: number): Promise<void>;
  abstract delete(key: string): Promise<void>;
  /** All entries whose key starts with `prefix`. */
  abstract entries(prefix?: string): Promise<ReadonlyMap<string, number>>;
}
