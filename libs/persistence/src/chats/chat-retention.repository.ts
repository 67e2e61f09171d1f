import { In } from 'typeorm';
import { dateParameter } from '../database/sql-values';
import { ChatEntity } from './chat.entity';
import type { Database } from '../database/database';

/** Ended chats past the retention period, deleted a batch at a time (lines, events, variables go with them). */
export class ChatRetentionRepository {
  constructor(private readonly database: Database) {}

  /** Deletes up to `batchSize` chats that ended (closed or missed) before `cutoff`; resolves to how many. */
  async purgeBatch(cutoff: Date, batchSize: number): Promise<number> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .select('chat.id', 'id')
      .where("chat.state IN ('closed', 'missed') AND chat.closed_at < :cutoff", {
        cutoff: dateParameter(this.database.dataSource, cutoff),
      })
      .orderBy('chat.id', 'ASC')
      .limit(batchSize)
      .getRawMany<{ id: number | string }>();
    if (rows.length === 0) return 0;
    // note: the foreign keys cascade to lines, events, variables, routing and WhatsApp rows.
    const deleted = await this.database.transaction((manager) =>
      manager.delete(ChatEntity, { id: In(rows.map((row) => Number(row.id))) }),
    );
    return deleted.affected ?? rows.length;
  }
}
