import { In, type EntityManager } from 'typeorm';
import { isUniqueViolation } from '../database/transaction';
import { dateParameter } from '../database/sql-values';
import { encryptedColumns, openColumn } from '../encryption/encrypted-columns';
import { assignableChatStates, openChatStates } from './chat-types';
import type { NewChatEvent } from './chat-event.repository';
import { insertChatEvents } from './insert-chat-events';
import { enqueueWebhookEvents, outboxChat } from '../outbound-webhooks/webhook-outbox';
import { appendLineIn, type PendingLine } from './line-append';
import type { ChatLineEntity } from './chat-line.entity';
import { PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { ChatRoutingEntity } from './chat-routing.entity';
import { ChatEntity } from './chat.entity';
import { Refusal, releaseCapacity } from './operator-capacity';
import type { Database } from '../database/database';

/** An open chat nobody holds, with routing's bookkeeping (null before routing admitted it). */
export interface RoutableChat {
  readonly id: number;
  readonly chatUid: string;
  readonly siteId: number;
  readonly channel: ChatEntity['channel'];
  readonly skillId: number | null;
  readonly priority: number;
  readonly state: 'waiting' | 'queued' | 'offered';
  readonly createdAt: Date;
  readonly visitorKey: string;
  readonly visitorName: string | null;
  readonly visitorEmail: string | null;
  readonly lastLineSeq: number;
  readonly routing: {
    readonly queuedAt: Date;
    readonly offeredAt: Date | null;
    readonly offeredTo: readonly number[];
    readonly askedIds: readonly number[];
    /**
     * Agents who declined it or let its offer expire, and when: not offered it again during the
     * decline cool-down, and after it only when nobody else can take it.
     */
    readonly declines: readonly ChatDecline[];
    readonly offerRound: number;
  } | null;
}

/** An agent who declined a chat's offer, or let it expire. */
export interface ChatDecline {
  readonly operatorId: number;
  readonly at: Date;
}

/** An open chat the timeouts look at. */
export interface TimeoutCandidate {
  readonly id: number;
  readonly chatUid: string;
  readonly state: 'waiting' | 'queued' | 'offered' | 'active';
  readonly operatorId: number | null;
  readonly lastActivityAt: Date;
  /**
   * The last time any node knew the visitor present (their last drop, or a later sighting); null for
   * a chat whose visitor never connected through a socket (WhatsApp).
   */
  readonly visitorGoneAt: Date | null;
}

/** When each operator last got or finished a chat. */
export interface OperatorActivity {
  readonly lastAssignedAt: Date | null;
  readonly lastClosedAt: Date | null;
}

interface RoutableRow {
  id: number | string;
  chatUid: string;
  siteId: number | string;
  channel: ChatEntity['channel'];
  skillId: number | string | null;
  priority: number | string;
  state: RoutableChat['state'];
  createdAt: unknown;
  visitorKey: string;
  visitorName: string | null;
  visitorEmail: string | null;
  lastLineSeq: number | string;
  routedChatId: number | string | null;
  queuedAt: unknown;
  offeredAt: unknown;
  offeredTo: string | null;
  askedIds: string | null;
  declinedIds: string | null;
  offerRound: number | string | null;
}

/** When the visitor was last known present: the later of the last drop and the last sighting. */
const lastPresent = (goneAt: Date | null, seenAt: Date | null): Date | null =>
  goneAt === null || (seenAt !== null && seenAt > goneAt) ? seenAt : goneAt;

// The visitor has been gone since before :goneSince: the last node to have them saw them leave
// before it, and no node has seen them connected since (a node that died stops stamping).
const goneSinceCondition =
  '((visitor_gone_at IS NOT NULL OR visitor_seen_at IS NOT NULL) AND (visitor_gone_at IS NULL OR visitor_gone_at < :goneSince) AND (visitor_seen_at IS NULL OR visitor_seen_at < :goneSince))';
// No RMS notice since the visitor was last present (dropped or seen).
const notNoticedCondition =
  '(visitor_gone_noticed_at IS NULL OR visitor_gone_noticed_at < visitor_gone_at OR visitor_gone_noticed_at < visitor_seen_at)';

const idList = (ids: readonly number[]): string => ids.join(',');
const parseIds = (text: string): number[] => (text === '' ? [] : text.split(',').map(Number));
// `declined_ids` holds `<operator id>@<epoch milliseconds>` entries (a bare id, from before the cool-down,
// counts as declined long ago), newest last, trimmed from the oldest to fit the column.
const declinesColumnWidth = 2000;
const parseDeclines = (text: string): ChatDecline[] =>
  text === ''
    ? []
    : text.split(',').map((entry) => {
        const [id, milliseconds = '0'] = entry.split('@');
        return { operatorId: Number(id), at: new Date(Number(milliseconds)) };
      });
function formatDeclines(declines: readonly ChatDecline[]): string {
  const entries = declines.map(({ operatorId, at }) => `${operatorId}@${at.getTime()}`);
  while (entries.join(',').length > declinesColumnWidth) entries.shift();
  return entries.join(',');
}
/** `declines` with each of `operatorIds` (re)noted at `at`, newest last. */
const withDeclines = (
  declines: readonly ChatDecline[],
  operatorIds: readonly number[],
  at: Date,
): ChatDecline[] => [
  ...declines.filter(({ operatorId }) => !operatorIds.includes(operatorId)),
  ...operatorIds.map((operatorId) => ({ operatorId, at })),
];
const unassigned = 'id = :id AND operator_id IS NULL AND state IN (:...states)';

/**
 * The queue as the routing service reads and moves it. Every write is conditional on the state it
 * was decided from, so two routing instances never both act on one chat; assignment itself stays
 * with `ChatRepository.assignOnce`.
 */
export class ChatRoutingRepository {
  constructor(private readonly database: Database) {}

  /** Open chats nobody holds (waiting, queued, offered), oldest first. */
  async routable(): Promise<RoutableChat[]> {
    // note: raw rows, not entities: a pass reads every queued chat, and hydration would dominate it.
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .leftJoin(ChatRoutingEntity, 'routing', 'routing.chat_id = chat.id')
      .select('chat.id', 'id')
      .addSelect('chat.chat_uid', 'chatUid')
      .addSelect('chat.site_id', 'siteId')
      .addSelect('chat.channel', 'channel')
      .addSelect('chat.skill_id', 'skillId')
      .addSelect('chat.priority', 'priority')
      .addSelect('chat.state', 'state')
      .addSelect('chat.created_at', 'createdAt')
      .addSelect('chat.visitor_key', 'visitorKey')
      .addSelect('chat.visitor_name', 'visitorName')
      .addSelect('chat.visitor_email', 'visitorEmail')
      .addSelect('chat.last_line_seq', 'lastLineSeq')
      .addSelect('routing.chat_id', 'routedChatId')
      .addSelect('routing.queued_at', 'queuedAt')
      .addSelect('routing.offered_at', 'offeredAt')
      .addSelect('routing.offered_to', 'offeredTo')
      .addSelect('routing.asked_ids', 'askedIds')
      .addSelect('routing.declined_ids', 'declinedIds')
      .addSelect('routing.offer_round', 'offerRound')
      .where('chat.state IN (:...states) AND chat.operator_id IS NULL', { states: assignableChatStates })
      .orderBy('chat.created_at', 'ASC')
      .addOrderBy('chat.id', 'ASC')
      .getRawMany<RoutableRow>();
    return rows.map((row) => ({
      id: Number(row.id),
      chatUid: row.chatUid,
      siteId: Number(row.siteId),
      channel: row.channel,
      skillId: row.skillId === null ? null : Number(row.skillId),
      priority: Number(row.priority),
      state: row.state,
      createdAt: toDate(row.createdAt) ?? new Date(0),
      visitorKey: row.visitorKey,
      visitorName: openColumn(encryptedColumns.visitorName, row.visitorName),
      visitorEmail: openColumn(encryptedColumns.visitorEmail, row.visitorEmail),
      lastLineSeq: Number(row.lastLineSeq),
      routing:
        row.routedChatId === null
          ? null
          : {
              queuedAt: toDate(row.queuedAt) ?? new Date(0),
              offeredAt: toDate(row.offeredAt),
              offeredTo: parseIds(row.offeredTo ?? ''),
              askedIds: parseIds(row.askedIds ?? ''),
              declines: parseDeclines(row.declinedIds ?? ''),
              offerRound: Number(row.offerRound),
            },
    }));
  }

  /**
   * Takes a waiting chat into the queue (on `redirectToSkillId` when a rule redirected it) with the
   * intake's codes (MR, SK, CNR); resolves to its offer round, or null when it is no longer waiting
   * (another routing instance took it, or an agent picked it up).
   */
  async admit(
    chatId: number,
    at = new Date(),
    redirectToSkillId?: number,
    events: readonly NewChatEvent[] = [],
  ): Promise<number | null> {
    return this.database.transaction(async (manager) => {
      const moved = await this.moveChat(manager, chatId, ['waiting'], 'queued', at);
      if (!moved) return null;
      await insertChatEvents(manager, chatId, events, at);
      // A routing rule sent the chat to another skill.
      if (redirectToSkillId !== undefined)
        await manager.update(ChatEntity, { id: chatId }, { skillId: redirectToSkillId });
      const previous = await manager.findOneBy(ChatRoutingEntity, { chatId });
      const offerRound = (previous?.offerRound ?? 0) + 1;
      // A chat an agent left (OL) keeps its place in the queue and who declined it.
      await manager.save(
        manager.create(ChatRoutingEntity, {
          chatId,
          queuedAt: previous?.queuedAt ?? at,
          offeredAt: null,
          offeredTo: '',
          askedIds: '',
          declinedIds: previous?.declinedIds ?? '',
          offerRound,
        }),
      );
      return offerRound;
    });
  }

  /**
   * Sends the chat to `agentIds` (an auto pickup request, or an offer to all), over the round read.
   * False when the chat was taken, closed or re-offered meanwhile.
   */
  async offer(
    chatId: number,
    expectedRound: number,
    offer: { agentIds: readonly number[]; askedIds: readonly number[] },
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<boolean> {
    // note: ids are stored as text; 2000 characters hold about 300 agents, plenty for one offer.
    const changes = { offeredAt: at, offeredTo: idList(offer.agentIds), askedIds: idList(offer.askedIds) };
    return this.moveOffer(chatId, expectedRound, ['queued', 'offered'], 'offered', changes, at, events);
  }

  /**
   * Stores the codes of a chat that stays in the queue (CQ, QM), only while it is still queued and
   * nobody holds it: the row lock of that check orders them before a pickup that comes after.
   */
  async recordQueued(chatId: number, events: readonly NewChatEvent[], at = new Date()): Promise<boolean> {
    return this.database.transaction(async (manager) => {
      if (!(await this.moveChat(manager, chatId, ['queued'], 'queued', at))) return false;
      await insertChatEvents(manager, chatId, events, at);
      return true;
    });
  }

  /**
   * Withdraws the offer: the chat waits in the queue again (it keeps its place). The agents it was
   * asked of this round who did not decline it let it expire, and count as declining it at `at`.
   */
  async requeue(
    chatId: number,
    expectedRound: number,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<boolean> {
    const changes = { offeredAt: null, offeredTo: '', askedIds: '' };
    return this.moveOffer(chatId, expectedRound, ['offered'], 'queued', changes, at, events, (routing) => {
      const declines = parseDeclines(routing.declinedIds);
      // Who declined this offer (an agent asked again after the cool-down declined an earlier one).
      const offeredAt = routing.offeredAt ?? new Date(0);
      const declined = new Set(
        declines.filter(({ at }) => at >= offeredAt).map(({ operatorId }) => operatorId),
      );
      const expired = [...new Set([...parseIds(routing.askedIds), ...parseIds(routing.offeredTo)])].filter(
        (id) => !declined.has(id),
      );
      return { declinedIds: formatDeclines(withDeclines(declines, expired, at)) };
    });
  }

  /**
   * Notes that `operatorId` declined the chat's current offer at `at` (kept until the chat leaves
   * routing). False when the chat is not offered to that operator now.
   */
  async recordDecline(chatId: number, operatorId: number, at = new Date()): Promise<boolean> {
    // note: read-modify-write in a transaction; two declines of one chat at the same instant may keep
    // one of them only, and a requeue then counts the other as expired: the same cool-down.
    return this.database.transaction(async (manager) => {
      const routing = await manager.findOneBy(ChatRoutingEntity, { chatId });
      if (routing === null || !parseIds(routing.offeredTo).includes(operatorId)) return false;
      const declines = withDeclines(parseDeclines(routing.declinedIds), [operatorId], at);
      await manager.update(ChatRoutingEntity, { chatId }, { declinedIds: formatDeclines(declines) });
      return true;
    });
  }

  /**
   * Ends a chat nobody holds as missed with `code` (OF, CQM, CQT, OO, QTO): the visitor's open slot
   * is freed. False when an agent got it first or it had ended.
   */
  async refuse(
    chatId: number,
    code: string,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<boolean> {
    return this.database.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(ChatEntity)
        .set({ state: 'missed', closeReason: code, closedAt: at, lastActivityAt: at, openVisitorKey: null })
        .where(unassigned, { id: chatId, states: assignableChatStates })
        .execute();
      if (result.affected !== 1) return false;
      await insertChatEvents(manager, chatId, events, at);
      await enqueueWebhookEvents(
        manager,
        [
          {
            chat: await outboxChat(manager, chatId),
            type: 'chat.closed',
            data: () => ({ state: 'missed', code }),
          },
        ],
        at,
      );
      return true;
    });
  }

  /**
   * Site transfer: the operator's active chat leaves them and waits on `toSiteId` as a new request
   * (routing runs its intake there), one unit of capacity freed, all in one transaction. `moved`
   * false when the operator no longer held it; `visitor-busy` when the visitor already has an open
   * chat on the target site (its UNIQUE key refuses).
   */
  async moveToSite(
    chatId: number,
    fromOperatorId: number,
    toSiteId: number,
    at = new Date(),
    events: readonly NewChatEvent[] = [],
  ): Promise<'moved' | 'not-held' | 'visitor-busy'> {
    try {
      return await this.database.transaction(async (manager) => {
        const moved = await manager
          .createQueryBuilder()
          .update(ChatEntity)
          .set({ siteId: toSiteId, operatorId: null, state: 'waiting', assignedAt: null, lastActivityAt: at })
          .where("id = :chatId AND operator_id = :fromOperatorId AND state = 'active'", {
            chatId,
            fromOperatorId,
          })
          .execute();
        if (moved.affected !== 1) return 'not-held';
        await releaseCapacity(manager, fromOperatorId);
        // Routing takes it in as new on the target site (opening hours and rules of that site).
        await manager.delete(ChatRoutingEntity, { chatId });
        await insertChatEvents(manager, chatId, events, at);
        return 'moved';
      });
    } catch (error) {
      if (isUniqueViolation(error)) return 'visitor-busy';
      throw error;
    }
  }

  /**
   * Records the visitor's last connection to the chat on this node leaving (`goneAt`) or a connection
   * coming (null, which also stamps `visitor_seen_at`); a no-op before routing took the chat in.
   */
  async setVisitorPresence(chatUid: string, goneAt: Date | null, at = new Date()): Promise<void> {
    const chat = await this.database.manager.findOneBy(ChatEntity, { chatUid });
    if (chat === null) return;
    const changes = goneAt === null ? { visitorGoneAt: null, visitorSeenAt: at } : { visitorGoneAt: goneAt };
    await this.database.transaction((manager) =>
      manager.update(ChatRoutingEntity, { chatId: chat.id }, changes),
    );
  }

  /** Stamps `at` as when the visitors of `chatUids` were last seen connected (a node's heartbeat). */
  async markVisitorsSeen(chatUids: readonly string[], at = new Date()): Promise<void> {
    if (chatUids.length === 0) return;
    const chats = await this.database.manager.find(ChatEntity, {
      select: { id: true },
      where: { chatUid: In([...chatUids]) },
    });
    if (chats.length === 0) return;
    await this.database.manager.update(
      ChatRoutingEntity,
      { chatId: In(chats.map((chat) => chat.id)) },
      { visitorSeenAt: at },
    );
  }

  /**
   * Open chats the timeouts may close: active ones without activity since `idleSince`, and any whose
   * visitor has been gone since before `goneSince`.
   */
  async timeoutCandidates(idleSince: Date, goneSince: Date): Promise<TimeoutCandidate[]> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .leftJoin(ChatRoutingEntity, 'routing', 'routing.chat_id = chat.id')
      .select([
        'chat.id AS id',
        'chat.chat_uid AS chatUid',
        'chat.state AS state',
        'chat.operator_id AS operatorId',
      ])
      .addSelect('chat.last_activity_at', 'lastActivityAt')
      .addSelect('routing.visitor_gone_at', 'visitorGoneAt')
      .addSelect('routing.visitor_seen_at', 'visitorSeenAt')
      .where('chat.state IN (:...open)', { open: openChatStates })
      .andWhere(`((chat.state = 'active' AND chat.last_activity_at < :idleSince) OR ${goneSinceCondition})`, {
        idleSince: dateParameter(this.database.dataSource, idleSince),
        goneSince: dateParameter(this.database.dataSource, goneSince),
      })
      .getRawMany<{
        id: number;
        chatUid: string;
        state: string;
        operatorId: number | null;
        lastActivityAt: unknown;
        visitorGoneAt: unknown;
        visitorSeenAt: unknown;
      }>();
    return rows.map((row) => ({
      id: Number(row.id),
      chatUid: row.chatUid,
      state: row.state as TimeoutCandidate['state'],
      operatorId: row.operatorId === null ? null : Number(row.operatorId),
      lastActivityAt: toDate(row.lastActivityAt) ?? new Date(0),
      visitorGoneAt: lastPresent(toDate(row.visitorGoneAt), toDate(row.visitorSeenAt)),
    }));
  }

  /**
   * Active chats whose visitor has been gone since before `goneSince` (as {@link timeoutCandidates}
   * counts presence) and whose agent was not yet told since the visitor was last present.
   */
  async goneVisitorsToNotice(goneSince: Date): Promise<Array<{ id: number; chatUid: string }>> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .innerJoin(ChatRoutingEntity, 'routing', 'routing.chat_id = chat.id')
      .select(['chat.id AS id', 'chat.chat_uid AS chatUid'])
      .where("chat.state = 'active'")
      .andWhere(`${goneSinceCondition} AND ${notNoticedCondition}`, {
        goneSince: dateParameter(this.database.dataSource, goneSince),
      })
      .getRawMany<{ id: number | string; chatUid: string }>();
    return rows.map((row) => ({ id: Number(row.id), chatUid: row.chatUid }));
  }

  /**
   * Tells the agent the visitor's browser disconnected: `line` and its `events` (RMS) stored in one
   * transaction with the mark that the notice was given, only while the chat is active and the
   * visitor, gone since before `goneSince`, was not noticed yet (two routing instances store it once).
   * The stored line, or null when nothing was due.
   */
  async noticeGoneVisitor(
    chatId: number,
    goneSince: Date,
    line: Omit<PendingLine, 'chatId' | 'createdAt'>,
    events: readonly NewChatEvent[],
    at = new Date(),
  ): Promise<ChatLineEntity | null> {
    try {
      return await this.database.transaction(async (manager) => {
        const marked = await manager
          .createQueryBuilder()
          .update(ChatRoutingEntity)
          .set({ visitorGoneNoticedAt: at })
          .where(`chat_id = :chatId AND ${goneSinceCondition} AND ${notNoticedCondition}`, {
            chatId,
            goneSince: dateParameter(this.database.dataSource, goneSince),
          })
          .execute();
        if (marked.affected !== 1) return null;
        const stored = await appendLineIn(manager, { ...line, chatId, createdAt: at }, { open: true });
        await insertChatEvents(manager, chatId, events, at);
        return stored;
      });
    } catch (error) {
      if (error instanceof PersistenceError && error.code === PersistenceErrorCode.Refused) return null;
      throw error;
    }
  }

  /** When each of `operatorIds` last got or finished a chat ("longest idle" ranks by this). */
  async operatorActivity(operatorIds: readonly number[]): Promise<Map<number, OperatorActivity>> {
    if (operatorIds.length === 0) return new Map();
    const rows = await this.database.manager
      .createQueryBuilder(ChatEntity, 'chat')
      .select('chat.operator_id', 'operatorId')
      .addSelect('MAX(chat.assigned_at)', 'lastAssignedAt')
      .addSelect('MAX(chat.closed_at)', 'lastClosedAt')
      .where('chat.operator_id IN (:...operatorIds)', { operatorIds })
      .groupBy('chat.operator_id')
      .getRawMany<{ operatorId: number; lastAssignedAt: unknown; lastClosedAt: unknown }>();
    return new Map(
      rows.map((row) => [
        Number(row.operatorId),
        { lastAssignedAt: toDate(row.lastAssignedAt), lastClosedAt: toDate(row.lastClosedAt) },
      ]),
    );
  }

  private async moveOffer(
    chatId: number,
    expectedRound: number,
    from: ChatEntity['state'][],
    to: 'queued' | 'offered',
    changes: Pick<ChatRoutingEntity, 'offeredAt' | 'offeredTo' | 'askedIds'>,
    at: Date,
    events: readonly NewChatEvent[],
    more?: (routing: ChatRoutingEntity) => Partial<ChatRoutingEntity>,
  ): Promise<boolean> {
    try {
      return await this.database.transaction(async (manager) => {
        if (!(await this.moveChat(manager, chatId, from, to, at))) return false;
        // The chat row is locked now (moveChat updated it), so the routing row read is current.
        const routing = more ? await manager.findOneBy(ChatRoutingEntity, { chatId }) : null;
        const bumped = await manager
          .createQueryBuilder()
          .update(ChatRoutingEntity)
          .set({ ...changes, ...(more && routing ? more(routing) : {}), offerRound: () => 'offer_round + 1' })
          .where('chat_id = :chatId AND offer_round = :expectedRound', { chatId, expectedRound })
          .execute();
        // Another instance moved the offer since we read it: undo the state change too.
        if (bumped.affected !== 1) throw new Refusal('offer-moved');
        await insertChatEvents(manager, chatId, events, at);
        return true;
      });
    } catch (error) {
      if (error instanceof Refusal) return false;
      throw error;
    }
  }

  private async moveChat(
    manager: EntityManager,
    chatId: number,
    from: ChatEntity['state'][],
    to: 'queued' | 'offered',
    at: Date,
  ): Promise<boolean> {
    const moved = await manager
      .createQueryBuilder()
      .update(ChatEntity)
      .set({ state: to, lastActivityAt: at })
      .where(unassigned, { id: chatId, states: from })
      .execute();
    return moved.affected === 1;
  }
}

// Aggregates come back raw: a Date on MariaDB, UTC text without a zone on SQLite.
function toDate(value: unknown): Date | null {
  if (value instanceof Date) return value;
  if (typeof value !== 'string') return null;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? null : date;
}
