import type { EntityManager } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { ChatEventEntity } from './chat-event.entity';
import type { NewChatEvent } from './chat-event.repository';

export const eventCodePattern = /^[A-Z][A-Z0-9]{1,7}$/;

/**
 * Stores the codes of a move inside the move's own transaction, after its conditional update of the
 * chat row: that update's row lock orders the moves of one chat, so the event log (read by id) is in
 * the order the moves committed.
 */
export async function insertChatEvents(
  manager: EntityManager,
  chatId: number,
  events: readonly NewChatEvent[],
  at: Date,
): Promise<void> {
  if (events.length === 0) return;
  for (const event of events)
    ensureValid(eventCodePattern.test(event.code), `"${event.code}" is not an event code`);
  await manager.insert(
    ChatEventEntity,
    events.map((event) => ({ ...event, chatId, createdAt: at })),
  );
}
