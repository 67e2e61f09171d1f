import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import type { WebhookKind } from './whatsapp-types';

/** A TynTec webhook as it arrived, stored before it is answered and processed after (at least once). */
@Entity({ name: 'webhook_inbox' })
// TynTec retries and duplicates: the key (message id, or message id + status, or a body hash) is stored once.
@Index('uq_webhook_inbox_dedupe_key', ['dedupeKey'], { unique: true })
@Index('idx_webhook_inbox_processed_at', ['processedAt'])
export class WebhookInboxEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: WebhookKind;

  @Column({ type: 'varchar', length: 300 })
  dedupeKey!: string;

  /** The body exactly as posted; encrypted (randomized), it holds the customer's text. */
  @Column({ type: 'text', transformer: encryptedTransformer(encryptedColumns.webhookBody) })
  rawBody!: string;

  /**
   * The chat connector number the callback URL named (`?connector=`): a message without `to`
   * (optional in TynTec's schema) goes to that connector.
   */
  @Column({ type: 'varchar', length: 32, nullable: true })
  connectorNumber!: string | null;

  @Column(timestampColumn)
  receivedAt!: Date;

  @Column({ ...timestampColumn, nullable: true })
  processedAt!: Date | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** The node processing it; its claim lapses at `claimedUntil` (a crashed node's rows are taken over). */
  @Column({ type: 'varchar', length: 100, nullable: true })
  claimedBy!: string | null;

  @Column({ ...timestampColumn, nullable: true })
  claimedUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;
}
