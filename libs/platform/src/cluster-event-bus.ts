import { Logger } from '@nestjs/common';
import { EventStream, StreamSubscriber } from '@switchboard/cluster';
import { backoffDelay } from '@switchboard/resilience';
import { chatUidOf } from './cluster-event-chat';
import { withChatLog } from './logging/chat-log-context';
import { PerChatQueue } from './per-chat-queue';
import {
  CLUSTER_EVENT_TYPES,
  parseClusterEvent,
  type ClusterEvent,
  type ClusterEventOf,
  type ClusterEventType,
} from '@switchboard/protocol';

/** Runs on the read loop before the next event is read, so it must not wait: emit, wake, count. */
type Handler<TType extends ClusterEventType> = (event: ClusterEventOf<TType>) => void;
/** Reads or writes (database, cluster, HTTP): runs off the read loop, after its chat's earlier work. */
type QueuedHandler<TType extends ClusterEventType> = (event: ClusterEventOf<TType>) => Promise<void>;

/** Told of every event read: its type and how long after its publication (seconds) it was read. */
export type DelayObserver = (type: ClusterEventType, delaySeconds: number) => void;

const knownTypes: ReadonlySet<string> = new Set(CLUSTER_EVENT_TYPES);

/** Most events in one `addAll` (the ring's own limit per call is 1,000). */
const MAX_PUBLISH_BATCH = 500;

/** Most queued handler runs waiting or running before the reader waits for one to finish. */
const DEFAULT_QUEUE_LIMIT = 10_000;

/** Most events waiting to be published; past it a publish is refused at once (see `publish`). */
const DEFAULT_OUTBOX_LIMIT = 10_000;

/** What a failed publish says: Hazelcast errors may carry no message (`Error: null`). */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (cause: ${describe(error.cause)})` : '';
  return `${error.name}: ${error.message || 'no message'}${cause}`;
}

/**
 * This process's view of the cluster stream: publishes events, and dispatches every event read
 * (its own included) to the handlers registered by type. Only the envelope (type, time) of every
 * event is read; an event is validated in full only when this process has a handler for its type,
 * so a service that ignores chat lines does not parse them. When the reader falls behind the ring,
 * the resync handlers re-read what they own from the database before reading goes on.
 */
export class ClusterEventBus {
  private readonly logger = new Logger('ClusterEventBus');
  private readonly handlers = new Map<ClusterEventType, Array<Handler<ClusterEventType>>>();
  private readonly resyncHandlers: Array<() => Promise<void>> = [];
  private readonly delayObservers: DelayObserver[] = [];
  private readonly outbox: Array<{
    event: ClusterEvent;
    resolve: (sequence: number) => void;
    reject: (error: unknown) => void;
  }> = [];
  private sending = false;
  private stopped = false;
  private readonly outboxLimit: number;
  private subscriber: StreamSubscriber<unknown> | undefined;
  private readonly queue: PerChatQueue;

  /**
   * @param readPauseMs pause between reads that found the stream (nearly) caught up: 0 for a process
   *   that delivers chat events; more for one that only needs configuration events, to spare round trips.
   */
  constructor(
    private readonly stream: EventStream<unknown>,
    private readonly readPauseMs = 0,
    queueLimit = DEFAULT_QUEUE_LIMIT,
    outboxLimit = DEFAULT_OUTBOX_LIMIT,
  ) {
    this.queue = new PerChatQueue(queueLimit);
    this.outboxLimit = outboxLimit;
  }

  /**
   * Appends an event to the stream through this process's outbox; resolves to its ring sequence once
   * it is stored there. While one append is on its way, the events published meanwhile wait and then
   * go together in one `addAll` (in publication order): one round trip for many lines under load, no
   * added wait when idle. A failed append is retried (with backoff, in order) until it succeeds or
   * the bus stops: a stalled or lost member delays the fan-out, it drops nothing.
   * note: the outbox is bounded; when `outboxLimit` events wait (the cluster has been unreachable for
   * long), a publish is refused at once and its event is lost to the stream: its data is stored, and
   * readers catch up from the database (lines by sequence, everything at the resync after the loss).
   */
  publish(event: ClusterEvent): Promise<number> {
    if (this.stopped) return Promise.reject(new Error('the event bus has stopped'));
    if (this.outbox.length >= this.outboxLimit)
      return Promise.reject(
        new Error(`${this.outbox.length} events already wait for the cluster (outbox full)`),
      );
    return new Promise((resolve, reject) => {
      this.outbox.push({ event, resolve, reject });
      if (!this.sending) void this.sendOutbox();
    });
  }

  /** Events waiting to be published (the outbox's length). */
  get unpublished(): number {
    return this.outbox.length;
  }

  private async sendOutbox(): Promise<void> {
    this.sending = true;
    let failures = 0;
    while (this.outbox.length > 0 && !this.stopped) {
      const batch = this.outbox.slice(0, MAX_PUBLISH_BATCH);
      try {
        const last =
          batch.length === 1
            ? await this.stream.publish(batch[0].event)
            : await this.stream.publishAll(batch.map((pending) => pending.event));
        this.outbox.splice(0, batch.length);
        batch.forEach((pending, index) => pending.resolve(last - batch.length + 1 + index));
        if (failures > 0)
          this.logger.log(`published ${batch.length} waiting events after ${failures} failures`);
        failures = 0;
      } catch (error) {
        failures += 1;
        const delay = Math.round(backoffDelay(failures, { jitter: 'equal' }));
        this.logger.warn(
          `could not publish ${batch.length} events (${describe(error)}); ${this.outbox.length} wait, retrying in ${delay} ms`,
        );
        await new Promise((wake) => setTimeout(wake, delay));
      }
    }
    this.sending = false;
  }

  /**
   * Registers a handler that runs on the read loop: it must not wait (an emit to sockets, a wake-up,
   * a counter), since every later event of every chat waits for it. Work that reads or writes goes
   * through `onQueued` (or `queueForChat`).
   */
  on<TType extends ClusterEventType>(type: TType, handler: Handler<TType>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<ClusterEventType>);
    this.handlers.set(type, list);
  }

  /**
   * Registers a handler that reads or writes: it runs off the read loop, after the earlier queued
   * work of the event's chat (events about no single chat queue by their type), so a slow database or
   * HTTP call delays neither the other chats nor the hot handlers. A failure is logged.
   */
  onQueued<TType extends ClusterEventType>(type: TType, handler: QueuedHandler<TType>): void {
    this.on(type, (event) => {
      const chatUid = chatUidOf(event);
      const what = `handler of ${type}`;
      if (chatUid === undefined) this.enqueue(`type:${type}`, () => handler(event), what);
      else this.queueForChat(chatUid, () => handler(event), what);
    });
  }

  /**
   * Runs `work` off the read loop after the chat's earlier queued work: for a hot handler whose event
   * concerns several chats (queue positions) or that does its I/O part only sometimes.
   */
  queueForChat(chatUid: string, work: () => Promise<void>, what = 'queued work'): void {
    this.enqueue(chatUid, () => withChatLog(chatUid, work), what);
  }

  private enqueue(lane: string, work: () => Promise<void>, what: string): void {
    this.queue
      .run(lane, work)
      .catch((error: unknown) =>
        this.logger.error(
          `${what} (${lane}) failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
  }

  /** Registers a function told how late each event is read (the ringbuffer lag metric). */
  observeDelays(observer: DelayObserver): void {
    this.delayObservers.push(observer);
  }

  /** The ring sequence of the next event to read, or undefined before start. */
  get position(): number | undefined {
    return this.subscriber?.position;
  }

  /** Registers what to re-read from the database when events may have been missed. */
  onResync(handler: () => Promise<void>): void {
    this.resyncHandlers.push(handler);
  }

  /** Starts reading after the current tail: what happened before start is read from the database. */
  async start(): Promise<void> {
    const fromSequence = (await this.stream.tailSequence()) + 1;
    this.subscriber = new StreamSubscriber<unknown>({
      stream: this.stream,
      fromSequence,
      pauseAfterPartialBatchMs: this.readPauseMs,
      handle: (record) => this.dispatch(record.event),
      onStale: async (headSequence) => {
        this.logger.warn(
          `fell behind the cluster stream (oldest kept ${headSequence}): resynchronising from the database`,
        );
        await this.resync();
      },
    });
    this.subscriber.start();
  }

  /**
   * Stops reading, then waits for the queued handlers to finish (before the database closes); events
   * still unpublished are given up (their data is stored; readers catch up from the database).
   */
  async stop(): Promise<void> {
    await this.subscriber?.stop();
    await this.queue.drain();
    this.stopped = true;
    for (const pending of this.outbox.splice(0)) pending.reject(new Error('the event bus has stopped'));
  }

  async resync(): Promise<void> {
    for (const handler of this.resyncHandlers) await handler();
  }

  private async dispatch(raw: unknown): Promise<void> {
    const envelope = raw as { type?: unknown; at?: unknown } | null;
    const type = typeof envelope?.type === 'string' ? envelope.type : undefined;
    if (type === undefined || !knownTypes.has(type)) {
      this.logger.warn(`skipping malformed cluster event: unknown type ${JSON.stringify(type ?? null)}`);
      return;
    }
    const handlers = this.handlers.get(type as ClusterEventType);
    const publishedAt = typeof envelope?.at === 'string' ? Date.parse(envelope.at) : Number.NaN;
    if (!Number.isNaN(publishedAt)) {
      const delay = Math.max(0, (Date.now() - publishedAt) / 1000);
      for (const observe of this.delayObservers) observe(type as ClusterEventType, delay);
    }
    if (!handlers) return;
    const parsed = parseClusterEvent(raw);
    if (!parsed.ok) {
      this.logger.warn(`skipping malformed cluster event: ${parsed.error}`);
      return;
    }
    // note: the bound holds the reader back (it falls behind the ring and resyncs if it must) rather
    // than drop queued work; one event's handlers may queue a few pieces past it.
    await this.queue.whenRoom();
    const chatUid = chatUidOf(parsed.event);
    for (const handler of handlers) {
      try {
        // A handler's log lines (and those of the work it queues) name the event's chat.
        if (chatUid === undefined) handler(parsed.event);
        else withChatLog(chatUid, () => handler(parsed.event));
      } catch (error) {
        this.logger.error(`handler of ${parsed.event.type} failed: ${(error as Error).message}`);
      }
    }
  }
}
