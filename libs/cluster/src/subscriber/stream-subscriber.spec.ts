import { InMemoryEventStream } from '../in-memory/in-memory-event-stream.adapter';
import type { StreamBatch, StreamReadOptions } from '../ports/event-stream.port';
import { eventually, silentLogger } from '../testing/contract-helpers';
import { StreamSubscriber } from './stream-subscriber';
import type { StreamSubscriberOptions } from './stream-subscriber';

/** A stream whose first `failures` reads fail, like a member that is briefly unreachable. */
class FlakyStream extends InMemoryEventStream<number> {
  constructor(private failures: number) {
    super();
  }

  override read(fromSequence: number, options?: StreamReadOptions): Promise<StreamBatch<number>> {
    if (this.failures > 0) {
      this.failures -= 1;
      return Promise.reject(new Error('member unreachable'));
    }
    return super.read(fromSequence, options);
  }
}

function subscribe(
  options: Partial<StreamSubscriberOptions<number>> & { stream: InMemoryEventStream<number> },
) {
  const delivered: number[] = [];
  const subscriber = new StreamSubscriber<number>({
    fromSequence: 0,
    handle: (record) => Promise.resolve(void delivered.push(record.event)),
    onStale: () => Promise.reject(new Error('unexpected stale')),
    waitMs: 50,
    backoff: { initialMs: 1, maxMs: 5 },
    logger: silentLogger,
    ...options,
  });
  return { delivered, subscriber: subscriber.start() };
}

describe('StreamSubscriber', () => {
  it('delivers records in order across batches and tracks its position', async () => {
    const stream = new InMemoryEventStream<number>();
    await stream.publishAll([1, 2, 3, 4, 5]);
    const { delivered, subscriber } = subscribe({ stream, batchSize: 2 });
    await eventually('all five records', () => delivered.length === 5);
    await subscriber.stop();
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
    expect(subscriber.position).toBe(5);
  });

  it('pauses after a partial batch, so events that arrive meanwhile come in one read', async () => {
    const stream = new InMemoryEventStream<number>();
    const read = jest.spyOn(stream, 'read');
    await stream.publishAll([1]);
    const { delivered, subscriber } = subscribe({ stream, batchSize: 10, pauseAfterPartialBatchMs: 300 });
    await eventually('the first record', () => delivered.length === 1);
    const readsBefore = read.mock.calls.length;
    for (const event of [2, 3, 4, 5]) await stream.publishAll([event]);
    await eventually('the next four records', () => delivered.length === 5);
    await subscriber.stop();
    expect(delivered).toEqual([1, 2, 3, 4, 5]);
    expect(read.mock.calls.length - readsBefore).toBe(1);
  });

  it('stops at once while pausing', async () => {
    const stream = new InMemoryEventStream<number>();
    const { subscriber } = subscribe({ stream, pauseAfterPartialBatchMs: 600_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stopping = Date.now();
    await subscriber.stop();
    expect(Date.now() - stopping).toBeLessThan(1000);
  });

  it('retries a record whose handler failed instead of skipping it', async () => {
    const stream = new InMemoryEventStream<number>();
    await stream.publishAll([1, 2, 3]);
    const attempts: number[] = [];
    let failed = false;
    const { subscriber } = subscribe({
      stream,
      handle: (record) => {
        attempts.push(record.event);
        if (record.event === 2 && !failed) {
          failed = true;
          return Promise.reject(new Error('database busy'));
        }
        return Promise.resolve();
      },
    });
    await eventually('the last record', () => attempts.at(-1) === 3);
    await subscriber.stop();
    expect(attempts).toEqual([1, 2, 2, 3]);
  });

  it('backs off and logs after failed reads, then delivers', async () => {
    const warnings: string[] = [];
    const stream = new FlakyStream(2);
    await stream.publish(1);
    const { delivered, subscriber } = subscribe({
      stream,
      logger: { ...silentLogger, warn: (m) => warnings.push(m) },
    });
    await eventually('the record', () => delivered.length === 1);
    await subscriber.stop();
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('member unreachable');
  });

  it('stop() resolves while a read is still waiting for events', async () => {
    const { subscriber } = subscribe({ stream: new InMemoryEventStream<number>(), waitMs: 600_000 });
    await new Promise((wake) => setTimeout(wake, 20));
    await expect(subscriber.stop()).resolves.toBeUndefined();
  });
});
