import type { DataSource } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { ChatVariableEntity } from './chat-variable.entity';

/** Named values attached to chats, one value per (chat, name). */
export class ChatVariableRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Sets (inserts or overwrites) one variable. */
  async set(chatId: number, name: string, value: string): Promise<void> {
    ensureValid(name !== '', 'variable name must not be empty');
    const write = () =>
      inTransaction(this.dataSource, async (manager) => {
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
    const entity = await this.dataSource.manager.findOneBy(ChatVariableEntity, { chatId, name });
    return entity?.value ?? null;
  }

  /** All variables of a chat as a name → value map. */
  async listByChat(chatId: number): Promise<Record<string, string>> {
    const entities = await this.dataSource.manager.find(ChatVariableEntity, {
      where: { chatId },
      order: { name: 'ASC' },
    });
    return Object.fromEntries(entities.map((entity) => [entity.name, entity.value]));
  }
}
