import { In } from 'typeorm';
import { dateParameter } from '../database/sql-values';
import { OutboundWebhookEntity } from './outbound-webhook.entity';
import { WebhookOutboxEntity, type WebhookDeliveryState } from './webhook-outbox.entity';
import type { Database } from '../database/database';

/** An outbox row as the admin API shows it (without its body). */
export type WebhookDeliveryRecord = Readonly<Omit<WebhookOutboxEntity, 'webhook' | 'chat' | 'payload'>>;

/** A claimed row, with what its delivery needs. */
export interface ClaimedWebhookDelivery {
  readonly id: number;
  readonly webhookId: number;
  readonly chatId: number;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: string;
  readonly attempts: number;
  readonly createdAt: Date;
  readonly url: string;
}

const recordColumns = {
  id: true,
  webhookId: true,
  chatId: true,
  eventId: true,
  eventType: true,
  state: true,
  attempts: true,
  nextAttemptAt: true,
  leaseHolder: true,
  leaseExpiresAt: true,
  lastError: true,
  createdAt: true,
  deliveredAt: true,
} as const;

/**
 * The webhook outbox: rows are written by the chat repositories in the transaction of their change
 * (`enqueueWebhookEvents`) and delivered by whichever node leases one first. Only the oldest pending
 * row of an endpoint and chat is ever due (a chat's events go out in order), and a lease is one
 * conditional UPDATE, so two nodes never deliver one row at the same time; a node that dies while
 * delivering leaves the row to another once the lease lapses (at least once).
 */
export class WebhookOutboxRepository {
  constructor(private readonly database: Database) {}

  /**
   * Leases up to `limit` due rows to `holder` for `leaseMs`: each the oldest pending row of its
   * endpoint and chat, due by `now`, not leased by a live lease; oldest first.
   */
  async claimDue(
    holder: string,
    leaseMs: number,
    now = new Date(),
    limit = 50,
  ): Promise<ClaimedWebhookDelivery[]> {
    const at = dateParameter(this.database.dataSource, now);
    const heads = await this.database.manager.query<Array<{ id: number }>>(
      `SELECT o.id AS id FROM webhook_outbox o
        WHERE o.state = 'pending' AND o.next_attempt_at <= ?
          AND (o.lease_expires_at IS NULL OR o.lease_expires_at < ?)
          AND NOT EXISTS (SELECT 1 FROM webhook_outbox e
                           WHERE e.state = 'pending' AND e.webhook_id = o.webhook_id
                             AND e.chat_id = o.chat_id AND e.id < o.id)
        ORDER BY o.id LIMIT ?`,
      [at, at, limit],
    );
    const claimed: number[] = [];
    for (const { id } of heads) {
      const taken = await this.database.transaction((manager) =>
        manager
          .createQueryBuilder()
          .update(WebhookOutboxEntity)
          .set({ leaseHolder: holder, leaseExpiresAt: new Date(now.getTime() + leaseMs) })
          .where("id = :id AND state = 'pending' AND (lease_expires_at IS NULL OR lease_expires_at < :now)", {
            id: Number(id),
            now: at,
          })
          .execute(),
      );
      if (taken.affected === 1) claimed.push(Number(id));
    }
    if (claimed.length === 0) return [];
    const rows = await this.database.manager.find(WebhookOutboxEntity, {
      where: { id: In(claimed) },
      order: { id: 'ASC' },
    });
    const urls = new Map(
      (
        await this.database.manager.find(OutboundWebhookEntity, {
          select: { id: true, url: true },
          where: { id: In([...new Set(rows.map((row) => row.webhookId))]) },
        })
      ).map((webhook) => [webhook.id, webhook.url]),
    );
    return rows.map((row) => ({
      id: row.id,
      webhookId: row.webhookId,
      chatId: row.chatId,
      eventId: row.eventId,
      eventType: row.eventType,
      payload: row.payload,
      attempts: row.attempts,
      createdAt: row.createdAt,
      url: urls.get(row.webhookId) ?? '',
    }));
  }

  /**
   * Records an attempt of a row `holder` leased: `delivered`, `pending` again at `nextAttemptAt`, or
   * `dead` (given up). False when the lease was lost meanwhile (nothing is changed).
   */
  async settle(
    id: number,
    holder: string,
    outcome:
      | { state: 'delivered' }
      | { state: 'pending'; nextAttemptAt: Date; error: string }
      | { state: 'dead'; error: string },
    now = new Date(),
  ): Promise<boolean> {
    const changes: Partial<WebhookOutboxEntity> = {
      state: outcome.state,
      leaseHolder: null,
      leaseExpiresAt: null,
      ...(outcome.state === 'delivered'
        ? { deliveredAt: now, lastError: null }
        : { lastError: outcome.error.slice(0, 255) }),
      ...(outcome.state === 'pending' ? { nextAttemptAt: outcome.nextAttemptAt } : {}),
    };
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookOutboxEntity)
        .set({ ...changes, attempts: () => 'attempts + 1' })
        .where("id = :id AND state = 'pending' AND lease_holder = :holder", { id, holder })
        .execute(),
    );
    return result.affected === 1;
  }

  /** Rows of the given endpoints in `state`, newest first. */
  async list(
    filter: { webhookIds: readonly number[]; state?: WebhookDeliveryState },
    limit = 100,
  ): Promise<WebhookDeliveryRecord[]> {
    if (filter.webhookIds.length === 0) return [];
    return this.database.manager.find(WebhookOutboxEntity, {
      select: recordColumns,
      where: { webhookId: In([...filter.webhookIds]), state: filter.state },
      order: { id: 'DESC' },
      take: limit,
    });
  }

  /** Every row of one chat, in order (the tests' view of what was enqueued). */
  async listByChat(chatId: number): Promise<Array<WebhookDeliveryRecord & { payload: string }>> {
    return this.database.manager.find(WebhookOutboxEntity, { where: { chatId }, order: { id: 'ASC' } });
  }
}
