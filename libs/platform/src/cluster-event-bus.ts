import { Logger } from '@nestjs/common';
import { EventStream, StreamSubscriber } from '@switchboard/cluster';
import {
  parseClusterEvent,
  type ClusterEvent,
  type ClusterEventOf,
  type ClusterEventType,
} from '@switchboard/protocol';

type Handler<TType extends ClusterEventType> = (event: ClusterEventOf<TType>) => void | Promise<void>;

/**
 * This process's view of the cluster stream: publishes events, and dispatches every event read
 * (its own included) to the handlers registered by type. When the reader falls behind the ring,
 * the resync handlers re-read what they own from the database before reading goes on.
 */
export class ClusterEventBus {
  private readonly logger = new Logger('ClusterEventBus');
  private readonly handlers = new Map<ClusterEventType, Array<Handler<ClusterEventType>>>();
  private readonly resyncHandlers: Array<() => Promise<void>> = [];
  private subscriber: StreamSubscriber<unknown> | undefined;

  constructor(private readonly stream: EventStream<unknown>) {}

  publish(event: ClusterEvent): Promise<number> {
    return this.stream.publish(event);
  }

  on<TType extends ClusterEventType>(type: TType, handler: Handler<TType>): void {
    const list = this.handlers.get(type) ?? [];
    list.push(handler as unknown as Handler<ClusterEventType>);
    this.handlers.set(type, list);
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
    const parsed = parseClusterEvent(raw);
    if (!parsed.ok) {
      this.logger.warn(`skipping malformed cluster event: ${parsed.error}`);
      return;
    }
    for (const handler of this.handlers.get(parsed.event.type) ?? []) {
      try {
        await handler(parsed.event);
      } catch (error) {
        this.logger.error(`handler of ${parsed.event.type} failed: ${(error as Error).message}`);
      }
    }
  }
}
