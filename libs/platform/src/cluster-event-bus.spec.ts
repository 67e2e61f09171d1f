import { InMemoryEventStream } from '@switchboard/cluster';
import { eventually } from '@switchboard/cluster/testing';
import type { ClusterEvent, ClusterEventType } from '@switchboard/protocol';
import { ClusterEventBus } from './cluster-event-bus';

const at = () => new Date().toISOString();
const reload = (key: string): ClusterEvent => ({
  type: 'reload',
  origin: 'test',
  at: at(),
  target: 'site',
  key,
});

describe('ClusterEventBus', () => {
  let stream: InMemoryEventStream<unknown>;
  let bus: ClusterEventBus;

  beforeEach(async () => {
    stream = new InMemoryEventStream({ capacity: 1000 });
    bus = new ClusterEventBus(stream);
    await bus.start();
  });

  afterEach(() => bus.stop());

  it('sends events published while one append is on its way together, in order, each with its sequence', async () => {
    const publishAll = jest.spyOn(stream, 'publishAll');
    const sequences = await Promise.all(['a', 'b', 'c', 'd'].map((key) => bus.publish(reload(key))));
    expect(sequences).toEqual([0, 1, 2, 3]);
    // note: the in-memory stream's publish() is a publishAll() of one event.
    const appends = publishAll.mock.calls.map(([events]) =>
      events.map((event) => (event as { key: string }).key),
    );
    expect(appends).toEqual([['a'], ['b', 'c', 'd']]);
  });

  it('validates only events of a type it handles; the delay of every event is observed', async () => {
    const handled: string[] = [];
    const delays: ClusterEventType[] = [];
    bus.on('reload', (event) => void handled.push(event.key ?? ''));
    bus.observeDelays((type, delay) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      delays.push(type);
    });
    const malformedLine = { type: 'chat.line', origin: 'test', at: at(), line: { nonsense: true } };
    await stream.publishAll([malformedLine, { type: 'reload', origin: 'test', at: at(), target: 'nowhere' }]);
    await bus.publish(reload('good'));
    await eventually('three events read', () => delays.length === 3);
    expect(delays).toEqual(['chat.line', 'reload', 'reload']);
    expect(handled).toEqual(['good']);
    expect(bus.position).toBe(3);
  });
});
