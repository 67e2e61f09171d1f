import { InMemoryEventStream } from '@switchboard/cluster';
import { eventually } from '@switchboard/cluster/testing';
import type { ClusterEvent, ClusterEventType } from '@switchboard/protocol';
import { Logger } from '@nestjs/common';
import { ClusterEventBus } from './cluster-event-bus';

const at = () => new Date().toISOString();
const reload = (key: string): ClusterEvent => ({
  type: 'reload',
  origin: 'test',
  at: at(),
  target: 'site',
  key,
});

const line = (chatUid: string, sequence: number): ClusterEvent => ({
  type: 'chat.line',
  origin: 'test',
  at: at(),
  line: {
    chatUid,
    sequence,
    sender: 'visitor',
    senderName: 'Ann',
    text: `line ${sequence}`,
    at: at(),
    clientMessageId: null,
  },
});
const state = (chatUid: string, code: string): ClusterEvent => ({
  type: 'chat.state',
  origin: 'test',
  at: at(),
  chatUid,
  state: 'active',
  agentUsername: 'bob',
  agentName: 'Bob',
  previousAgentUsername: null,
  code,
  text: null,
});

/** A promise and the function that settles it. */
function gate() {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

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

  it('retries a failed append in order until the stream takes it: a stalled member drops nothing', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const publishAll = jest.spyOn(stream, 'publishAll');
    publishAll.mockRejectedValueOnce(new Error('member stalled')).mockRejectedValueOnce(new Error('again'));
    const sequences = await Promise.all(['a', 'b', 'c'].map((key) => bus.publish(reload(key))));
    expect(sequences).toEqual([0, 1, 2]);
    const batch = await stream.read(0, { maxCount: 10 });
    expect(batch.records.map((record) => (record.event as { key: string }).key)).toEqual(['a', 'b', 'c']);
    expect(bus.unpublished).toBe(0);
  });

  it('refuses a publish at once while the outbox is full, and publishes what it holds once the stream answers', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const small = new ClusterEventBus(stream, 0, 100, 2);
    let recover = (): void => undefined;
    const recovered = new Promise<void>((resolve) => (recover = resolve));
    const publishAll = jest.spyOn(stream, 'publishAll');
    publishAll.mockImplementationOnce(() => recovered.then(() => Promise.reject(new Error('no member'))));
    const first = small.publish(reload('a'));
    const second = small.publish(reload('b'));
    await expect(small.publish(reload('c'))).rejects.toThrow('outbox full');
    recover();
    await expect(Promise.all([first, second])).resolves.toEqual([0, 1]);
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

  describe('handlers that wait (onQueued) run off the read loop, per chat in order', () => {
    it("does not hold chat B's lines while chat A's queued handler waits on I/O", async () => {
      const database = gate();
      const delivered: string[] = [];
      let stateHandled = false;
      bus.onQueued('chat.state', async () => {
        await database.opened;
        stateHandled = true;
      });
      bus.on('chat.line', (event) => void delivered.push(`${event.line.chatUid}:${event.line.sequence}`));
      await bus.publish(state('chat-a', 'OP'));
      await bus.publish(line('chat-b', 1));
      await bus.publish(line('chat-a', 1));
      await eventually('both lines delivered', () => delivered.length === 2);
      expect(delivered).toEqual(['chat-b:1', 'chat-a:1']);
      expect(stateHandled).toBe(false);
      database.open();
      await eventually('the state handled once its read ended', () => stateHandled);
    });

    it("handles one chat's events in stream order, each after the previous one finished", async () => {
      const handled: string[] = [];
      const first = gate();
      bus.onQueued('chat.state', async (event) => {
        if (event.code === 'OP') await first.opened;
        handled.push(`${event.chatUid}:${event.code}`);
      });
      bus.onQueued('chat.line', async (event) => {
        await Promise.resolve();
        handled.push(`${event.line.chatUid}:line ${event.line.sequence}`);
      });
      for (const event of [
        state('chat-a', 'OP'),
        line('chat-a', 1),
        state('chat-b', 'OP2'),
        state('chat-a', 'TFER'),
        line('chat-a', 2),
      ])
        await bus.publish(event);
      await eventually('chat B handled while chat A waits', () => handled.includes('chat-b:OP2'));
      expect(handled).toEqual(['chat-b:OP2']);
      first.open();
      await eventually('every event handled', () => handled.length === 5);
      expect(handled.filter((entry) => entry.startsWith('chat-a'))).toEqual([
        'chat-a:OP',
        'chat-a:line 1',
        'chat-a:TFER',
        'chat-a:line 2',
      ]);
    });

    it('logs a failing handler, and the other handlers and the next events still run', async () => {
      const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const handled: string[] = [];
      bus.on('chat.line', () => {
        throw new Error('emit failed');
      });
      bus.onQueued('chat.line', (event) =>
        event.line.sequence === 1 ? Promise.reject(new Error('database down')) : Promise.resolve(),
      );
      bus.on('chat.line', (event) => void handled.push(`hot ${event.line.sequence}`));
      bus.onQueued('chat.line', (event) => {
        handled.push(`queued ${event.line.sequence}`);
        return Promise.resolve();
      });
      await bus.publish(line('chat-a', 1));
      await bus.publish(line('chat-a', 2));
      await eventually('both lines handled by both healthy handlers', () => handled.length === 4);
      expect([...handled].sort()).toEqual(['hot 1', 'hot 2', 'queued 1', 'queued 2']);
      await eventually('both failures logged', () => errors.mock.calls.length === 3);
      expect(errors.mock.calls.map(([message]) => String(message))).toEqual(
        expect.arrayContaining([
          expect.stringContaining('emit failed'),
          expect.stringContaining('database down'),
        ]) as unknown,
      );
      errors.mockRestore();
    });

    it('finishes the queued handlers before stop() resolves', async () => {
      const database = gate();
      let handled = false;
      bus.onQueued('chat.state', async () => {
        await database.opened;
        handled = true;
      });
      let started = false;
      bus.on('chat.state', () => (started = true));
      await bus.publish(state('chat-a', 'OP'));
      await eventually('the event read', () => started);
      const stopped = bus.stop().then(() => handled);
      setTimeout(() => database.open(), 20);
      expect(await stopped).toBe(true);
    });

    it('holds the reader back while the queue is full, and reads on as work finishes', async () => {
      await bus.stop();
      bus = new ClusterEventBus(stream, 0, 1);
      await bus.start();
      const database = gate();
      const read: number[] = [];
      bus.on('chat.line', (event) => void read.push(event.line.sequence));
      bus.onQueued('chat.line', () => database.opened);
      await bus.publish(line('chat-a', 1));
      await bus.publish(line('chat-b', 1));
      await eventually('the first line read', () => read.length === 1);
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(read).toEqual([1]);
      database.open();
      await eventually('the second line read once the queue had room', () => read.length === 2);
    });
  });
});
