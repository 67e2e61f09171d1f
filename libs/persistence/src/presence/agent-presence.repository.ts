import { In, type EntityManager, type UpdateQueryBuilder } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { dateParameter } from '../database/sql-values';
import { isUniqueViolation } from '../database/transaction';
import { isOperatorStatus, OperatorStatus } from '../operators/operator-status';
import { OperatorEntity } from '../operators/operator.entity';
import { AgentPresenceEntity } from './agent-presence.entity';
import { AgentStatusEventEntity } from './agent-status-event.entity';
import type { AgentStatusReason } from './agent-status-reason';
import type { Database } from '../database/database';

/** A status change as stored in `agent_status_events`. */
export interface AgentStatusChange {
  readonly operatorId: number;
  readonly from: OperatorStatus;
  readonly to: OperatorStatus;
  readonly reason: AgentStatusReason;
  readonly at: Date;
}

/** An agent the presence sweep takes out: all connections gone for the grace, or idle in Chat status. */
export interface PresenceLapse {
  readonly operatorId: number;
  readonly reason: 'disconnected' | 'idle';
}

/**
 * What a lapse must still be when the status changes (checked in the same statement), so a
 * reconnection or an action between the sweep's read and its write keeps the agent as they are.
 */
export type LapseGuard =
  | { readonly reason: 'disconnected'; readonly goneSince: Date }
  | { readonly reason: 'idle'; readonly idleSince: Date };

// Every node that has the agent stamps `seen_at` on each heartbeat; the last connection leaving a node
// stamps `gone_at`. Gone = neither is newer than `goneSince`; never stamped = unknown, left alone.
const GONE =
  '(presence.seen_at IS NOT NULL OR presence.gone_at IS NOT NULL) AND (presence.seen_at IS NULL OR presence.seen_at < :goneSince) AND (presence.gone_at IS NULL OR presence.gone_at < :goneSince)';
const IDLE = 'presence.active_at IS NOT NULL AND presence.active_at < :idleSince';
// note: an agent holding a chat is not idle (they may be reading, the chat has its own ST timeout).
const IDLE_OPERATOR = `status = ${OperatorStatus.online} AND open_chats = 0 AND (status_changed_at IS NULL OR status_changed_at < :idleSince)`;

/** Agents' cluster-wide presence and the log of their status changes (who, from, to, why, when). */
export class AgentPresenceRepository {
  constructor(private readonly database: Database) {}

  /**
   * A connection of the agent signed in: present now, and active when `active` (a log-in; a token
   * refresh or an automatic reconnection is not an action of the agent's).
   */
  async connected(operatorId: number, at = new Date(), active = true): Promise<void> {
    const changes = active ? { seenAt: at, goneAt: null, activeAt: at } : { seenAt: at, goneAt: null };
    await this.database.transaction(async (manager) => {
      const updated = await manager.update(AgentPresenceEntity, { operatorId }, changes);
      if (updated.affected === 1) return;
      await insertOrUpdate(manager, { operatorId, seenAt: at, goneAt: null, activeAt: at });
    });
  }

  /** The agent's last connection to one node left at `at`; other nodes may still have them. */
  async disconnected(operatorId: number, at = new Date()): Promise<void> {
    await this.database.transaction((manager) =>
      manager.update(AgentPresenceEntity, { operatorId }, { goneAt: at }),
    );
  }

  /**
   * A node's heartbeat, one statement for all: `operatorIds` are connected to it now, and the
   * `activeIds` among them did something since the last beat.
   */
  async markSeen(
    operatorIds: readonly number[],
    activeIds: readonly number[],
    at = new Date(),
  ): Promise<void> {
    if (operatorIds.length === 0) return;
    const query = this.database.manager.createQueryBuilder().update(AgentPresenceEntity);
    const stamped =
      activeIds.length === 0
        ? query.set({ seenAt: at })
        : query
            .set({
              seenAt: at,
              activeAt: () => 'CASE WHEN operator_id IN (:...activeIds) THEN :activeAt ELSE active_at END',
            })
            .setParameters({
              activeIds: [...activeIds],
              activeAt: dateParameter(this.database.dataSource, at),
            });
    await this.database.transaction(() => stamped.where({ operatorId: In([...operatorIds]) }).execute());
  }

  /**
   * Sets the agent's status and stores the change with its reason in one transaction; null when the
   * status was already `to` (nothing stored), when the agent does not exist, or when `guard` no longer
   * holds (the agent came back or did something meanwhile).
   */
  async changeStatus(
    operatorId: number,
    to: OperatorStatus,
    reason: AgentStatusReason,
    at = new Date(),
    guard?: LapseGuard,
  ): Promise<AgentStatusChange | null> {
    ensureValid(isOperatorStatus(to), `status must be 0-3, got ${to}`);
    return this.database.transaction(async (manager) => {
      const current = await manager.findOne(OperatorEntity, {
        select: { id: true, status: true },
        where: { id: operatorId },
      });
      if (current === null || current.status === to) return null;
      const from = current.status;
      const update = manager
        .createQueryBuilder(OperatorEntity, 'operator')
        .update()
        .set({ status: to, statusChangedAt: at })
        .where('id = :operatorId AND status = :from', { operatorId, from });
      if (guard) this.guarded(update, guard);
      if ((await update.execute()).affected !== 1) return null;
      await manager.insert(AgentStatusEventEntity, {
        operatorId,
        fromStatus: from,
        toStatus: to,
        reason,
        at,
      });
      return { operatorId, from, to, reason, at };
    });
  }

  /**
   * Agents not offline whose connections have all been gone since before `goneSince`, then (when
   * `idleSince` is given) agents in Chat status, holding no chat, who did nothing since `idleSince`.
   */
  async lapses(goneSince: Date, idleSince: Date | null): Promise<PresenceLapse[]> {
    const { dataSource } = this.database;
    const base = () =>
      this.database.manager
        .createQueryBuilder(AgentPresenceEntity, 'presence')
        .innerJoin(OperatorEntity, 'operator', 'operator.id = presence.operator_id')
        .select('presence.operator_id', 'operatorId');
    const gone = await base()
      .where(`operator.status <> ${OperatorStatus.offline}`)
      .andWhere(GONE, { goneSince: dateParameter(dataSource, goneSince) })
      .getRawMany<{ operatorId: number }>();
    const lapses: PresenceLapse[] = gone.map((row) => ({
      operatorId: Number(row.operatorId),
      reason: 'disconnected',
    }));
    if (idleSince === null) return lapses;
    const idle = await base()
      .where(IDLE_OPERATOR.replace(/(status|open_chats|status_changed_at)\b/g, 'operator.$1'))
      .andWhere(IDLE, { idleSince: dateParameter(dataSource, idleSince) })
      .getRawMany<{ operatorId: number }>();
    const goneIds = new Set(lapses.map((lapse) => lapse.operatorId));
    for (const row of idle)
      if (!goneIds.has(Number(row.operatorId)))
        lapses.push({ operatorId: Number(row.operatorId), reason: 'idle' });
    return lapses;
  }

  /** The agent's status changes, oldest first. */
  async statusEvents(operatorId: number): Promise<AgentStatusChange[]> {
    const events = await this.database.manager.find(AgentStatusEventEntity, {
      where: { operatorId },
      order: { id: 'ASC' },
    });
    return events.map(({ fromStatus, toStatus, reason, at }) => ({
      operatorId,
      from: fromStatus,
      to: toStatus,
      reason,
      at,
    }));
  }

  private guarded(update: UpdateQueryBuilder<OperatorEntity>, guard: LapseGuard): void {
    const { dataSource } = this.database;
    if (guard.reason === 'disconnected')
      update.andWhere(`id IN (SELECT presence.operator_id FROM agent_presence presence WHERE ${GONE})`, {
        goneSince: dateParameter(dataSource, guard.goneSince),
      });
    else
      update.andWhere(
        `${IDLE_OPERATOR} AND id IN (SELECT presence.operator_id FROM agent_presence presence WHERE ${IDLE})`,
        {
          idleSince: dateParameter(dataSource, guard.idleSince),
        },
      );
  }
}

/** The first presence row of an agent; a node that inserted it first meanwhile wins, then this updates. */
async function insertOrUpdate(
  manager: EntityManager,
  row: Pick<AgentPresenceEntity, 'operatorId' | 'seenAt' | 'goneAt' | 'activeAt'>,
): Promise<void> {
  try {
    await manager.insert(AgentPresenceEntity, row);
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const { operatorId, ...changes } = row;
    await manager.update(AgentPresenceEntity, { operatorId }, changes);
  }
}
