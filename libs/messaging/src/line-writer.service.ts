import { ChatEvents, toLineView, webLineKey } from '@switchboard/chat';
import { Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  PersistenceError,
  PersistenceErrorCode,
  type ChatLineRecord,
  type LineSenderKind,
  ChatLineRepository,
  ChatEventRepository,
} from '@switchboard/persistence';
import type { ChatLineView } from '@switchboard/protocol';
import { firstLineEvent } from '@switchboard/routing-domain';
import { ChatLookup, type ChatFacts } from './chat-lookup.service';
import { MessagingException } from './messaging.exception';

export interface LineAuthor {
  readonly kind: LineSenderKind;
  readonly name: string;
  readonly operatorId?: number;
}

/**
 * Stores a line (sequence assigned in the insert's transaction), then publishes it. A resend with
 * the same clientMessageId (the acknowledgement was lost) returns the stored line: one line,
 * however often it is sent. The database refuses the line unless the chat is open and, for an
 * agent, assigned to them: no read before the write, and no stale copy can let a line through.
 */
/** How many (chat, operator) pairs a node remembers as having their FLx stored (oldest forgotten first). */
const FIRST_LINE_MEMO_SIZE = 10_000;

@Injectable()
export class LineWriter {
  /** `${chatId}:${operatorId}` pairs whose FLx is stored: the transcript is read once per pair, not per line. */
  private readonly firstLinesRecorded = new Set<string>();

  constructor(
    private readonly chatLines: ChatLineRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly lookup: ChatLookup,
    private readonly publisher: ChatEvents,
    private readonly parameters: ParameterService,
  ) {}

  async write(
    chat: ChatFacts,
    author: LineAuthor,
    text: string,
    clientMessageId: string,
  ): Promise<ChatLineView> {
    const maxLength = this.parameters.get('ACD.Chat.Line.MaxLength');
    if (text.length > maxLength) {
      throw new MessagingException(
        'LINE_TOO_LONG',
        `The line has ${text.length} characters; the limit is ${maxLength}.`,
      );
    }
    const key = webLineKey(chat.id, clientMessageId);
    const stored = await this.chatLines
      .append(
        chat.id,
        {
          senderKind: author.kind,
          senderName: author.name,
          text,
          operatorId: author.operatorId ?? null,
          externalMessageId: key,
        },
        new Date(),
        { open: true, operatorId: author.operatorId },
      )
      .catch((error: unknown) => this.storedCopyOrRefusal(error, chat, author, key));
    if (author.operatorId !== undefined) await this.recordFirstLine(chat, author.operatorId);
    const line = toLineView(chat.chatUid, stored);
    // note: a resend publishes the stored line again; every node drops a sequence it already delivered.
    await this.publisher.line(line);
    return line;
  }

  /**
   * A refused line that was stored before (its acknowledgement was lost, then the chat closed or
   * changed hands) comes back as the stored copy, as a resend always does; otherwise the refusal.
   */
  private async storedCopyOrRefusal(
    error: unknown,
    chat: ChatFacts,
    author: LineAuthor,
    key: string,
  ): Promise<ChatLineRecord> {
    const stored = isRefusal(error) ? await this.chatLines.findByExternalMessageId(key) : null;
    const sameAuthor =
      stored?.chatId === chat.id &&
      stored.senderKind === author.kind &&
      stored.operatorId === (author.operatorId ?? null);
    if (stored && sameAuthor) return stored;
    return this.explainRefusal(error, chat.chatUid, author);
  }

  /** Why the database refused the line, as the client's error (it re-reads the chat once). */
  private async explainRefusal(error: unknown, chatUid: string, author: LineAuthor): Promise<never> {
    if (!isRefusal(error)) throw error;
    const chat = await this.lookup.requireOpen(chatUid).catch((reason: unknown) => {
      if (reason instanceof MessagingException && reason.code === 'UNKNOWN_CHAT') this.lookup.forget(chatUid);
      throw reason;
    });
    if (author.operatorId !== undefined && chat.operatorId !== author.operatorId)
      throw new MessagingException('NOT_YOUR_CHAT');
    throw new MessagingException('CHAT_CLOSED');
  }

  /** FLx: the first line of each operator in the transcript, x counting the operators in order (a resend stores nothing). */
  private async recordFirstLine(chat: ChatFacts, operatorId: number): Promise<void> {
    const key = `${chat.id}:${operatorId}`;
    if (this.firstLinesRecorded.has(key)) return;
    const events = await this.chatEvents.listByChat(chat.id);
    const firstLines = events.filter((event) => /^FL\d+$/.test(event.code));
    if (!firstLines.some((event) => event.operatorId === operatorId)) {
      const event = firstLineEvent(firstLines.length + 1);
      await this.chatEvents.append(chat.id, { ...event, operatorId });
    }
    this.remember(key);
  }

  private remember(key: string): void {
    if (this.firstLinesRecorded.size >= FIRST_LINE_MEMO_SIZE) {
      const oldest = this.firstLinesRecorded.values().next();
      if (!oldest.done) this.firstLinesRecorded.delete(oldest.value);
    }
    this.firstLinesRecorded.add(key);
  }
}

/** The database refused the line by its condition (chat not open, not the agent's) or found no chat. */
function isRefusal(error: unknown): boolean {
  return (
    error instanceof PersistenceError &&
    (error.code === PersistenceErrorCode.Refused || error.code === PersistenceErrorCode.NotFound)
  );
}
