import type { ChatLineView, SenderKind } from '@switchboard/protocol';
import type { ChatTranscript, PendingLine } from './chat-transcript';
import { clockTime, element } from './dom';
import { linkified } from './linkify';

/** A mark shown after a line's time (the console's delivery ticks): `text` is hidden from screen readers, `label` is read. */
export interface LineMark {
  readonly mark: string;
  readonly label: string;
  readonly tone: string;
}

/**
 * Shows a ChatTranscript as a list (role="log", so screen readers announce new lines): each stored
 * line once at its sequence's place, our unacknowledged lines at the end marked "sending", and
 * notices (joined, closed) where they happened.
 */
export class TranscriptView {
  readonly list = element('ol', { class: 'transcript', role: 'log', 'aria-live': 'polite' });
  private readonly shownLines = new Map<number, HTMLElement>();
  private readonly shownPending = new Map<string, HTMLElement>();
  /** The latest mark per sequence, kept for a line that is not shown yet. */
  private readonly marks = new Map<number, LineMark>();

  constructor(
    readonly transcript: ChatTranscript,
    private readonly ownSender: SenderKind,
    private readonly ownName: string,
    /** A line's text as nodes (the console shows WhatsApp media); linkified text by default. */
    private readonly renderText: (text: string) => Node[] = linkified,
  ) {}

  /** Brings the list up to date with the transcript. */
  render(): void {
    const pending = new Set(this.transcript.pending().map((line) => line.clientMessageId));
    for (const [clientMessageId, shown] of this.shownPending) {
      if (pending.has(clientMessageId)) continue;
      shown.remove();
      this.shownPending.delete(clientMessageId);
    }
    for (const line of this.transcript.ordered()) {
      if (this.shownLines.has(line.sequence)) continue;
      const shown = this.lineElement(line);
      const next = this.transcript.nextSequenceAfter(line.sequence);
      const before = (next !== undefined && this.shownLines.get(next)) || this.firstPending();
      this.list.insertBefore(shown, before ?? null);
      this.shownLines.set(line.sequence, shown);
    }
    for (const line of this.transcript.pending()) {
      if (this.shownPending.has(line.clientMessageId)) continue;
      const shown = this.pendingElement(line);
      this.list.append(shown);
      this.shownPending.set(line.clientMessageId, shown);
    }
    this.list.scrollTop = this.list.scrollHeight;
  }

  /** Shows (or replaces) the mark of a stored line. */
  mark(sequence: number, mark: LineMark): void {
    this.marks.set(sequence, mark);
    const meta = this.shownLines.get(sequence)?.querySelector('.meta');
    if (!meta) return;
    meta.querySelector('.line-mark')?.remove();
    meta.append(markElement(mark));
  }

  notice(text: string): void {
    this.list.insertBefore(element('li', { class: 'notice' }, text), this.firstPending() ?? null);
    this.list.scrollTop = this.list.scrollHeight;
  }

  private firstPending(): HTMLElement | undefined {
    return this.shownPending.values().next().value;
  }

  private lineElement(line: ChatLineView): HTMLElement {
    const own = line.sender === this.ownSender;
    return element(
      'li',
      {
        class: `line line--${line.sender}${own ? ' line--own' : ''}`,
        'data-sequence': String(line.sequence),
      },
      element(
        'span',
        { class: 'meta' },
        element('span', { class: 'sender' }, line.senderName),
        ' ',
        element('time', { datetime: line.at }, clockTime(line.at)),
        ...this.markOf(line.sequence),
      ),
      // dir="auto": an Arabic or Hebrew line reads right to left, whatever the page's direction.
      element('span', { class: 'text', dir: 'auto' }, ...this.renderText(line.text)),
    );
  }

  private markOf(sequence: number): HTMLElement[] {
    const mark = this.marks.get(sequence);
    return mark ? [markElement(mark)] : [];
  }

  private pendingElement(line: PendingLine): HTMLElement {
    return element(
      'li',
      { class: 'line line--own line--pending', 'data-client-message-id': line.clientMessageId },
      element('span', { class: 'meta' }, element('span', { class: 'sender' }, this.ownName), ' sending…'),
      element('span', { class: 'text', dir: 'auto' }, line.text),
    );
  }
}

function markElement({ mark, label, tone }: LineMark): HTMLElement {
  return element(
    'span',
    { class: `line-mark line-mark--${tone}`, title: label },
    ' ',
    element('span', { 'aria-hidden': 'true' }, mark),
    element('span', { class: 'visually-hidden' }, label),
  );
}
