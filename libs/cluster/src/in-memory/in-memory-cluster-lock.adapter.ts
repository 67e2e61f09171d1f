import { ClusterLock } from '../ports/cluster-lock.port';
import type { LockHandle, LockOptions } from '../ports/cluster-lock.port';
import { LeaseTable } from '../shared/lease-table';

/**
 * Leased locks in process memory for the embedded mode and unit tests. Not reentrant: a second
 * `tryAcquire` of a held name waits or fails, whoever calls it.
 */
export class InMemoryClusterLock extends ClusterLock {
  private readonly leases = new LeaseTable();

  async tryAcquire(name: string, options: LockOptions): Promise<LockHandle | undefined> {
    const token = await this.leases.takeWithin(name, options.leaseMs, options.waitMs ?? 0);
    if (token === undefined) {
      return undefined;
    }
    return {
      name,
      release: () => {
        this.leases.release(name, token);
        return Promise.resolve();
      },
    };
  }
}
