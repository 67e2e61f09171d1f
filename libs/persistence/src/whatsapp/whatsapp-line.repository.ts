import { In } from 'typeorm';
import { MESSAGE_STATUSES, statusRank, type MessageStatus } from '@switchboard/protocol';
import { ChatLineEntity } from '../chats/chat-line.entity';
import { ChatEntity } from '../chats/chat.entity';
import type { SendState } from './whatsapp-types';
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

/** An outbound line TynTec may hold without us knowing its id: a status with its userContext settles it. */
const UNSETTLED: readonly SendState[] = ['pending', 'sending', 'unknown', 'unconfirmed'];

/** Statuses a status may replace: every one of lower rank (a status never moves a line backwards). */
const lowerThan = (status: MessageStatus): MessageStatus[] =>
  MESSAGE_STATUSES.filter((other) => statusRank(other) < statusRank(status));

/**
 * The WhatsApp side of chat lines: the durable outbound queue (pending → sending → sent | failed |
 * refused | unknown → unconfirmed, each send under a lease so two connectors never send one line
 * twice) and the delivery state of each line.
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
      select: { id: true, lineId: true, sendState: true },
      where: { chatId, direction: 'outbound', sendState: In(['pending', 'sending']) },
      order: { lineId: 'ASC' },
    });
    if (oldest?.sendState !== 'pending') return null;
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

  /**
   * Records, before the POST, that the claimed line is being sent: should the sender die before it
   * knows the outcome, the line is found `sending` and becomes `unknown`, never sent again.
   * False when the line is no longer pending (a status settled it meanwhile).
   */
  async markSending(lineId: number, at = new Date()): Promise<boolean> {
    return this.changeState(lineId, ['pending'], { sendState: 'sending' }, at);
  }

  async markSent(lineId: number, tyntecMessageId: string, at = new Date()): Promise<void> {
    await this.end(lineId, { sendState: 'sent', tyntecMessageId, lastError: null }, at);
  }

  /**
   * Ends a line that will not be sent: TynTec refused it (`failed`) or the care window closed
   * (`refused`). False when it was settled meanwhile (a status proved TynTec has it).
   */
  async markNotSent(
    lineId: number,
    sendState: 'failed' | 'refused',
    reason: string,
    at = new Date(),
  ): Promise<boolean> {
    return this.changeState(
      lineId,
      ['pending', 'sending'],
      { sendState, lastError: reason.slice(0, 2000) },
      at,
    );
  }

  /**
   * A send TynTec may have accepted (the answer was lost): `unknown` until a status settles it. From
   * `sending` only; with `lapsedBefore`, only when the sender's lease ran out before then (it died).
   * False when the line was settled meanwhile or is still held.
   */
  async markUnknown(lineId: number, reason: string, at = new Date(), lapsedBefore?: Date): Promise<boolean> {
    return this.changeState(
      lineId,
      ['sending'],
      { sendState: 'unknown', lastError: reason.slice(0, 2000) },
      at,
      lapsedBefore,
    );
  }

  /** No status came for an `unknown` line in time: `unconfirmed` (a later status still settles it). */
  async markUnconfirmed(lineId: number, reason: string, at = new Date()): Promise<boolean> {
    return this.changeState(
      lineId,
      ['unknown'],
      { sendState: 'unconfirmed', lastError: reason.slice(0, 2000) },
      at,
    );
  }

  /** Gives a line back after a failure TynTec certainly did not act on; it is due again at `retryAt`. */
  async postpone(lineId: number, error: string, retryAt: Date): Promise<void> {
    await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(WhatsappLineEntity)
        .set({ sendState: 'pending', claimedUntil: retryAt, lastError: error.slice(0, 2000) })
        .where('line_id = :lineId AND send_state IN (:...states)', { lineId, states: ['pending', 'sending'] })
        .execute(),
    );
  }

  /**
   * Settles an outbound line from a TynTec status that names it by our `userContext` (the chat and
   * the line's sequence) but carries a message id no line has: TynTec accepted the line although its
   * answer was lost (or has not arrived yet). The line becomes `sent` under that id — once, decided by
   * the database. Returns the state it left, or null when no unsettled line of that chat and sequence
   * is without an id.
   */
  async settleByUserContext(
    chatUid: string,
    sequence: number,
    tyntecMessageId: string,
    at = new Date(),
  ): Promise<{ lineId: number; from: SendState } | null> {
    const row = await this.database.manager
      .createQueryBuilder(WhatsappLineEntity, 'wl')
      .innerJoin(ChatLineEntity, 'line', 'line.id = wl.line_id')
      .innerJoin(ChatEntity, 'chat', 'chat.id = line.chat_id')
      .select(['wl.line_id AS lineId', 'wl.send_state AS sendState'])
      .where("chat.chat_uid = :chatUid AND line.sequence = :sequence AND wl.direction = 'outbound'", {
        chatUid,
        sequence,
      })
      .andWhere('wl.tyntec_message_id IS NULL AND wl.send_state IN (:...unsettled)', { unsettled: UNSETTLED })
      .getRawOne<{ lineId: number; sendState: SendState }>();
    if (!row) return null;
    const lineId = Number(row.lineId);
    try {
      const result = await this.database.transaction((manager) =>
        manager
          .createQueryBuilder()
          .update(WhatsappLineEntity)
          .set({ sendState: 'sent', tyntecMessageId, claimedUntil: null, lastError: null, updatedAt: at })
          .where('line_id = :lineId AND tyntec_message_id IS NULL AND send_state IN (:...unsettled)', {
            lineId,
            unsettled: UNSETTLED,
          })
          .execute(),
      );
      return result.affected === 1 ? { lineId, from: row.sendState } : null;
    } catch (error) {
      if (isUniqueViolation(error)) return null; // another line already has this id
      throw error;
    }
  }

  /** Lines whose sender died while sending (`sending`, lease run out), oldest first. */
  async listLapsedSending(now = new Date(), limit = defaultBatch): Promise<WhatsappLineRecord[]> {
    return this.listWhere("wl.send_state = 'sending' AND wl.claimed_until < :now", { now }, limit);
  }

  /** `unknown` lines no status settled since `before`, oldest first. */
  async listUnknownSince(before: Date, limit = defaultBatch): Promise<WhatsappLineRecord[]> {
    return this.listWhere("wl.send_state = 'unknown' AND wl.updated_at < :before", { before }, limit);
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
    return this.listWhere(
      "wl.send_state = 'pending' AND (wl.claimed_until IS NULL OR wl.claimed_until < :now)",
      { now },
      limit,
    );
  }

  private async listWhere(
    where: string,
    parameters: Record<string, unknown>,
    limit: number,
  ): Promise<WhatsappLineRecord[]> {
    const entities = await this.database.manager
      .createQueryBuilder(WhatsappLineEntity, 'wl')
      .where(where, parameters)
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

  /** One conditional UPDATE from one of `from` (and a lease run out before `lapsedBefore`); true when it applied. */
  private async changeState(
    lineId: number,
    from: readonly SendState[],
    change: Partial<WhatsappLineEntity>,
    at: Date,
    lapsedBefore?: Date,
  ): Promise<boolean> {
    const result = await this.database.transaction((manager) => {
      const query = manager
        .createQueryBuilder()
        .update(WhatsappLineEntity)
        .set({ ...change, ...(change.sendState === 'sending' ? {} : { claimedUntil: null }), updatedAt: at })
        .where('line_id = :lineId AND send_state IN (:...from)', { lineId, from });
      return (
        lapsedBefore ? query.andWhere('claimed_until < :lapsedBefore', { lapsedBefore }) : query
      ).execute();
    });
    return result.affected === 1;
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
