/** One event on the cluster stream, with the ring sequence it was stored at. */
export interface StreamRecord<TEvent> {
  readonly sequence: number;
  readonly event: TEvent;
}

/** A batch read from the stream. */
export interface StreamBatch<TEvent> {
  readonly records: readonly StreamRecord<TEvent>[];
  /** The sequence to pass to the next `read` call. */
  readonly nextSequence: number;
}

export interface StreamReadOptions {
  /**
   * Most records returned by one read.
   * @default 100
   */
  readonly maxCount?: number;
  /**
   * How long to wait for at least one record when none is available yet; 0 returns at once.
   * @default 0
   */
  readonly waitMs?: number;
}

/**
 * Thrown by `read` when events before the requested sequence may have been missed: it has already
 * been overwritten (the reader fell behind the ring), it lies past the tail of a recreated ring, or
 * the client lost the cluster meanwhile. The caller must resynchronise from the database.
 */
export class StaleSequenceError extends Error {
  constructor(
    readonly requestedSequence: number,
    readonly headSequence: number,
  ) {
    super(
      `sequence ${requestedSequence} is no longer in the ring (oldest kept is ${headSequence}); resynchronise from the database`,
    );
    this.name = 'StaleSequenceError';
  }
}

/**
 * The cluster's event stream (the `CHAT` ringbuffer). Events are plain JSON-serialisable values;
 * each consumer keeps its own sequence.
 */
export abstract class EventStream<TEvent = unknown> {
  /** Appends one event; resolves to its sequence. */
  abstract publish(event: TEvent): Promise<number>;
  /** Appends events in order; resolves to the sequence of the last one (or the tail if empty). */
  abstract publishAll(events: readonly TEvent[]): Promise<number>;
  /** Reads from `fromSequence` (inclusive). Throws `StaleSequenceError` if events may have been missed. */
  abstract read(fromSequence: number, options?: StreamReadOptions): Promise<StreamBatch<TEvent>>;
  /** Sequence of the oldest event still kept. */
  abstract headSequence(): Promise<number>;
  /** Sequence of the newest event, or headSequence - 1 when the ring is empty. */
  abstract tailSequence(): Promise<number>;
}
