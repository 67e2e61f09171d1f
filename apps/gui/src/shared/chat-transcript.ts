import type { ChatLineView } from '@switchboard/protocol';

/** A line sent but not yet acknowledged: shown as "sending", resent with the same clientMessageId. */
export interface PendingLine {
  readonly clientMessageId: string;
  readonly text: string;
}

/** What survives a page reload (kept in sessionStorage by the widget). */
export interface TranscriptSnapshot {
  readonly lines: readonly ChatLineView[];
  readonly pending: readonly PendingLine[];
}

/**
 * One chat's lines in sequence order, each exactly once, however often and in whatever order they
 * arrive (a push, a rejoin answer, the acknowledgement of our own send), plus our unacknowledged lines.
 */
export class ChatTranscript {
  private readonly lines = new Map<number, ChatLineView>();
  private readonly pendingLines = new Map<string, PendingLine>();

  constructor(snapshot: TranscriptSnapshot = { lines: [], pending: [] }) {
    snapshot.lines.forEach((line) => this.receive(line));
    snapshot.pending.forEach((line) => this.pendingLines.set(line.clientMessageId, line));
  }

  /** Adds a stored line; false when its sequence is already here. A matching pending line is confirmed. */
  receive(line: ChatLineView): boolean {
    if (line.clientMessageId !== null) this.pendingLines.delete(line.clientMessageId);
    if (this.lines.has(line.sequence)) return false;
    this.lines.set(line.sequence, line);
    return true;
  }

  /** Receives many lines; returns the ones that were new, in sequence order. */
  receiveAll(lines: readonly ChatLineView[]): ChatLineView[] {
    return [...lines].sort(bySequence).filter((line) => this.receive(line));
  }

  queue(line: PendingLine): void {
    this.pendingLines.set(line.clientMessageId, line);
  }

  /** Forgets a pending line the server refused for good (closed chat, too long…). */
  drop(clientMessageId: string): void {
    this.pendingLines.delete(clientMessageId);
  }

  /**
   * The sequence to rejoin after: the end of the run without gaps from 1, so that a line missed in
   * the middle is asked for again (and the ones after it are deduplicated).
   */
  lastSequence(): number {
    let sequence = 0;
    while (this.lines.has(sequence + 1)) sequence += 1;
    return sequence;
  }

  ordered(): ChatLineView[] {
    return [...this.lines.values()].sort(bySequence);
  }

  pending(): PendingLine[] {
    return [...this.pendingLines.values()];
  }

  /** The first sequence after this one that is already here: a late line is shown before it. */
  nextSequenceAfter(sequence: number): number | undefined {
    return this.ordered().find((line) => line.sequence > sequence)?.sequence;
  }

  snapshot(): TranscriptSnapshot {
    return { lines: this.ordered(), pending: this.pending() };
  }
}

function bySequence(left: ChatLineView, right: ChatLineView): number {
  return left.sequence - right.sequence;
}
