import { In, IsNull } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { WebhookDeadLetterEntity } from './webhook-dead-letter.entity';
import { WebhookInboxEntity } from './webhook-inbox.entity';
import { webhookKinds, type WebhookKind } from './whatsapp-types';
import type { Database } from '../database/database';

/** An inbox row as callers see it. */
export type WebhookInboxRecord = Readonly<WebhookInboxEntity>;
export type WebhookDeadLetterRecord = Readonly<WebhookDeadLetterEntity>;

/** A webhook body as it arrived. */
export interface ReceivedWebhook {
  kind: WebhookKind;
  dedupeKey: string;
  rawBody: string;
  /** The connector number the callback URL named (`?connector=`), digits only. */
  connectorNumber?: string | null;
}

/** @default limit of {@link WebhookInboxRepository.claimDue} */
const defaultBatch = 100;

/**
 * The webhook inbox: stored before TynTec gets its 2xx, processed after by whichever node claims a
 * row first. A claim is a lease (a conditional UPDATE decides who holds it), so a node killed while
 * processing leaves rows another node takes over once the lease lapses.
 */
export class WebhookInboxRepository {
  constructor(private readonly database: Database) {}

  /** Stores a webhook once per dedupe key: `duplicate` when the key is already stored (a retry). */
  async store(
    webhook: ReceivedWebhook,
    at = new Date(),
  ): Promise<{ outcome: 'stored'; id: number } | { outcome: 'duplicate' }> {
    ensureValid(webhookKinds.includes(webhook.kind), `unknown webhook kind "${webhook.kind}"`);
    ensureValid(webhook.dedupeKey !== '', 'a webhook needs a dedupe key');
    try {
      const saved = await this.database.transaction((manager) =>
        manager.save(manager.create(WebhookInboxEntity, { ...webhook, receivedAt: at, attempts: 0 })),
      );
      return { outcome: 'stored', id: saved.id };
    } catch (error) {
      if (isUniqueViolation(error)) return { outcome: 'duplicate' };
      throw error;
    }
  }

  /**
   * Stores a batch of webhooks in one transaction (one commit for all: the intake's throughput), each
   * key once (`INSERT … IGNORE`), the new rows already leased to `claimedBy` until `claimedUntil` so
   * the receiving node processes them without another round trip. Answers in the order given:
   * `stored` with the row, or `duplicate` (stored before, or earlier in the same batch).
   */
  async storeBatch(
    webhooks: readonly ReceivedWebhook[],
    claim: { claimedBy: string; claimedUntil: Date },
    at = new Date(),
  ): Promise<Array<{ outcome: 'stored'; row: WebhookInboxRecord } | { outcome: 'duplicate' }>> {
    for (const webhook of webhooks) {
      ensureValid(webhookKinds.includes(webhook.kind), `unknown webhook kind "${webhook.kind}"`);
      ensureValid(webhook.dedupeKey !== '', 'a webhook needs a dedupe key');
    }
    if (webhooks.length === 0) return [];
    const keys = [...new Set(webhooks.map((webhook) => webhook.dedupeKey))];
    const rows = await this.database.transaction(async (manager) => {
      await manager
        .createQueryBuilder()
        .insert()
        .into(WebhookInboxEntity)
        .values(webhooks.map((webhook) => ({ ...webhook, receivedAt: at, attempts: 1, ...claim })))
        .orIgnore()
        .updateEntity(false)
        .execute();
      // The bodies are not read back: the caller has them.
      return manager.find(WebhookInboxEntity, {
        select: { id: true, dedupeKey: true, claimedBy: true, receivedAt: true, processedAt: true },
        where: { dedupeKey: In(keys) },
      });
    });
    const byKey = new Map(rows.map((row) => [row.dedupeKey, row]));
    const answered = new Set<string>();
    return webhooks.map((webhook) => {
      const row = byKey.get(webhook.dedupeKey);
      const fresh =
        row !== undefined &&
        !answered.has(webhook.dedupeKey) &&
        row.claimedBy === claim.claimedBy &&
        row.processedAt === null &&
        row.receivedAt.getTime() === at.getTime();
      answered.add(webhook.dedupeKey);
      return fresh
        ? {
            outcome: 'stored',
            // Built, not spread from the partial read (its unread columns are undefined properties).
            row: {
              ...webhook,
              connectorNumber: webhook.connectorNumber ?? null,
              id: row.id,
              receivedAt: row.receivedAt,
              processedAt: null,
              attempts: 1,
              ...claim,
              lastError: null,
            },
          }
        : { outcome: 'duplicate' };
    });
  }

  /** Takes the lease on one unprocessed row; null when it is processed or another node holds it. */
  async claim(
    id: number,
    node: string,
    leaseMs: number,
    now = new Date(),
  ): Promise<WebhookInboxRecord | null> {
    const claimed = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(WebhookInboxEntity)
        .set({
          claimedBy: node,
          claimedUntil: new Date(now.getTime() + leaseMs),
          attempts: () => 'attempts + 1',
        })
        .where('id = :id AND processed_at IS NULL AND (claimed_until IS NULL OR claimed_until < :now)', {
          id,
          now,
        })
        .execute(),
    );
    if (claimed.affected !== 1) return null;
    return this.database.manager.findOneBy(WebhookInboxEntity, { id });
  }

  /** Claims up to `limit` unprocessed rows whose lease is free or lapsed, oldest first. */
  async claimDue(
    node: string,
    leaseMs: number,
    now = new Date(),
    limit = defaultBatch,
  ): Promise<WebhookInboxRecord[]> {
    const due = await this.database.manager
      .createQueryBuilder(WebhookInboxEntity, 'inbox')
      .select('inbox.id', 'id')
      .where('inbox.processed_at IS NULL AND (inbox.claimed_until IS NULL OR inbox.claimed_until < :now)', {
        now,
      })
      .orderBy('inbox.id', 'ASC')
      .limit(limit)
      .getRawMany<{ id: number }>();
    const claimed: WebhookInboxRecord[] = [];
    for (const { id } of due) {
      const row = await this.claim(Number(id), node, leaseMs, now);
      if (row) claimed.push(row);
    }
    return claimed;
  }

  async markProcessed(id: number, at = new Date()): Promise<void> {
    await this.database.transaction((manager) =>
      manager.update(WebhookInboxEntity, { id }, { processedAt: at, claimedUntil: null, lastError: null }),
    );
  }

  /** Gives a row back after a failure that a retry may cure; it is due again at `retryAt`. */
  async postpone(id: number, error: string, retryAt: Date): Promise<void> {
    await this.database.transaction((manager) =>
      manager.update(WebhookInboxEntity, { id }, { claimedUntil: retryAt, lastError: error.slice(0, 2000) }),
    );
  }

  /** Ends a row that can never be processed: copied to the dead letters with the reason, in one transaction. */
  async moveToDeadLetters(id: number, reason: string, at = new Date()): Promise<void> {
    await this.database.transaction(async (manager) => {
      const row = await manager.findOneByOrFail(WebhookInboxEntity, { id });
      await manager.save(
        manager.create(WebhookDeadLetterEntity, {
          kind: row.kind,
          rawBody: row.rawBody,
          reason,
          receivedAt: row.receivedAt,
        }),
      );
      await manager.update(
        WebhookInboxEntity,
        { id },
        { processedAt: at, claimedUntil: null, lastError: reason },
      );
    });
  }

  /** Keeps a body that was never stored in the inbox (unreadable, unsupported) with the reason. */
  async deadLetter(
    letter: { kind: WebhookKind; rawBody: string; reason: string },
    at = new Date(),
  ): Promise<WebhookDeadLetterRecord> {
    ensureValid(webhookKinds.includes(letter.kind), `unknown webhook kind "${letter.kind}"`);
    return this.database.transaction((manager) =>
      manager.save(manager.create(WebhookDeadLetterEntity, { ...letter, receivedAt: at })),
    );
  }

  async findById(id: number): Promise<WebhookInboxRecord | null> {
    return this.database.manager.findOneBy(WebhookInboxEntity, { id });
  }

  async findByDedupeKey(dedupeKey: string): Promise<WebhookInboxRecord | null> {
    return this.database.manager.findOneBy(WebhookInboxEntity, { dedupeKey });
  }

  /** Rows stored but not processed yet (a backlog, or rows waiting for a retry). */
  async countUnprocessed(): Promise<number> {
    return this.database.manager.countBy(WebhookInboxEntity, { processedAt: IsNull() });
  }

  async countAll(): Promise<{ inbox: number; deadLetters: number }> {
    const [inbox, deadLetters] = await Promise.all([
      this.database.manager.count(WebhookInboxEntity),
      this.database.manager.count(WebhookDeadLetterEntity),
    ]);
    return { inbox, deadLetters };
  }

  /** The newest dead letters first. */
  async listDeadLetters(limit = defaultBatch): Promise<WebhookDeadLetterRecord[]> {
    return this.database.manager.find(WebhookDeadLetterEntity, { order: { id: 'DESC' }, take: limit });
  }
}
