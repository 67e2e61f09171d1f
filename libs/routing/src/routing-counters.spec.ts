import { InMemoryCounters } from '@switchboard/cluster';
import { Metrics } from '@switchboard/platform';
import { COUNTERS_REFRESH_MS, RoutingCounters } from './routing-counters';

const newCounters = () => {
  const counters = new InMemoryCounters();
  const metrics = new Metrics({ service: 'routing', node: 'test' });
  return { counters, metrics, routing: new RoutingCounters(counters, metrics) };
};

describe('RoutingCounters', () => {
  it('writes queue lengths per skill and site and open chats to CHATCOUNTERS and the gauge; an emptied queue reads 0', async () => {
    const { counters, metrics, routing } = newCounters();
    await routing.write(
      {
        queues: new Map([
          ['sales', 3],
          [null, 1],
        ]),
        sites: new Map([['demo', 4]]),
        agents: new Map([['anna', 2]]),
      },
      0,
    );
    expect(Object.fromEntries(await counters.entries())).toEqual({
      'queue:sales': 3,
      'queue:*': 1,
      'site:demo:queued': 4,
      'agent:anna:open': 2,
    });
    expect((await metrics.expose()).body).toMatch(/switchboard_routing_queue_length\{skill="sales"[^}]*\} 3/);
    await routing.write(
      { queues: new Map([[null, 1]]), sites: new Map(), agents: new Map([['anna', 1]]) },
      1000,
    );
    expect(Object.fromEntries(await counters.entries())).toEqual({
      'queue:sales': 0,
      'queue:*': 1,
      'site:demo:queued': 0,
      'agent:anna:open': 1,
    });
  });

  it('rewrites an entry the cluster lost within COUNTERS_REFRESH_MS', async () => {
    const { counters, routing } = newCounters();
    const figures = {
      queues: new Map([['sales', 2]]),
      sites: new Map<string, number>(),
      agents: new Map<string, number>(),
    };
    await routing.write(figures, 0);
    await counters.delete('queue:sales');
    await routing.write(figures, 1000);
    expect(await counters.get('queue:sales')).toBeUndefined();
    await routing.write(figures, COUNTERS_REFRESH_MS);
    expect(await counters.get('queue:sales')).toBe(2);
  });
});
