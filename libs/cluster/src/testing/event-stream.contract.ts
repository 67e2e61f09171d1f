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

  it('a StreamSubscriber that fell behind calls onStale with the head, then delivers from the head on', async () => {
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
      onStale: (headSequence) => Promise.resolve(void staleHeads.push(headSequence)),
      waitMs: 200,
      logger: silentLogger,
    }).start();
    // Published only once delivery resumed from the head, so it cannot push the head on before that.
    await eventually('delivery from the head', () => delivered.length > 0);
    await a.eventStream.publish({ id: 9999 });
    await eventually('the event published after start', () => delivered.at(-1) === 9999);
    await subscriber.stop();
    expect(staleHeads).toEqual([head]);
    // The event with id n was stored at sequence start + n.
    expect(delivered).toEqual([...range(head - start, ringCapacity + 10 - (head - start)), 9999]);
  });
}
