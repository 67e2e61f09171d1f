import { MESSAGE_STATUSES, statusRank, type MessageStatus } from '@switchboard/protocol';
import { ChatLineEntity } from '../chats/chat-line.entity';
import { ChatEntity } from '../chats/chat.entity';
import { isUniqueViolation } from '../database/transaction';
import { WhatsappLineEntity } from './whatsapp-line.entity';
import type { Database } from '../database/database';

/** A line's WhatsApp state as callers see it. */
export type WhatsappLineRecord = Readonly<Omit<WhatsappLineEntity, 'line' | 'chat'>>;

/** An operator line of a WhatsApp chat that has no WhatsApp state yet (its chat.line event was missed). */
export interface UnsentLine {
  readonly lineId: number;
  readonly chatId: number;
}

/** Where a line is and what it says, for sending it and for telling the agent about it. */
export interface LocatedLine {
  readonly lineId: number;
  readonly chatId: number;
  readonly chatUid: string;
  readonly siteId: number;
  readonly channel: string;
  /** The customer's number on a WhatsApp chat. */
  readonly visitorKey: string;
  readonly sequence: number;
  readonly senderKind: string;
  readonly text: string;
}

/** @default limit of the sweeps */
const defaultBatch = 100;

const toRecord = ({ line: _line, chat: _chat, ...record }: WhatsappLineEntity): WhatsappLineRecord => record;

/** Statuses a status may replace: every one of lower rank (a status never moves a line backwards). */
const lowerThan = (status: MessageStatus): MessageStatus[] =>
  MESSAGE_STATUSES.filter((other) => statusRank(other) < statusRank(status));

/**
 * The WhatsApp side of chat lines: the durable outbound queue (pending → sent | failed | refused, each
 * send under a lease so two connectors never send one line twice) and the delivery state of each line.
 */
export class WhatsappLineRepository {
  constructor(private readonly database: Database) {}

  /** Records a customer's message; a second call for the same line returns the first record. */
  async recordInbound(lineId: number, chatId: number, tyntecMessageId: string, at = new Date()) {
    return this.insertOnce(
      lineId,
      { chatId, direction: 'inbound', tyntecMessageId, sendState: 'received' },
      at,
    );
  }

  /** Queues an operator's line for sending; a second call for the same line returns the first record. */
  async enqueueOutbound(lineId: number, chatId: number, at = new Date()) {
    return this.insertOnce(
      lineId,
      { chatId, direction: 'outbound', tyntecMessageId: null, sendState: 'pending' },
      at,
    );
  }

  /**
   * Takes the lease to send the chat's oldest pending line, so that a chat's lines reach WhatsApp in
   * order whichever connector sends them: null when the chat has none, or when that line is leased
   * (being sent, or waiting for a retry) — its holder sends the next one after it.
   */
  async claimNextForSending(
    chatId: number,
    leaseMs: number,
    now = new Date(),
  ): Promise<WhatsappLineRecord | null> {
    const oldest = await this.database.manager.findOne(WhatsappLineEntity, {
      select: { id: true, lineId: true },
      where: { chatId, direction: 'outbound', sendState: 'pending' },
      order: { lineId: 'ASC' },
    });
    if (!oldest) return null;
    const claimed = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(WhatsappLineEntity)
        .set({
          claimedUntil: new Date(now.getTime() + leaseMs),
          attempts: () => 'attempts + 1',
          updatedAt: now,
        })
        .where("id = :id AND send_state = 'pending' AND (claimed_until IS NULL OR claimed_until < :now)", {
          id: oldest.id,
          now,
        })
        .execute(),
    );
    return claimed.affected === 1 ? this.findByLineId(oldest.lineId) : null;
  }

  async markSent(lineId: number, tyntecMessageId: string, at = new Date()): Promise<void> {
    await this.end(lineId, { sendState: 'sent', tyntecMessageId, lastError: null }, at);
  }

  /** Ends a line that will not be sent: TynTec refused it (`failed`) or the care window closed (`refused`). */
  async markNotSent(lineId: number, sendState: 'failed' | 'refused', reason: string, at = new Date()) {
    await this.end(lineId, { sendState, lastError: reason.slice(0, 2000) }, at);
  }

  /** Gives a line back after a failure a retry may cure; it is due again at `retryAt`. */
  async postpone(lineId: number, error: string, retryAt: Date): Promise<void> {
    await this.database.transaction((manager) =>
      manager.update(
        WhatsappLineEntity,
        { lineId },
        { claimedUntil: retryAt, lastError: error.slice(0, 2000) },
      ),
    );
  }

  /**
   * Applies a TynTec status in one conditional UPDATE (only over a lower-ranked state), so late,
   * duplicated and out-of-order statuses never move a line backwards, whichever node applies them.
   * `changed` is false when the status was stale; null when no line has this TynTec id.
   */
  async applyStatus(
    tyntecMessageId: string,
    status: MessageStatus,
    at = new Date(),
  ): Promise<{ changed: boolean; line: WhatsappLineRecord } | null> {
    const lower = lowerThan(status);
    const result = await this.database.transaction((manager) => {
      const query = manager
        .createQueryBuilder()
        .update(WhatsappLineEntity)
        .set({ deliveryState: status, updatedAt: at, ...(status === 'deleted' ? { deleted: true } : {}) })
        .where('tyntec_message_id = :tyntecMessageId', { tyntecMessageId });
      return lower.length === 0
        ? query.andWhere('delivery_state IS NULL').execute()
        : query.andWhere('(delivery_state IS NULL OR delivery_state IN (:...lower))', { lower }).execute();
    });
    const line = await this.findByTyntecMessageId(tyntecMessageId);
    return line && { changed: result.affected === 1, line };
  }

  async findByLineId(lineId: number): Promise<WhatsappLineRecord | null> {
    const entity = await this.database.manager.findOneBy(WhatsappLineEntity, { lineId });
    return entity && toRecord(entity);
  }

  async findByTyntecMessageId(tyntecMessageId: string): Promise<WhatsappLineRecord | null> {
    const entity = await this.database.manager.findOneBy(WhatsappLineEntity, { tyntecMessageId });
    return entity && toRecord(entity);
  }

  /** Pending lines whose lease is free or lapsed (a crashed sender's, or postponed ones now due), oldest first. */
  async listDue(now = new Date(), limit = defaultBatch): Promise<WhatsappLineRecord[]> {
    const entities = await this.database.manager
      .createQueryBuilder(WhatsappLineEntity, 'wl')
      .where("wl.send_state = 'pending' AND (wl.claimed_until IS NULL OR wl.claimed_until < :now)", { now })
      .orderBy('wl.id', 'ASC')
      .limit(limit)
      .getMany();
    return entities.map(toRecord);
  }

  /** Operator lines of WhatsApp chats written since `since` that were never queued (their event was missed). */
  async listUnqueuedOperatorLines(since: Date, limit = defaultBatch): Promise<UnsentLine[]> {
    const rows = await this.database.manager
      .createQueryBuilder(ChatLineEntity, 'line')
      .innerJoin(ChatEntity, 'chat', 'chat.id = line.chat_id')
      .leftJoin(WhatsappLineEntity, 'wl', 'wl.line_id = line.id')
      .select(['line.id AS lineId', 'line.chat_id AS chatId'])
      .where("chat.channel = 'whatsapp' AND line.sender_kind = 'operator' AND wl.id IS NULL")
      .andWhere('line.created_at >= :since', { since })
      .orderBy('line.id', 'ASC')
      .limit(limit)
      .getRawMany<{ lineId: number; chatId: number }>();
    return rows.map((row) => ({ lineId: Number(row.lineId), chatId: Number(row.chatId) }));
  }

  /** The line with its chat's identity; null when there is no such line. */
  async locate(lineId: number): Promise<LocatedLine | null> {
    const line = await this.database.manager.findOne(ChatLineEntity, {
      where: { id: lineId },
      relations: { chat: true },
    });
    if (!line?.chat) return null;
    const { chat } = line;
    return {
      lineId,
      chatId: chat.id,
      chatUid: chat.chatUid,
      siteId: chat.siteId,
      channel: chat.channel,
      visitorKey: chat.visitorKey,
      sequence: line.sequence,
      senderKind: line.senderKind,
      text: line.text,
    };
  }

  /** When the customer last wrote in the chat (WhatsApp's customer care window counts from it). */
  async lastCustomerMessageAt(chatId: number): Promise<Date | null> {
    const line = await this.database.manager.findOne(ChatLineEntity, {
      select: { id: true, createdAt: true },
      where: { chatId, senderKind: 'visitor' },
      order: { sequence: 'DESC' },
    });
    return line?.createdAt ?? null;
  }

  private async end(lineId: number, change: Partial<WhatsappLineEntity>, at: Date): Promise<void> {
    await this.database.transaction((manager) =>
      manager.update(WhatsappLineEntity, { lineId }, { ...change, claimedUntil: null, updatedAt: at }),
    );
  }

  private async insertOnce(
    lineId: number,
    fields: Pick<WhatsappLineEntity, 'chatId' | 'direction' | 'tyntecMessageId' | 'sendState'>,
    at: Date,
  ): Promise<WhatsappLineRecord> {
    try {
      const saved = await this.database.transaction((manager) =>
        manager.save(
          manager.create(WhatsappLineEntity, {
            ...fields,
            lineId,
            attempts: 0,
            deleted: false,
            updatedAt: at,
          }),
        ),
      );
      return toRecord(saved);
    } catch (error) {
      const existing = isUniqueViolation(error) ? await this.findByLineId(lineId) : null;
      if (existing === null) throw error;
      return existing;
    }
  }
}
