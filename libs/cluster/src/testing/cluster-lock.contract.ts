import type { ContractClients } from './cluster-contract';
import { EXPIRY_MARGIN_MS, SHORT_TTL_MS, range } from './contract-helpers';

const LONG_LEASE = { leaseMs: 60_000 };

export function clusterLockContract(clients: () => ContractClients): void {
  it('is exclusive across clients and within one client until released', async () => {
    const { a, b } = clients();
    const held = await a.lock.tryAcquire('chat:1', LONG_LEASE);
    expect(held).toBeDefined();
    expect(await b.lock.tryAcquire('chat:1', LONG_LEASE)).toBeUndefined();
    expect(await a.lock.tryAcquire('chat:1', LONG_LEASE)).toBeUndefined();
    await held!.release();
    const next = await b.lock.tryAcquire('chat:1', LONG_LEASE);
    expect(next).toBeDefined();
    await next!.release();
  });

  it('grants one of many concurrent attempts', async () => {
    const { a, b } = clients();
    const handles = await Promise.all(
      range(0, 10).map((index) => (index % 2 === 0 ? a : b).lock.tryAcquire('chat:2', LONG_LEASE)),
    );
    expect(handles.filter((handle) => handle !== undefined)).toHaveLength(1);
  });

  it('a waiting attempt gets the lock when the holder releases it', async () => {
    const { a, b } = clients();
    const held = await a.lock.tryAcquire('chat:3', LONG_LEASE);
    const waiting = b.lock.tryAcquire('chat:3', { ...LONG_LEASE, waitMs: 30_000 });
    await held!.release();
    expect(await waiting).toBeDefined();
  });

  it('frees itself when the lease ends; the old holder release then leaves the new holder alone', async () => {
    const { a, b } = clients();
    const expired = await a.lock.tryAcquire('chat:4', { leaseMs: SHORT_TTL_MS });
    const next = await b.lock.tryAcquire('chat:4', {
      ...LONG_LEASE,
      waitMs: SHORT_TTL_MS + EXPIRY_MARGIN_MS * 5,
    });
    expect(next).toBeDefined();
    await expired!.release();
    expect(await a.lock.tryAcquire('chat:4', LONG_LEASE)).toBeUndefined();
  });
}
