import type { IMap } from 'hazelcast-client';
import { ClusterLock } from '../ports/cluster-lock.port';
import type { LockHandle, LockOptions } from '../ports/cluster-lock.port';
import type { ClusterLogger } from '../shared/cluster-logger';
import { LeaseTable } from '../shared/lease-table';
import type { HazelcastConnection } from './hazelcast-connection';

export interface HazelcastClusterLockOptions {
  /**
   * Map whose key locks are used; no entries are ever written to it.
   * @default 'CHATLOCKS'
   */
  readonly name?: string;
  /**
   * Told when a release finds the lock already gone (lease expired, member lost).
   * @default console
   */
  readonly logger?: ClusterLogger;
}

// Hazelcast key locks are reentrant per client, so callers sharing a connection are kept exclusive here.
const localLeasesByConnection = new WeakMap<HazelcastConnection, LeaseTable>();

function localLeasesOf(connection: HazelcastConnection): LeaseTable {
  const leases = localLeasesByConnection.get(connection) ?? new LeaseTable();
  localLeasesByConnection.set(connection, leases);
  return leases;
}

/**
 * Leased locks on IMap key locks (`tryLock` with a lease), not the CP subsystem's FencedLock,
 * which is Enterprise-only.
 */
export class HazelcastClusterLock extends ClusterLock {
  private readonly name: string;
  private readonly logger: ClusterLogger;
  private readonly localLeases: LeaseTable;

  constructor(
    private readonly connection: HazelcastConnection,
    options: HazelcastClusterLockOptions = {},
  ) {
    super();
    this.name = options.name ?? 'CHATLOCKS';
    this.logger = options.logger ?? console;
    this.localLeases = localLeasesOf(connection);
  }

  async tryAcquire(name: string, options: LockOptions): Promise<LockHandle | undefined> {
    const waitMs = options.waitMs ?? 0;
    const deadline = Date.now() + waitMs;
    // Held locally for the whole wait too, until the member answers.
    const token = await this.localLeases.takeWithin(this.leaseKey(name), waitMs + options.leaseMs, waitMs);
    if (token === undefined) {
      return undefined;
    }
    const map = await this.map();
    let acquired = false;
    try {
      acquired = await map.tryLock(name, Math.max(0, deadline - Date.now()), options.leaseMs);
    } finally {
      if (!acquired) {
        this.localLeases.release(this.leaseKey(name), token);
      }
    }
    if (!acquired) {
      return undefined;
    }
    this.localLeases.renew(this.leaseKey(name), token, options.leaseMs);
    return { name, release: () => this.release(map, name, token) };
  }

  private async release(map: IMap<string, never>, name: string, token: symbol): Promise<void> {
    if (!this.localLeases.release(this.leaseKey(name), token)) {
      return;
    }
    try {
      await map.unlock(name);
    } catch (error) {
      this.logger.warn(`lock ${name} was already released on the cluster: ${String(error)}`);
    }
  }

  private leaseKey(name: string): string {
    return `${this.name}/${name}`;
  }

  private map(): Promise<IMap<string, never>> {
    return this.connection.map<string, never>(this.name);
  }
}
