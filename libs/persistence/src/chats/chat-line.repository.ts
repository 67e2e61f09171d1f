import { MoreThan } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { lineSenderKinds, type LineSenderKind } from './chat-types';
import { ChatLineEntity } from './chat-line.entity';
import { appendLineAlone, type AppendCondition, type PendingLine } from './line-append';
import type { LineGroupCommit } from './line-group-commit';
import type { Database } from '../database/database';

export type { AppendCondition } from './line-append';

/** A transcript line as callers see it. */
export type ChatLineRecord = Readonly<Omit<ChatLineEntity, 'chat' | 'operator'>>;

/** A line to append; the repository assigns `sequence`. */
export interface NewChatLine {
  senderKind: LineSenderKind;
  senderName: string;
  text: string;
  operatorId?: number | null;
  /** Provider message id (WhatsApp); a second append with the same id returns the first line. */
  externalMessageId?: string | null;
  deliveryState?: string | null;
}

/** @default limit of {@link ChatLineRepository.listSince} */
const defaultPageSize = 500;

const toRecord = ({ chat: _chat, operator: _operator, ...record }: ChatLineEntity): ChatLineRecord => record;

/** Chat transcripts, numbered 1, 2, 3 … per chat with no gap, so reconnecting clients ask for what they missed. */
export class ChatLineRepository {
  constructor(
    private readonly database: Database,
    private readonly groupCommit: LineGroupCommit,
  ) {}

  /**
   * Appends a line numbered after the chat's last one, if `condition` holds (else Refused, or
   * NotFound without a condition, and nothing is stored). On MariaDB concurrent appends share a
   * transaction (see {@link LineGroupCommit}); on SQLite each has its own. Either way the chat row
   * stays locked from the sequence bump to the commit: no gap, no duplicate.
   */
  async append(
    chatId: number,
    line: NewChatLine,
    at = new Date(),
    condition: AppendCondition = {},
  ): Promise<ChatLineRecord> {
    ensureValid(lineSenderKinds.includes(line.senderKind), `unknown sender kind "${line.senderKind}"`);
    const pending: PendingLine = {
      chatId,
      senderKind: line.senderKind,
      senderName: line.senderName,
      text: line.text,
      operatorId: line.operatorId ?? null,
      externalMessageId: line.externalMessageId ?? null,
      deliveryState: line.deliveryState ?? null,
      createdAt: at,
    };
    const stored = this.database.isSqlite
      ? await appendLineAlone(this.database, pending, condition)
      : await this.groupCommit.append(pending, condition);
    return toRecord(stored);
  }

  /** Up to `limit` lines after `afterSequence` (0 = from the start), in order. */
  async listSince(chatId: number, afterSequence: number, limit = defaultPageSize): Promise<ChatLineRecord[]> {
    const entities = await this.database.manager.find(ChatLineEntity, {
      where: { chatId, sequence: MoreThan(afterSequence) },
      order: { sequence: 'ASC' },
      take: limit,
    });
    return entities.map(toRecord);
  }

  async findByExternalMessageId(externalMessageId: string): Promise<ChatLineRecord | null> {
    const entity = await this.database.manager.findOneBy(ChatLineEntity, { externalMessageId });
    return entity && toRecord(entity);
  }

  /** Records a provider delivery status (accepted, delivered, seen, failed …); false for unknown ids. */
  async setDeliveryState(externalMessageId: string, deliveryState: string): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager.update(ChatLineEntity, { externalMessageId }, { deliveryState }),
    );
    return result.affected === 1;
  }
}
