import { InMemoryCounters } from '@switchboard/cluster';
import { Metrics } from '@switchboard/platform';
import { COUNTERS_REFRESH_MS, RoutingCounters } from './routing-counters';

describe('RoutingCounters', () => {
  it('writes queue lengths and open chats to CHATCOUNTERS and the gauge, zeroing a queue that emptied', async () => {
    const counters = new InMemoryCounters();
    const metrics = new Metrics({ service: 'routing', node: 'test' });
    const routing = new RoutingCounters(counters, metrics);
    await routing.write(
      new Map([
        ['sales', 3],
        [null, 1],
      ]),
      new Map([['anna', 2]]),
      0,
    );
    expect(Object.fromEntries(await counters.entries())).toEqual({
      'queue:sales': 3,
      'queue:*': 1,
      'agent:anna:open': 2,
    });
    expect((await metrics.expose()).body).toMatch(/switchboard_routing_queue_length\{skill="sales"[^}]*\} 3/);
    await routing.write(new Map([[null, 1]]), new Map([['anna', 1]]), 1000);
    expect(Object.fromEntries(await counters.entries())).toEqual({
      'queue:sales': 0,
      'queue:*': 1,
      'agent:anna:open': 1,
    });
  });

  it('rewrites an entry the cluster lost within COUNTERS_REFRESH_MS', async () => {
    const counters = new InMemoryCounters();
    const routing = new RoutingCounters(counters, new Metrics({ service: 'routing', node: 'test' }));
    await routing.write(new Map([['sales', 2]]), new Map(), 0);
    await counters.delete('queue:sales');
    await routing.write(new Map([['sales', 2]]), new Map(), 1000);
    expect(await counters.get('queue:sales')).toBeUndefined();
    await routing.write(new Map([['sales', 2]]), new Map(), COUNTERS_REFRESH_MS);
    expect(await counters.get('queue:sales')).toBe(2);
  });
});
