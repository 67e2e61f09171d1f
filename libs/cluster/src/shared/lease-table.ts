import { sleep } from './sleep';

/** How often a waiting `takeWithin` looks again; leases are short-lived, so polling is enough. */
const POLL_INTERVAL_MS = 25;

interface Lease {
  readonly token: symbol;
  expiresAt: number;
}

/** In-process leases by name: the in-memory lock itself, and the local half of the Hazelcast lock. */
export class LeaseTable {
  private readonly leases = new Map<string, Lease>();

  /** Takes `name` for `leaseMs` when it is free or its lease ran out; returns the holder's token. */
  take(name: string, leaseMs: number): symbol | undefined {
    const lease = this.leases.get(name);
    if (lease !== undefined && lease.expiresAt > Date.now()) {
      return undefined;
    }
    const token = Symbol(name);
    this.leases.set(name, { token, expiresAt: Date.now() + leaseMs });
    return token;
  }

  /** Like `take`, but keeps trying for up to `waitMs`. */
  async takeWithin(name: string, leaseMs: number, waitMs: number): Promise<symbol | undefined> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const token = this.take(name, leaseMs);
      if (token !== undefined || Date.now() >= deadline) {
        return token;
      }
      await sleep(Math.min(POLL_INTERVAL_MS, deadline - Date.now()));
    }
  }

  /** Restarts the lease of the current holder. */
  renew(name: string, token: symbol, leaseMs: number): void {
    const lease = this.leases.get(name);
    if (lease?.token === token) {
      lease.expiresAt = Date.now() + leaseMs;
    }
  }

  /** True when `token` still held `name` (lease not expired, not taken over) and now released it. */
  release(name: string, token: symbol): boolean {
    const lease = this.leases.get(name);
    if (lease?.token !== token) {
      return false;
    }
    this.leases.delete(name);
    return lease.expiresAt > Date.now();
  }
}
