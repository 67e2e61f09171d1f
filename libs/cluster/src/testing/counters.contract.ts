import type { ContractClients } from './cluster-contract';
import { EXPIRY_MARGIN_MS, SHORT_TTL_MS, range, sleepMs } from './contract-helpers';

export function countersContract(clients: () => ContractClients): void {
  it('sets, gets, deletes and lists entries by prefix', async () => {
    const { a, b } = clients();
    await a.counters.set('agent:1', 3);
    await a.counters.set('agent:2', 4);
    await a.counters.set('queue:1', 5);
    await b.counters.delete('agent:2');
    expect(await b.counters.get('agent:1')).toBe(3);
    expect(await b.counters.get('agent:2')).toBeUndefined();
    expect(await b.counters.entries('agent:')).toEqual(new Map([['agent:1', 3]]));
  });

  it('200 concurrent increments from two clients stop exactly at a ceiling of 50', async () => {
    const { a, b } = clients();
    const results = await Promise.all(
      range(0, 200).map((index) => (index % 2 === 0 ? a : b).counters.increment('open', 1, { ceiling: 50 })),
    );
    const appliedValues = results.filter((result) => result.applied).map((result) => result.value);
    // Each applied increment saw a distinct value: none was lost, none passed the ceiling.
    expect(appliedValues.sort((left, right) => left - right)).toEqual(range(1, 50));
    expect(await a.counters.get('open')).toBe(50);
  });

  it('refuses a decrement below the floor and leaves the value unchanged', async () => {
    const { a } = clients();
    await a.counters.set('open', 1);
    expect(await a.counters.increment('open', -1, { floor: 0 })).toEqual({ applied: true, value: 0 });
    expect(await a.counters.increment('open', -1, { floor: 0 })).toEqual({ applied: false, value: 0 });
    expect(await a.counters.get('open')).toBe(0);
  });

  it('treats an absent key as 0 when incrementing', async () => {
    const { a } = clients();
    expect(await a.counters.increment('absent', 2)).toEqual({ applied: true, value: 2 });
  });

  it('compareAndSet writes only when the current value is the expected one', async () => {
    const { a, b } = clients();
    expect(await a.counters.compareAndSet('key', undefined, 1)).toBe(true);
    expect(await b.counters.compareAndSet('key', undefined, 2)).toBe(false);
    expect(await b.counters.compareAndSet('key', 5, 2)).toBe(false);
    expect(await b.counters.compareAndSet('key', 1, 2)).toBe(true);
    expect(await a.counters.get('key')).toBe(2);
  });

  it('entries written with a TTL by set, increment and compareAndSet expire; others stay', async () => {
    const { a } = clients();
    await a.counters.set('set', 1, SHORT_TTL_MS);
    await a.counters.increment('increment', 1, { ttlMs: SHORT_TTL_MS });
    await a.counters.set('replaced', 1);
    await a.counters.compareAndSet('replaced', 1, 2, SHORT_TTL_MS);
    await a.counters.set('kept', 1);
    await sleepMs(SHORT_TTL_MS + EXPIRY_MARGIN_MS);
    expect(await a.counters.entries()).toEqual(new Map([['kept', 1]]));
  });
}
