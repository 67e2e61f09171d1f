import { IsNull, Not } from 'typeorm';
import { chatStates, type ChatState } from './chat-types';
import { ChatEntity } from './chat.entity';
import type { Database } from '../database/database';

/** Chats of one site by state, and how long its oldest queued chat has waited. */
export interface SiteChatFigures {
  readonly siteId: number;
  readonly byState: Readonly<Record<ChatState, number>>;
  /** Creation time of the oldest chat still queued or waiting, or null when none is. */
  readonly oldestWaitingSince: Date | null;
}

const emptyCounts = (): Record<ChatState, number> =>
  Object.fromEntries(chatStates.map((state) => [state, 0])) as Record<ChatState, number>;

/** Read-only figures over the chats table for status pages and metrics (one grouped query each). */
export class ChatStatisticsRepository {
  constructor(private readonly database: Database) {}

  /** Every chat state with its count, zero included. */
  async countByState(): Promise<Record<ChatState, number>> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .select('chat.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .groupBy('chat.state')
      .getRawMany<{ state: ChatState; count: string | number }>();
    const counts = emptyCounts();
    for (const row of rows) if (row.state in counts) counts[row.state] = Number(row.count);
    return counts;
  }

  /**
   * The `limit` most recently closed chats of a skill (null: chats that asked for none) that an agent
   * took, with when it took them and when they closed: the expected wait's handling-time history.
   */
  async recentlyHandled(
    skillId: number | null,
    limit: number,
  ): Promise<Array<{ assignedAt: Date; closedAt: Date }>> {
    const rows = await this.database.manager.find(ChatEntity, {
      select: { id: true, assignedAt: true, closedAt: true },
      where: { skillId: skillId ?? IsNull(), closedAt: Not(IsNull()), assignedAt: Not(IsNull()) },
      order: { closedAt: 'DESC', id: 'DESC' },
      take: limit,
    });
    return rows.map((row) => ({ assignedAt: row.assignedAt!, closedAt: row.closedAt! }));
  }

  /** Per site that has chats: counts by state and the oldest waiting/queued chat. */
  async figuresBySite(): Promise<SiteChatFigures[]> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .select('chat.siteId', 'siteId')
      .addSelect('chat.state', 'state')
      .addSelect('COUNT(*)', 'count')
      .addSelect('MIN(chat.createdAt)', 'oldest')
      .groupBy('chat.siteId')
      .addGroupBy('chat.state')
      .getRawMany<{ siteId: number; state: ChatState; count: string | number; oldest: string | Date }>();
    const bySite = new Map<number, { byState: Record<ChatState, number>; oldest: Date | null }>();
    for (const row of rows) {
      const siteId = Number(row.siteId);
      const figures = bySite.get(siteId) ?? { byState: emptyCounts(), oldest: null };
      figures.byState[row.state] = Number(row.count);
      if (row.state === 'queued' || row.state === 'waiting') {
        const oldest = toDate(row.oldest);
        if (figures.oldest === null || oldest < figures.oldest) figures.oldest = oldest;
      }
      bySite.set(siteId, figures);
    }
    return [...bySite].map(([siteId, { byState, oldest }]) => ({
      siteId,
      byState,
      oldestWaitingSince: oldest,
    }));
  }
}

// MariaDB returns DATETIME as Date; SQLite returns the stored text, which may lack the zone suffix.
function toDate(value: string | Date): Date {
  if (value instanceof Date) return value;
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
}
