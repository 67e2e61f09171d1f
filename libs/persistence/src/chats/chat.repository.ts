import { randomUUID } from 'node:crypto';
import { In, type EntityManager, type FindOptionsWhere } from 'typeorm';
import { ensureValid, PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { encryptedColumns, storedIn } from '../encryption/encrypted-columns';
import {
  assignableChatStates,
  chatChannels,
  openChatStates,
  type ChatChannel,
  type ChatState,
} from './chat-types';
import { ChatEntity } from './chat.entity';
import { ChatRoutingEntity } from './chat-routing.entity';
import type { NewChatEvent } from './chat-event.repository';
import { insertChatEvents } from './insert-chat-events';
import { claimCapacity, releaseCapacity, Refusal } from './operator-capacity';
import { assignedEvent, enqueueWebhookEvents } from '../outbound-webhooks/webhook-outbox';
import type { Database } from '../database/database';

/** A chat as callers see it. */
export type ChatRecord = Readonly<Omit<ChatEntity, 'site' | 'skill' | 'operator' | 'openVisitorKey'>>;

/** The names shown with a chat (see {@link ChatRepository.names}). */
export interface ChatNamesRecord {
  readonly siteKey: string | null;
  readonly skill: string | null;
  readonly agentUsername: string | null;
  readonly agentName: string | null;
}

/** What a visitor brings when asking for a chat. */
export interface OpenChatInput {
  siteId: number;
  channel: ChatChannel;
  visitorKey: string;
  visitorName?: string | null;
  visitorEmail?: string | null;
  visitorIp?: string | null;
  /** The chat's UID when the caller derives it (a retried start finds its chat by it); else random. */
  chatUid?: string;
  skillId?: number | null;
  /** @default 0 */
  priority?: number;
}

/** `created`, or `existing` when the visitor already had an open chat on the site (which is returned). */
export type OpenChatResult = { outcome: 'created' | 'existing'; chat: ChatRecord };

type AssignRefusal = 'chat-not-assignable' | 'operator-at-capacity';
type TransferRefusal = 'chat-not-held-by-operator' | 'operator-at-capacity';

/** Outcome of {@link ChatRepository.assignOnce}. */
export type AssignResult = { assigned: true; chat: ChatRecord } | { assigned: false; reason: AssignRefusal };

/** Outcome of {@link ChatRepository.transfer}. */
export type TransferResult =
  { transferred: true; chat: ChatRecord } | { transferred: false; reason: TransferRefusal };

const openAttempts = 3;

const toChatRecord = ({
  site: _site,
  skill: _skill,
  operator: _operator,
  openVisitorKey: _openVisitorKey,
  ...record
}: ChatEntity): ChatRecord => record;

/** Chats and their state machine; assignment, transfer and close are decided by the database. */
/** Close reasons after which a visitor writing again gets a new chat, never the old one back (UC). */
const staysClosed: readonly string[] = ['BX', 'TR'];

export class ChatRepository {
  constructor(private readonly database: Database) {}

  /** Opens a chat, unless the visitor already has an open one on this site (a UNIQUE key decides). */
  async open(input: OpenChatInput, at = new Date()): Promise<OpenChatResult> {
    ensureValid(chatChannels.includes(input.channel), `unknown channel "${input.channel}"`);
    ensureValid(input.visitorKey !== '', 'visitor key must not be empty');
    for (let attempt = 0; attempt < openAttempts; attempt += 1) {
      try {
        const saved = await this.database.transaction(async (manager) => {
          const chat = await manager.save(
            manager.create(ChatEntity, {
              ...input,
              chatUid: input.chatUid ?? randomUUID(),
              openVisitorKey: input.visitorKey,
              state: 'waiting',
              createdAt: at,
              lastActivityAt: at,
            }),
          );
          const started = {
            visitorName: input.visitorName ?? null,
            visitorEmail: input.visitorEmail ?? null,
          };
          await enqueueWebhookEvents(manager, [{ chat, type: 'chat.started', data: () => started }], at);
          return chat;
        });
        return { outcome: 'created', chat: toChatRecord(saved) };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      // A chat with the caller's UID exists (open or ended): the same request again.
      const same = input.chatUid === undefined ? null : await this.findByUid(input.chatUid);
      if (same !== null) return { outcome: 'existing', chat: same };
      const existing = await this.findOpenForVisitor(input.siteId, input.visitorKey);
      if (existing !== null) return { outcome: 'existing', chat: existing };
      // The open chat closed between our insert and our read: try again.
    }
    throw new PersistenceError(
      PersistenceErrorCode.Conflict,
      `visitor ${input.visitorKey} keeps colliding on open`,
    );
  }

  async findById(id: number): Promise<ChatRecord | null> {
    return this.findOne({ id });
  }

  async findByUid(chatUid: string): Promise<ChatRecord | null> {
    return this.findOne({ chatUid });
  }

  async findOpenForVisitor(siteId: number, visitorKey: string): Promise<ChatRecord | null> {
    return this.findOne({ siteId, openVisitorKey: visitorKey });
  }

  /**
   * The names shown with a chat, in one query: its site's key, its skill, its agent's username and
   * display name (null for what the chat has not, or what no longer exists).
   */
  async names(chat: Pick<ChatRecord, 'siteId' | 'skillId' | 'operatorId'>): Promise<ChatNamesRecord> {
    const rows = await this.database.manager.query<
      Array<Record<'site_key' | 'skill_name' | 'agent_username' | 'agent_name', string | null>>
    >(
      `SELECT site.site_key AS site_key, skill.name AS skill_name, operator.username AS agent_username,
              operator.display_name AS agent_name
         FROM (SELECT 1 AS one) one
         LEFT JOIN sites site ON site.id = ?
         LEFT JOIN skills skill ON skill.id = ?
         LEFT JOIN operators operator ON operator.id = ?`,
      [chat.siteId, chat.skillId, chat.operatorId],
    );
    const [row] = rows;
    return {
      siteKey: row?.site_key ?? null,
      skill: row?.skill_name ?? null,
      agentUsername: row?.agent_username ?? null,
      agentName: row?.agent_name ?? null,
    };
  }

  /**
   * Chats matching every given filter, oldest first. `visitorEmail` is an exact match on the encrypted
   * (deterministic) column: it matches the address in every stored form (each key's, or plain).
   */
  async list(
    filter: { siteId?: number; states?: ChatState[]; operatorId?: number; visitorEmail?: string } = {},
  ): Promise<ChatRecord[]> {
    const entities = await this.database.manager.find(ChatEntity, {
      where: {
        siteId: filter.siteId,
        operatorId: filter.operatorId,
        state: filter.states && In(filter.states),
        visitorEmail:
          filter.visitorEmail === undefined
            ? undefined
            : storedIn(encryptedColumns.visitorEmail, filter.visitorEmail),
      },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
    return entities.map(toChatRecord);
  }

  /** Moves an unassigned chat between waiting/queued/offered; true if it was in one of `from`. */
  async transition(
    id: number,
    from: ChatState[],
    to: 'waiting' | 'queued' | 'offered',
    at = new Date(),
  ): Promise<boolean> {
    ensureValid(
      from.every((state) => assignableChatStates.includes(state)),
      'only unassigned states move this way',
    );
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(ChatEntity)
        .set({ state: to, lastActivityAt: at })
        .where('id = :id AND operator_id IS NULL AND state IN (:...from)', { id, from })
        .execute(),
    );
    return result.affected === 1;
  }

  /**
   * Gives the chat to the operator if nobody has it yet AND the operator is under capacity; both
   * conditional updates commit together or not at all, with `events` (OP, QR, QMAN…).
   */
  async assignOnce(
    id: number,
    operatorId: number,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<AssignResult> {
    try {
      const chat = await this.database.transaction(async (manager) => {
        // Operator row first: the chat update's foreign-key check would otherwise share-lock it and
        // two concurrent pickups by one operator would deadlock.
        await claimCapacity(manager, operatorId);
        const claimed = await manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({ operatorId, state: 'active', assignedAt: at, lastActivityAt: at })
          .where('id = :id AND operator_id IS NULL AND state IN (:...states)', {
            id,
            states: assignableChatStates,
          })
          .execute();
        if (claimed.affected !== 1) throw new Refusal('chat-not-assignable');
        await insertChatEvents(manager, id, events, at);
        const assigned = await this.requireIn(manager, id);
        await enqueueWebhookEvents(manager, [assignedEvent(manager, assigned, operatorId)], at);
        return assigned;
      });
      return { assigned: true, chat };
    } catch (error) {
      if (error instanceof Refusal) return { assigned: false, reason: error.reason as AssignRefusal };
      throw error;
    }
  }

  /** Hands an active chat from one operator to another, moving one unit of capacity with it (and storing `events`). */
  async transfer(
    id: number,
    fromOperatorId: number,
    toOperatorId: number,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<TransferResult> {
    ensureValid(fromOperatorId !== toOperatorId, 'a chat cannot be transferred to the operator who holds it');
    try {
      const chat = await this.database.transaction(async (manager) => {
        await claimCapacity(manager, toOperatorId);
        const moved = await manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({ operatorId: toOperatorId, assignedAt: at, lastActivityAt: at })
          .where("id = :id AND operator_id = :fromOperatorId AND state = 'active'", { id, fromOperatorId })
          .execute();
        if (moved.affected !== 1) throw new Refusal('chat-not-held-by-operator');
        await releaseCapacity(manager, fromOperatorId);
        await insertChatEvents(manager, id, events, at);
        const transferred = await this.requireIn(manager, id);
        await enqueueWebhookEvents(manager, [assignedEvent(manager, transferred, toOperatorId)], at);
        return transferred;
      });
      return { transferred: true, chat };
    } catch (error) {
      if (error instanceof Refusal) return { transferred: false, reason: error.reason as TransferRefusal };
      throw error;
    }
  }

  /**
   * Takes an active chat back from its operator (the operator left it): it waits again for anyone,
   * and the operator's capacity is freed, `events` (OL) stored with it. False when the operator did not hold it.
   */
  async unassign(
    id: number,
    operatorId: number,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<boolean> {
    return this.database.transaction(async (manager) => {
      const released = await manager
        .createQueryBuilder()
        .update(ChatEntity)
        .set({ operatorId: null, state: 'waiting', assignedAt: null, lastActivityAt: at })
        .where("id = :id AND operator_id = :operatorId AND state = 'active'", { id, operatorId })
        .execute();
      if (released.affected !== 1) return false;
      await releaseCapacity(manager, operatorId);
      await insertChatEvents(manager, id, events, at);
      return true;
    });
  }

  /**
   * Ends an open chat as `closed` (or `missed` when nobody took it), frees the visitor's open slot and
   * the operator's capacity, storing `events` (OC, VC, ST…) in the same transaction. False when the
   * chat was already ended (or does not exist).
   */
  async close(
    id: number,
    reasonCode: string,
    at = new Date(),
    state: 'closed' | 'missed' = 'closed',
    events: readonly NewChatEvent[] = [],
  ): Promise<boolean> {
    return this.database.transaction(async (manager) => {
      const ended = await manager
        .createQueryBuilder()
        .update(ChatEntity)
        .set({ state, closeReason: reasonCode, closedAt: at, lastActivityAt: at, openVisitorKey: null })
        .where('id = :id AND state IN (:...open)', { id, open: openChatStates })
        .execute();
      if (ended.affected !== 1) return false;
      const chat = await this.requireIn(manager, id);
      if (chat.operatorId !== null) await releaseCapacity(manager, chat.operatorId);
      await insertChatEvents(manager, id, events, at);
      await enqueueWebhookEvents(
        manager,
        [{ chat, type: 'chat.closed', data: () => ({ state, code: reasonCode }) }],
        at,
      );
      return true;
    });
  }

  /**
   * UC: reopens the visitor's latest chat on the site when it ended on `channel` at `since` or later
   * (not by a block or a text rule): the same chat, `waiting` with nobody holding it and without
   * routing's bookkeeping, so routing takes it in as new; `events(oldState)` are stored with the move.
   * One open chat per visitor and site still holds: the unique key refuses the reopen when another
   * chat of theirs opened meanwhile. Null when nothing was reopened (the caller opens or finds one).
   */
  async reopenRecent(
    input: { siteId: number; visitorKey: string; channel: ChatEntity['channel']; since: Date },
    events: (oldState: 'closed' | 'missed') => readonly NewChatEvent[],
    at = new Date(),
  ): Promise<ChatRecord | null> {
    const { siteId, visitorKey, channel, since } = input;
    const last = await this.database.manager.findOne(ChatEntity, {
      where: { siteId, visitorKey },
      order: { id: 'DESC' },
    });
    if (last === null || last.channel !== channel || last.closedAt === null || last.closedAt < since)
      return null;
    if (last.state !== 'closed' && last.state !== 'missed') return null;
    if (last.closeReason !== null && staysClosed.includes(last.closeReason)) return null;
    const oldState = last.state;
    try {
      return await this.database.transaction(async (manager) => {
        const reopened = await manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({
            state: 'waiting',
            openVisitorKey: visitorKey,
            operatorId: null,
            assignedAt: null,
            closedAt: null,
            closeReason: null,
            lastActivityAt: at,
          })
          .where('id = :id AND state = :oldState', { id: last.id, oldState })
          .execute();
        if (reopened.affected !== 1) return null;
        await manager.delete(ChatRoutingEntity, { chatId: last.id });
        await insertChatEvents(manager, last.id, events(oldState), at);
        return this.requireIn(manager, last.id);
      });
    } catch (error) {
      if (isUniqueViolation(error)) return null;
      throw error;
    }
  }

  private async findOne(where: FindOptionsWhere<ChatEntity>): Promise<ChatRecord | null> {
    const entity = await this.database.manager.findOneBy(ChatEntity, where);
    return entity && toChatRecord(entity);
  }

  private async requireIn(manager: EntityManager, id: number): Promise<ChatRecord> {
    return toChatRecord(await manager.findOneByOrFail(ChatEntity, { id }));
  }
}
