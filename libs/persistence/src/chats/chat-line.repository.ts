import { MoreThan, type DataSource } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { lineSenderKinds, openChatStates, type LineSenderKind } from './chat-types';
import { ChatLineEntity } from './chat-line.entity';
import { ChatEntity } from './chat.entity';
import { LineGroupCommit, refusal, type AppendCondition, type PendingLine } from './line-group-commit';

export type { AppendCondition } from './line-group-commit';

/** One group commit per MariaDB DataSource, shared by every repository made from it. */
const groupCommits = new WeakMap<DataSource, LineGroupCommit>();

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
    if (this.dataSource.options.type === 'better-sqlite3') return this.appendAlone(pending, condition);
    let group = groupCommits.get(this.dataSource);
    if (!group) {
      group = new LineGroupCommit(this.dataSource, (alone, aloneCondition) =>
        this.appendAlone(alone, aloneCondition),
      );
      groupCommits.set(this.dataSource, group);
    }
    return toRecord(await group.append(pending, condition));
  }

  /** One line in a transaction of its own; a resent external id returns the stored line. */
  private async appendAlone(line: PendingLine, condition: AppendCondition): Promise<ChatLineEntity> {
    try {
      return await inTransaction(this.dataSource, async (manager) => {
        const bump = manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({ lastLineSeq: () => 'last_line_seq + 1', lastActivityAt: line.createdAt })
          .where('id = :chatId', { chatId: line.chatId });
        if (condition.open) bump.andWhere('state IN (:...open)', { open: openChatStates });
        if (condition.operatorId !== undefined)
          bump.andWhere('operator_id = :operatorId', { operatorId: condition.operatorId });
        if ((await bump.execute()).affected !== 1) throw refusal(line.chatId, condition);
        const { lastLineSeq } = await manager.findOneOrFail(ChatEntity, {
          select: { id: true, lastLineSeq: true },
          where: { id: line.chatId },
        });
        return manager.save(manager.create(ChatLineEntity, { ...line, sequence: lastLineSeq }));
      });
    } catch (error) {
      if (line.externalMessageId === null || !isUniqueViolation(error)) throw error;
      // The line was resent (a provider's retry, a lost acknowledgement): return the first copy.
      const existing = await this.dataSource.manager.findOneBy(ChatLineEntity, {
        externalMessageId: line.externalMessageId,
      });
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
