import type { EntityManager } from 'typeorm';
import type { Database } from '../database/database';
import { PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { openChatStates } from './chat-types';
import { ChatLineEntity } from './chat-line.entity';
import { ChatEntity } from './chat.entity';
import { enqueueWebhookEvents, lineEvent } from '../outbound-webhooks/webhook-outbox';

/** Who may append: unless it holds, the line is refused and nothing is written. */
export interface AppendCondition {
  /** The chat must be in an open state (not closed, not missed). */
  readonly open?: boolean;
  /** The chat must be assigned to this operator. */
  readonly operatorId?: number;
}

/** A line to store: everything but its sequence and id. */
export type PendingLine = Omit<ChatLineEntity, 'id' | 'sequence' | 'chat' | 'operator'>;

/** Appends one line in a transaction of its own; a resent external id returns the stored line. */
export async function appendLineAlone(
  database: Database,
  line: PendingLine,
  condition: AppendCondition,
): Promise<ChatLineEntity> {
  try {
    return await database.transaction((manager) => appendLineIn(manager, line, condition));
  } catch (error) {
    if (line.externalMessageId === null || !isUniqueViolation(error)) throw error;
    // The line was resent (a provider's retry, a lost acknowledgement): return the first copy.
    const existing = await database.manager.findOneBy(ChatLineEntity, {
      externalMessageId: line.externalMessageId,
    });
    if (existing === null) throw error;
    return existing;
  }
}

/**
 * Appends one line inside the caller's transaction (its sequence from the chat row's conditional
 * bump); throws the {@link refusal} when the chat does not meet `condition`.
 */
export async function appendLineIn(
  manager: EntityManager,
  line: PendingLine,
  condition: AppendCondition,
): Promise<ChatLineEntity> {
  const bump = manager
    .createQueryBuilder()
    .update(ChatEntity)
    .set({ lastLineSeq: () => 'last_line_seq + 1', lastActivityAt: line.createdAt })
    .where('id = :chatId', { chatId: line.chatId });
  if (condition.open) bump.andWhere('state IN (:...open)', { open: openChatStates });
  if (condition.operatorId !== undefined)
    bump.andWhere('operator_id = :operatorId', { operatorId: condition.operatorId });
  if ((await bump.execute()).affected !== 1) throw refusal(line.chatId, condition);
  const chat = await manager.findOneOrFail(ChatEntity, {
    select: { id: true, lastLineSeq: true, siteId: true, chatUid: true, channel: true },
    where: { id: line.chatId },
  });
  const stored = await manager.save(manager.create(ChatLineEntity, { ...line, sequence: chat.lastLineSeq }));
  await enqueueWebhookEvents(
    manager,
    [lineEvent(chat, { ...line, sequence: chat.lastLineSeq })],
    line.createdAt,
  );
  return stored;
}

/** Why a line was not appended: the chat is missing (no condition) or does not meet `condition`. */
export function refusal(chatId: number, condition: AppendCondition): PersistenceError {
  if (!condition.open && condition.operatorId === undefined)
    return new PersistenceError(PersistenceErrorCode.NotFound, `no chat ${chatId}`);
  const rule = [
    condition.open && 'open',
    condition.operatorId !== undefined && `assigned to operator ${condition.operatorId}`,
  ]
    .filter(Boolean)
    .join(' and ');
  return new PersistenceError(
    PersistenceErrorCode.Refused,
    `chat ${chatId} does not exist or is not ${rule}`,
  );
}
