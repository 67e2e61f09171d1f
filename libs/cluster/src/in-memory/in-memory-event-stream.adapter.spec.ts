import { StaleSequenceError } from '../ports/event-stream.port';
import { InMemoryEventStream } from './in-memory-event-stream.adapter';

describe('InMemoryEventStream', () => {
  it('keeps only the last `capacity` events', async () => {
    const stream = new InMemoryEventStream<number>({ capacity: 3 });
    await stream.publishAll([1, 2, 3, 4, 5]);
    expect([await stream.headSequence(), await stream.tailSequence()]).toEqual([2, 4]);
    expect((await stream.read(2)).records.map((record) => record.event)).toEqual([3, 4, 5]);
  });

  it('drops events older than the TTL, so a reader of them is stale', async () => {
    const stream = new InMemoryEventStream<number>({ ttlMs: 50 });
    await stream.publish(1);
    await new Promise((wake) => setTimeout(wake, 100));
    await expect(stream.read(0)).rejects.toEqual(new StaleSequenceError(0, 1));
  });

  it('refuses maxCount above the Hazelcast limit of 1000; a read beyond the tail is stale', async () => {
    const stream = new InMemoryEventStream<number>();
    await expect(stream.read(0, { maxCount: 1001 })).rejects.toBeInstanceOf(RangeError);
    await expect(stream.read(1)).rejects.toBeInstanceOf(StaleSequenceError);
  });

  it('stores copies: changing a published object does not change the stream', async () => {
    const stream = new InMemoryEventStream<{ text: string }>();
    const event = { text: 'hello' };
    await stream.publish(event);
    event.text = 'changed';
    expect((await stream.read(0)).records[0].event).toEqual({ text: 'hello' });
  });
});
