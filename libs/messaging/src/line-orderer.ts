/**
 * Per chat, hands lines to the emitter in sequence order, each once, whatever order the cluster
 * stream brought them in (two nodes may publish lines 5 and 6 of one chat in either order). A gap
 * that does not close by itself within `gapWaitMs` is filled from the database.
 */
export interface OrderedLine {
  readonly sequence: number;
}

export interface LineOrdererOptions<TLine extends OrderedLine> {
  readonly emit: (chatUid: string, line: TLine) => void;
  /** Reads the lines after `afterSequence` from the database, in order. */
  readonly fetchAfter: (chatUid: string, afterSequence: number) => Promise<TLine[]>;
  /** @default 250 */
  readonly gapWaitMs?: number;
  readonly onError?: (chatUid: string, error: unknown) => void;
}

interface ChatTrack<TLine> {
  delivered: number;
  readonly pending: Map<number, TLine>;
  timer: NodeJS.Timeout | undefined;
}

export class LineOrderer<TLine extends OrderedLine> {
  private readonly tracks = new Map<string, ChatTrack<TLine>>();

  constructor(private readonly options: LineOrdererOptions<TLine>) {}

  /** Starts delivering a chat's lines after `deliveredSequence` (what its clients already have). */
  track(chatUid: string, deliveredSequence: number): void {
    if (!this.tracks.has(chatUid)) {
      this.tracks.set(chatUid, { delivered: deliveredSequence, pending: new Map(), timer: undefined });
    }
  }

  untrack(chatUid: string): void {
    const track = this.tracks.get(chatUid);
    if (track?.timer) clearTimeout(track.timer);
    this.tracks.delete(chatUid);
  }

  isTracked(chatUid: string): boolean {
    return this.tracks.has(chatUid);
  }

  /** The last sequence handed to the emitter for a tracked chat, or undefined. */
  deliveredSequence(chatUid: string): number | undefined {
    return this.tracks.get(chatUid)?.delivered;
  }

  trackedChats(): string[] {
    return [...this.tracks.keys()];
  }

  /** A line read from the stream; ignored when no client of this node follows the chat. */
  accept(chatUid: string, line: TLine): void {
    const track = this.tracks.get(chatUid);
    if (!track || line.sequence <= track.delivered) return;
    track.pending.set(line.sequence, line);
    this.drain(chatUid, track);
  }

  /** Reads a tracked chat's lines after the last delivered one from the database. */
  catchUp(chatUid: string): Promise<void> {
    return this.fill(chatUid);
  }

  /** Re-reads every tracked chat from the database (after the stream reader fell behind). */
  async resync(): Promise<void> {
    await Promise.all(this.trackedChats().map((chatUid) => this.fill(chatUid)));
  }

  private drain(chatUid: string, track: ChatTrack<TLine>): void {
    for (
      let next = track.pending.get(track.delivered + 1);
      next;
      next = track.pending.get(track.delivered + 1)
    ) {
      track.pending.delete(next.sequence);
      track.delivered = next.sequence;
      this.options.emit(chatUid, next);
    }
    if (track.pending.size === 0 && track.timer) {
      clearTimeout(track.timer);
      track.timer = undefined;
    } else if (track.pending.size > 0 && !track.timer) {
      track.timer = setTimeout(() => void this.fill(chatUid), this.options.gapWaitMs ?? 250);
    }
  }

  private async fill(chatUid: string): Promise<void> {
    const track = this.tracks.get(chatUid);
    if (!track) return;
    track.timer = undefined;
    try {
      const lines = await this.options.fetchAfter(chatUid, track.delivered);
      if (this.tracks.get(chatUid) !== track) return;
      for (const line of lines) if (line.sequence > track.delivered) track.pending.set(line.sequence, line);
      this.drain(chatUid, track);
    } catch (error) {
      this.options.onError?.(chatUid, error);
      if (this.tracks.get(chatUid) === track && track.pending.size > 0 && !track.timer) {
        track.timer = setTimeout(() => void this.fill(chatUid), (this.options.gapWaitMs ?? 250) * 4);
      }
    }
  }
}
