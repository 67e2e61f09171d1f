import { Logger } from '@nestjs/common';
import { EventStream, StreamSubscriber } from '@switchboard/cluster';
import { withChatLog } from './logging/chat-log-context';
import {
  CLUSTER_EVENT_TYPES,
  parseClusterEvent,
  type ClusterEvent,
  type ClusterEventOf,
  type ClusterEventType,
} from '@switchboard/protocol';

type Handler<TType extends ClusterEventType> = (event: ClusterEventOf<TType>) => void | Promise<void>;

/** Told of every event read: its type and how long after its publication (seconds) it was read. */
export type DelayObserver = (type: ClusterEventType, delaySeconds: number) => void;

const knownTypes: ReadonlySet<string> = new Set(CLUSTER_EVENT_TYPES);

/** Most events in one `addAll` (the ring's own limit per call is 1,000). */
const MAX_PUBLISH_BATCH = 500;

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
  private subscriber: StreamSubscriber<unknown> | undefined;

  /**
   * @param readPauseMs pause between reads that found the stream (nearly) caught up: 0 for a process
   *   that delivers chat events; more for one that only needs configuration events, to spare round trips.
   */
  constructor(
    private readonly stream: EventStream<unknown>,
    private readonly readPauseMs = 0,
  ) {}

  /**
   * Appends an event to the stream; resolves to its ring sequence. While one append is on its way,
   * the events published meanwhile wait and then go together in one `addAll` (in publication order):
   * one round trip for many lines under load, no added wait when idle.
   */
  publish(event: ClusterEvent): Promise<number> {
    return new Promise((resolve, reject) => {
      this.outbox.push({ event, resolve, reject });
      if (!this.sending) void this.sendOutbox();
    });
  }

  private async sendOutbox(): Promise<void> {
    this.sending = true;
    while (this.outbox.length > 0) {
      const batch = this.outbox.splice(0, MAX_PUBLISH_BATCH);
      try {
        const last =
          batch.length === 1
            ? await this.stream.publish(batch[0].event)
            : await this.stream.publishAll(batch.map((pending) => pending.event));
        batch.forEach((pending, index) => pending.resolve(last - batch.length + 1 + index));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
    this.sending = false;
  }

  on<TType extends ClusterEventType>(type: TType, handler: Handler<TType>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<ClusterEventType>);
    this.handlers.set(type, list);
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

  async stop(): Promise<void> {
    await this.subscriber?.stop();
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
    const chatUid = chatUidOf(parsed.event);
    for (const handler of handlers) {
      try {
        // A handler's log lines (and those of the work it starts) name the event's chat.
        await (chatUid === undefined
          ? handler(parsed.event)
          : withChatLog(chatUid, () => handler(parsed.event)));
      } catch (error) {
        this.logger.error(`handler of ${parsed.event.type} failed: ${(error as Error).message}`);
      }
    }
  }
}

/** The chat an event is about, if it is about one (`chatUid`, or the chat of its `line`). */
function chatUidOf(event: ClusterEvent): string | undefined {
  if ('chatUid' in event && typeof event.chatUid === 'string') return event.chatUid;
  if ('line' in event && typeof event.line === 'object' && event.line !== null && 'chatUid' in event.line)
    return typeof event.line.chatUid === 'string' ? event.line.chatUid : undefined;
  return undefined;
}
