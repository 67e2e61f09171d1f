import { ensureValid } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { encryptedColumns, storedIn } from '../encryption/encrypted-columns';
import { ChatVariableEntity } from './chat-variable.entity';
import type { Database } from '../database/database';

/** Named values attached to chats, one value per (chat, name). */
export class ChatVariableRepository {
  constructor(private readonly database: Database) {}

  /** Sets (inserts or overwrites) one variable. */
  async set(chatId: number, name: string, value: string): Promise<void> {
    ensureValid(name !== '', 'variable name must not be empty');
    const write = () =>
      this.database.transaction(async (manager) => {
        const updated = await manager.update(ChatVariableEntity, { chatId, name }, { value });
        if (updated.affected === 0) await manager.insert(ChatVariableEntity, { chatId, name, value });
      });
    try {
      await write();
    } catch (error) {
      // Another writer inserted the same name between our update and insert: now the update applies.
      if (!isUniqueViolation(error)) throw error;
      await write();
    }
  }

  async get(chatId: number, name: string): Promise<string | null> {
    const entity = await this.database.manager.findOneBy(ChatVariableEntity, { chatId, name });
    return entity?.value ?? null;
  }

  /** All variables of a chat as a name → value map. */
  async listByChat(chatId: number): Promise<Record<string, string>> {
    const entities = await this.database.manager.find(ChatVariableEntity, {
      where: { chatId },
      order: { name: 'ASC' },
    });
    return Object.fromEntries(entities.map((entity) => [entity.name, entity.value]));
  }

  /** Ids of the chats whose variable `name` equals `value` (an exact match on the encrypted column), ascending. */
  async findChatIds(name: string, value: string): Promise<number[]> {
    const entities = await this.database.manager.find(ChatVariableEntity, {
      select: { chatId: true },
      where: { name, value: storedIn(encryptedColumns.chatVariableValue, value) },
      order: { chatId: 'ASC' },
    });
    return entities.map((entity) => entity.chatId);
  }
}
