import { MoreThan, type DataSource } from 'typeorm';
import { ensureValid, PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { lineSenderKinds, type LineSenderKind } from './chat-types';
import { ChatLineEntity } from './chat-line.entity';
import { ChatEntity } from './chat.entity';

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
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends a line: bumps `chats.last_line_seq` (which row-locks the chat until commit), reads it back
   * and inserts the line with it, all in one transaction; concurrent appends queue on the chat row.
   */
  async append(chatId: number, line: NewChatLine, at = new Date()): Promise<ChatLineRecord> {
    ensureValid(lineSenderKinds.includes(line.senderKind), `unknown sender kind "${line.senderKind}"`);
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const bumped = await manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({ lastLineSeq: () => 'last_line_seq + 1', lastActivityAt: at })
          .where('id = :chatId', { chatId })
          .execute();
        if (bumped.affected !== 1)
          throw new PersistenceError(PersistenceErrorCode.NotFound, `no chat ${chatId}`);
        const { lastLineSeq } = await manager.findOneOrFail(ChatEntity, {
          select: { id: true, lastLineSeq: true },
          where: { id: chatId },
        });
        const saved = await manager.save(
          manager.create(ChatLineEntity, { ...line, chatId, sequence: lastLineSeq, createdAt: at }),
        );
        return toRecord(saved);
      });
    } catch (error) {
      const externalMessageId = line.externalMessageId ?? null;
      if (externalMessageId === null || !isUniqueViolation(error)) throw error;
      // The provider retried a message we already stored: return the first copy.
      const existing = await this.findByExternalMessageId(externalMessageId);
      if (existing === null) throw error;
      return existing;
    }
  }

  /** Up to `limit` lines after `afterSequence` (0 = from the start), in order. */
  async listSince(chatId: number, afterSequence: number, limit = defaultPageSize): Promise<ChatLineRecord[]> {
    const entities = await this.dataSource.manager.find(ChatLineEntity, {
      where: { chatId, sequence: MoreThan(afterSequence) },
      order: { sequence: 'ASC' },
      take: limit,
    });
    return entities.map(toRecord);
  }

  async findByExternalMessageId(externalMessageId: string): Promise<ChatLineRecord | null> {
    const entity = await this.dataSource.manager.findOneBy(ChatLineEntity, { externalMessageId });
    return entity && toRecord(entity);
  }

  /** Records a provider delivery status (accepted, delivered, seen, failed …); false for unknown ids. */
  async setDeliveryState(externalMessageId: string, deliveryState: string): Promise<boolean> {
    const result = await inTransaction(this.dataSource, (manager) =>
      manager.update(ChatLineEntity, { externalMessageId }, { deliveryState }),
    );
    return result.affected === 1;
  }
}
