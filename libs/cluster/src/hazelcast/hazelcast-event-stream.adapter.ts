import type { ReadResultSet, Ringbuffer } from 'hazelcast-client';
import { EventStream, StaleSequenceError } from '../ports/event-stream.port';
import type { StreamBatch, StreamReadOptions } from '../ports/event-stream.port';
import { MAX_READ_COUNT, resolveReadOptions } from '../shared/read-options';
import type { HazelcastConnection } from './hazelcast-connection';

export interface HazelcastEventStreamOptions {
  /**
   * Ringbuffer name; its capacity and TTL come from the members' hazelcast.xml.
   * @default 'CHAT'
   */
  readonly name?: string;
}

/** The event stream on a Hazelcast ringbuffer; events are stored as JSON strings. */
export class HazelcastEventStream<TEvent = unknown> extends EventStream<TEvent> {
  private readonly name: string;
  private seenLosses: number;
  /** Blocking reads still parked on a member, shared so an idle poller never stacks them up. */
  private readonly parkedReads = new Map<string, Promise<ReadResultSet<string>>>();

  constructor(
    private readonly connection: HazelcastConnection,
    options: HazelcastEventStreamOptions = {},
  ) {
    super();
    this.name = options.name ?? 'CHAT';
    this.seenLosses = connection.losses;
  }

  async publish(event: TEvent): Promise<number> {
    return (await (await this.ring()).add(JSON.stringify(event))).toNumber();
  }

  async publishAll(events: readonly TEvent[]): Promise<number> {
    if (events.length === 0) {
      return this.tailSequence();
    }
    const ring = await this.ring();
    let last = -1;
    // note: batches of more than MAX_READ_COUNT are written in chunks, each atomic on its own.
    for (let start = 0; start < events.length; start += MAX_READ_COUNT) {
      const chunk = events.slice(start, start + MAX_READ_COUNT).map((event) => JSON.stringify(event));
      last = (await ring.addAll(chunk)).toNumber();
    }
    return last;
  }

  async read(fromSequence: number, options?: StreamReadOptions): Promise<StreamBatch<TEvent>> {
    const { maxCount, waitMs } = resolveReadOptions(options);
    await this.checkContinuity(fromSequence);
    const result =
      waitMs === 0
        ? await (await this.ring()).readMany(fromSequence, 0, maxCount)
        : await this.readWaiting(fromSequence, maxCount, waitMs);
    if (result === undefined || result.size() === 0) {
      await this.checkNotBeyondTail(fromSequence);
      return { records: [], nextSequence: fromSequence };
    }
    // Hazelcast 4+ silently starts a stale readMany at the head instead of failing: detect the skip.
    const firstSequence = result.getNextSequenceToReadFrom().toNumber() - result.getReadCount();
    if (firstSequence > fromSequence) {
      throw new StaleSequenceError(fromSequence, firstSequence);
    }
    return this.toBatch(result);
  }

  async headSequence(): Promise<number> {
    return (await (await this.ring()).headSequence()).toNumber();
  }

  async tailSequence(): Promise<number> {
    return (await (await this.ring()).tailSequence()).toNumber();
  }

  /**
   * note: events published while the client had lost every member were refused, and members that
   * all restarted hold a new, empty ring: either way the reader must resynchronise, once.
   */
  private async checkContinuity(fromSequence: number): Promise<void> {
    const losses = this.connection.losses;
    if (losses === this.seenLosses) return;
    // Reported only once the cluster answers again, so a read failing meanwhile does not consume it.
    const head = await this.headSequence();
    this.seenLosses = losses;
    throw new StaleSequenceError(fromSequence, head);
  }

  /**
   * A sequence past the tail means the ring was recreated (every member restarted): stale too.
   * note: Hazelcast answers such a read with nothing (or parks it) rather than failing.
   */
  private async checkNotBeyondTail(fromSequence: number): Promise<void> {
    const tail = await this.tailSequence();
    if (fromSequence > tail + 1) {
      throw new StaleSequenceError(fromSequence, await this.headSequence());
    }
  }

  /** `readMany` with minCount 1 blocks on the member; undefined when nothing came within `waitMs`. */
  private async readWaiting(
    fromSequence: number,
    maxCount: number,
    waitMs: number,
  ): Promise<ReadResultSet<string> | undefined> {
    const ring = await this.ring();
    const key = `${fromSequence}/${maxCount}`;
    let parked = this.parkedReads.get(key);
    if (parked === undefined) {
      parked = ring.readMany(fromSequence, 1, maxCount);
      this.parkedReads.set(key, parked);
      const forget = (): void => void this.parkedReads.delete(key);
      // A read abandoned by its timeout may still fail later (e.g. at shutdown): nobody awaits it then.
      parked.then(forget, forget);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>(
      (resolve) => (timer = setTimeout(() => resolve(undefined), waitMs)),
    );
    try {
      return await Promise.race([parked, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private ring(): Promise<Ringbuffer<string>> {
    return this.connection.ringbuffer<string>(this.name);
  }

  private toBatch(result: ReadResultSet<string>): StreamBatch<TEvent> {
    const records = Array.from({ length: result.size() }, (_, index) => ({
      sequence: result.getSequence(index).toNumber(),
      event: JSON.parse(result.get(index)) as TEvent,
    }));
    return { records, nextSequence: result.getNextSequenceToReadFrom().toNumber() };
  }
}
