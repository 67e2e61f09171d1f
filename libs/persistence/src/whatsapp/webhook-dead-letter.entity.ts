import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import type { WebhookKind } from './whatsapp-types';

/** A webhook that can never be processed, kept with the reason (TynTec was answered 2xx so it stops retrying). */
@Entity({ name: 'webhook_dead_letters' })
export class WebhookDeadLetterEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 16 })
  kind!: WebhookKind;

  /** Encrypted (randomized), like the inbox's body. */
  @Column({ type: 'text', transformer: encryptedTransformer(encryptedColumns.deadLetterBody) })
  rawBody!: string;

  @Column({ type: 'text' })
  reason!: string;

  @Column(timestampColumn)
  receivedAt!: Date;
}
