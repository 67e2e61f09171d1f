import { ensureValid } from '../database/persistence.error';
import { ChatEventEntity } from './chat-event.entity';
import { eventCodePattern, insertChatEvents } from './insert-chat-events';
import type { Database } from '../database/database';

/** A coded chat event as callers see it. */
export type ChatEventRecord = Readonly<Omit<ChatEventEntity, 'chat' | 'operator'>>;

/** An event to record: a glossary code (OP, OPF, CQ, ST, FL1 …) with its rendered text. */
export interface NewChatEvent {
  code: string;
  text: string;
  operatorId?: number | null;
}

const toRecord = ({ chat: _chat, operator: _operator, ...record }: ChatEventEntity): ChatEventRecord =>
  record;

/** The coded history of each chat (WhosOn's chat event glossary). */
export class ChatEventRepository {
  constructor(private readonly database: Database) {}

  async append(chatId: number, event: NewChatEvent, at = new Date()): Promise<ChatEventRecord> {
    ensureValid(eventCodePattern.test(event.code), `"${event.code}" is not an event code`);
    const saved = await this.database.transaction((manager) =>
      manager.save(manager.create(ChatEventEntity, { ...event, chatId, createdAt: at })),
    );
    return toRecord(saved);
  }

  /** Records several events of one chat in one transaction, in order. */
  async appendAll(chatId: number, events: readonly NewChatEvent[], at = new Date()): Promise<void> {
    if (events.length === 0) return;
    await this.database.transaction((manager) => insertChatEvents(manager, chatId, events, at));
  }

  /** The chat's events in the order they were recorded. */
  async listByChat(chatId: number): Promise<ChatEventRecord[]> {
    const entities = await this.database.manager.find(ChatEventEntity, {
      where: { chatId },
      order: { id: 'ASC' },
    });
    return entities.map(toRecord);
  }
}
