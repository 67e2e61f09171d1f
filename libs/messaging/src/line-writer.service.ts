import { Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import type { ChatRecord, LineSenderKind } from '@switchboard/persistence';
import type { ChatLineView } from '@switchboard/protocol';
import { firstLineEvent } from '@switchboard/routing-domain';
import { ChatLookup } from './chat-lookup.service';
import { ChatPublisher } from './chat-publisher.service';
import { toLineView, webLineKey } from './chat-views.mapper';
import { MessagingException } from './messaging.exception';

export interface LineAuthor {
  readonly kind: LineSenderKind;
  readonly name: string;
  readonly operatorId?: number;
}

/**
 * Stores a line (sequence assigned in the insert's transaction), then publishes it. A resend with
 * the same clientMessageId (the acknowledgement was lost) returns the stored line: one line,
 * however often it is sent.
 */
@Injectable()
export class LineWriter {
  constructor(
    private readonly lookup: ChatLookup,
    private readonly publisher: ChatPublisher,
    private readonly parameters: ParameterService,
  ) {}

  async write(
    chat: ChatRecord,
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
    const stored = await this.lookup.repositories.chatLines.append(chat.id, {
      senderKind: author.kind,
      senderName: author.name,
      text,
      operatorId: author.operatorId ?? null,
      externalMessageId: key,
    });
    if (author.operatorId !== undefined) await this.recordFirstLine(chat, author.operatorId);
    const line = toLineView(chat.chatUid, stored);
    // note: a resend publishes the stored line again; every node drops a sequence it already delivered.
    await this.publisher.line(line);
    return line;
  }

  /** FLx: the first line of each operator in the transcript, x counting the operators in order (a resend stores nothing). */
  private async recordFirstLine(chat: ChatRecord, operatorId: number): Promise<void> {
    const events = await this.lookup.repositories.chatEvents.listByChat(chat.id);
    const firstLines = events.filter((event) => /^FL\d+$/.test(event.code));
    if (firstLines.some((event) => event.operatorId === operatorId)) return;
    const event = firstLineEvent(firstLines.length + 1);
    await this.lookup.repositories.chatEvents.append(chat.id, { ...event, operatorId });
  }
}
