import { StaleSequenceError } from '../ports/event-stream.port';
import type { EventStream, StreamBatch, StreamRecord } from '../ports/event-stream.port';
import type { ClusterLogger } from '../shared/cluster-logger';
import { sleep } from '../shared/sleep';
import { backoffDelay, type BackoffOptions } from '@switchboard/resilience';

export interface StreamSubscriberOptions<TEvent> {
  readonly stream: EventStream<TEvent>;
  /** Sequence of the first record to deliver, e.g. `tailSequence() + 1` to get only new events. */
  readonly fromSequence: number;
  /** Called once per record, in sequence order; a rejection makes the subscriber retry that record. */
  readonly handle: (record: StreamRecord<TEvent>) => Promise<void>;
  /**
   * Called when the subscriber may have missed events (it fell behind the ring, the ring was
   * recreated, the cluster was lost): resynchronise from the database. Delivery then continues after
   * the tail the ring had before the call: what came earlier is in the database the resync read,
   * and a slow resync must not resume at a position overwritten meanwhile. A rejection makes the
   * subscriber read (and report staleness) again.
   */
  readonly onStale: (headSequence: number) => Promise<void>;
  /**
   * Most records per read.
   * @default 100
   */
  readonly batchSize?: number;
  /**
   * How long one read waits for new events before the loop goes round again.
   * @default 1000
   */
  readonly waitMs?: number;
  /**
   * Pause before the next read after a batch smaller than `batchSize`, so a reader that needs no
   * event promptly reads many at a time instead of one round trip per few events.
   * @default 0
   */
  readonly pauseAfterPartialBatchMs?: number;
  /** Delays after consecutive failures (the shared backoff, spread by equal jitter unless set). */
  readonly backoff?: BackoffOptions;
  /**
   * Told about failures and retries.
   * @default console
   */
  readonly logger?: ClusterLogger;
}

/**
 * Delivers the stream to a handler in order, from a given sequence, until stopped. Nothing is
 * skipped silently: a failed read or handler is retried with backoff, and falling behind the ring
 * goes through `onStale`.
 */
export class StreamSubscriber<TEvent = unknown> {
  private nextSequence: number;
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(private readonly options: StreamSubscriberOptions<TEvent>) {
    this.nextSequence = options.fromSequence;
  }

  /** The sequence of the next record to deliver (save it to resume after a restart). */
  get position(): number {
    return this.nextSequence;
  }

  /** Starts the loop in the background; calling it again does nothing. */
  start(): this {
    this.loop ??= this.run();
    return this;
  }

  /** Stops after the record being handled, if any; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const logger = this.options.logger ?? console;
    let failures = 0;
    while (!this.stopping.signal.aborted) {
      try {
        await this.step();
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.round(backoffDelay(failures, { jitter: 'equal', ...this.options.backoff }));
        logger.warn(
          `stream subscriber failed at sequence ${this.nextSequence} (${String(error)}); retrying in ${delay} ms`,
        );
        await sleep(delay, this.stopping.signal);
      }
    }
  }

  private async step(): Promise<void> {
    let batch: StreamBatch<TEvent> | undefined;
    try {
      batch = await this.readUntilStopped();
    } catch (error) {
      if (!(error instanceof StaleSequenceError)) {
        throw error;
      }
      const tail = await this.options.stream.tailSequence();
      await this.options.onStale(error.headSequence);
      this.nextSequence = tail + 1;
      return;
    }
    const records = batch?.records ?? [];
    for (const record of records) {
      if (this.stopping.signal.aborted) {
        return;
      }
      await this.options.handle(record);
      this.nextSequence = record.sequence + 1;
    }
    const pauseMs = this.options.pauseAfterPartialBatchMs ?? 0;
    if (pauseMs > 0 && records.length < (this.options.batchSize ?? 100)) {
      await sleep(pauseMs, this.stopping.signal);
    }
  }

  /** A read that gives up (resolving undefined) as soon as `stop()` is called. */
  private async readUntilStopped(): Promise<StreamBatch<TEvent> | undefined> {
    const read = this.options.stream.read(this.nextSequence, {
      maxCount: this.options.batchSize ?? 100,
      waitMs: this.options.waitMs ?? 1000,
    });
    const signal = this.stopping.signal;
    let onStop = (): void => undefined;
    const stopped = new Promise<undefined>((resolve) => {
      onStop = () => resolve(undefined);
      signal.addEventListener('abort', onStop, { once: true });
    });
    try {
      // After a stop the read may still settle, even reject; race() has handled it, so it is ignored.
      return await Promise.race([read, stopped]);
    } finally {
      signal.removeEventListener('abort', onStop);
    }
  }
}
