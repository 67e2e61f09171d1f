export interface LockOptions {
  /** The lock frees itself after this long even if its holder died. */
  readonly leaseMs: number;
  /**
   * How long to wait for the lock before giving up.
   * @default 0
   */
  readonly waitMs?: number;
}

/** A held lock; release is idempotent. */
export interface LockHandle {
  readonly name: string;
  release(): Promise<void>;
}

/**
 * A cluster lock with a lease. note: under a partition Hazelcast may grant it twice, so it only cuts
 * contention; correctness is always decided by the database.
 */
export abstract class ClusterLock {
  /** Resolves to a handle, or undefined when the lock could not be taken within `waitMs`. */
  abstract tryAcquire(name: string, options: LockOptions): Promise<LockHandle | undefined>;
}
