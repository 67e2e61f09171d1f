import { EventStream, StaleSequenceError } from '../ports/event-stream.port';
import type { StreamBatch, StreamReadOptions } from '../ports/event-stream.port';
import { resolveReadOptions } from '../shared/read-options';

export interface InMemoryEventStreamOptions {
  /**
   * Events kept; older ones are overwritten, like the `CHAT` ringbuffer.
   * @default 500
   */
  readonly capacity?: number;
  /**
   * Time an event stays readable.
   * @default 60000
   */
  readonly ttlMs?: number;
}

interface StoredEvent {
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * A bounded ring in process memory with the `CHAT` ringbuffer's behaviour (capacity, TTL, stale
 * sequences), for the embedded single-process mode and unit tests.
 */
export class InMemoryEventStream<TEvent = unknown> extends EventStream<TEvent> {
  private readonly capacity: number;
  private readonly ttlMs: number;
  private readonly ring: StoredEvent[] = [];
  private head = 0;
  private readonly waiters = new Set<() => void>();

  constructor(options: InMemoryEventStreamOptions = {}) {
    super();
    this.capacity = options.capacity ?? 500;
    this.ttlMs = options.ttlMs ?? 60_000;
  }

  publish(event: TEvent): Promise<number> {
    return this.publishAll([event]);
  }

  publishAll(events: readonly TEvent[]): Promise<number> {
    this.dropExpired();
    // note: stored as JSON like the Hazelcast adapter, so a non-serialisable event fails here too.
    const expiresAt = Date.now() + this.ttlMs;
    for (const event of events) {
      this.ring.push({ json: JSON.stringify(event), expiresAt });
      if (this.ring.length > this.capacity) {
        this.ring.shift();
        this.head += 1;
      }
    }
    this.waiters.forEach((wake) => wake());
    return Promise.resolve(this.tail());
  }

  async read(fromSequence: number, options?: StreamReadOptions): Promise<StreamBatch<TEvent>> {
    const { maxCount, waitMs } = resolveReadOptions(options);
    const batch = this.readAvailable(fromSequence, maxCount);
    if (batch.records.length > 0 || waitMs === 0) {
      return batch;
    }
    await this.nextPublish(waitMs);
    return this.readAvailable(fromSequence, maxCount);
  }

  headSequence(): Promise<number> {
    this.dropExpired();
    return Promise.resolve(this.head);
  }

  tailSequence(): Promise<number> {
    this.dropExpired();
    return Promise.resolve(this.tail());
  }

  private readAvailable(fromSequence: number, maxCount: number): StreamBatch<TEvent> {
    this.dropExpired();
    // Past the tail: the reader's position belongs to another ring (as after a cluster restart).
    if (fromSequence < this.head || fromSequence > this.tail() + 1) {
      throw new StaleSequenceError(fromSequence, this.head);
    }
    const start = fromSequence - this.head;
    const records = this.ring.slice(start, start + maxCount).map((stored, index) => ({
      sequence: fromSequence + index,
      event: JSON.parse(stored.json) as TEvent,
    }));
    return { records, nextSequence: fromSequence + records.length };
  }

  private nextPublish(waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      // A read waiting for events must not keep the process alive on its own.
      const timer = setTimeout(wake, waitMs).unref();
      this.waiters.add(wake);
    });
  }

  private tail(): number {
    return this.head + this.ring.length - 1;
  }

  private dropExpired(): void {
    const now = Date.now();
    while (this.ring.length > 0 && this.ring[0].expiresAt <= now) {
      this.ring.shift();
      this.head += 1;
    }
  }
}
