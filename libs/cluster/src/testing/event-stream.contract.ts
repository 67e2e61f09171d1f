import { StaleSequenceError } from '../ports/event-stream.port';
import { StreamSubscriber } from '../subscriber/stream-subscriber';
import type { ContractClients } from './cluster-contract';
import { eventually, range, silentLogger, sleepMs } from './contract-helpers';

const ids = (records: readonly { readonly event: { readonly id: number } }[]): number[] =>
  records.map((record) => record.event.id);

export function eventStreamContract(clients: () => ContractClients, ringCapacity: number): void {
  it('an empty stream has its tail just before its head and reads nothing', async () => {
    const { a } = clients();
    const head = await a.eventStream.headSequence();
    expect(await a.eventStream.tailSequence()).toBe(head - 1);
    expect(await a.eventStream.read(head)).toEqual({ records: [], nextSequence: head });
  });

  it('delivers events to another client in publish order, at consecutive sequences', async () => {
    const { a, b } = clients();
    const sequences = [];
    for (const id of [1, 2, 3]) {
      sequences.push(await a.eventStream.publish({ id }));
    }
    const batch = await b.eventStream.read(sequences[0]);
    expect(batch.records.map((record) => record.sequence)).toEqual(range(sequences[0], 3));
    expect(ids(batch.records)).toEqual([1, 2, 3]);
    expect(batch.nextSequence).toBe(sequences[0] + 3);
  });

  it('publishes a batch in order and reads it back in batches of maxCount', async () => {
    const { a, b } = clients();
    const last = await a.eventStream.publishAll(range(1, 5).map((id) => ({ id })));
    const first = await b.eventStream.read(last - 4, { maxCount: 3 });
    const rest = await b.eventStream.read(first.nextSequence, { maxCount: 3 });
    expect([ids(first.records), ids(rest.records)]).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('a read with waitMs resolves when another client publishes', async () => {
    const { a, b } = clients();
    const from = (await b.eventStream.tailSequence()) + 1;
    const reading = b.eventStream.read(from, { waitMs: 30_000 });
    await sleepMs(200);
    await a.eventStream.publish({ id: 7 });
    expect(ids((await reading).records)).toEqual([7]);
  });

  it('a read with waitMs returns an empty batch when nothing is published', async () => {
    const { b } = clients();
    const from = (await b.eventStream.tailSequence()) + 1;
    expect(await b.eventStream.read(from, { waitMs: 300 })).toEqual({ records: [], nextSequence: from });
  });

  it('a reader that fell behind the ring gets StaleSequenceError with the new head', async () => {
    const { a, b } = clients();
    const first = await a.eventStream.publish({ id: 0 });
    await a.eventStream.publishAll(range(1, ringCapacity).map((id) => ({ id })));
    const error: unknown = await b.eventStream.read(first).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StaleSequenceError);
    expect((error as StaleSequenceError).headSequence).toBe(await b.eventStream.headSequence());
  });

  it('a read past the tail (the ring was recreated under the reader) gets StaleSequenceError', async () => {
    const { b } = clients();
    const tail = await b.eventStream.tailSequence();
    const error: unknown = await b.eventStream.read(tail + 50).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StaleSequenceError);
  });

  it('a StreamSubscriber that fell behind resyncs once, then delivers what was published from the resync on', async () => {
    const { a, b } = clients();
    const start = await a.eventStream.publish({ id: 0 });
    await a.eventStream.publishAll(range(1, ringCapacity + 9).map((id) => ({ id })));
    const head = await b.eventStream.headSequence();
    const delivered: number[] = [];
    const staleHeads: number[] = [];
    const subscriber = new StreamSubscriber({
      stream: b.eventStream,
      fromSequence: start,
      handle: (record) => Promise.resolve(void delivered.push(record.event.id)),
      onStale: async (headSequence) => {
        staleHeads.push(headSequence);
        // A slow resync: meanwhile events arrive and overwrite the head it was told about.
        if (staleHeads.length === 1) {
          await a.eventStream.publishAll(range(10_000, 50).map((id) => ({ id })));
        }
      },
      waitMs: 200,
      logger: silentLogger,
    }).start();
    await eventually('the events published during the resync', () => delivered.length >= 50);
    await a.eventStream.publish({ id: 9999 });
    await eventually('the event published after the resync', () => delivered.includes(9999));
    await subscriber.stop();
    expect(staleHeads).toEqual([head]);
    // What the ring held before the resync is in the database it read; nothing after is skipped.
    expect(delivered).toEqual([...range(10_000, 50), 9999]);
  });
}
