import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChatEntity } from '../chats/chat.entity';
import { idColumn, timestampColumn } from '../database/column-types';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import { OutboundWebhookEntity } from './outbound-webhook.entity';

export const webhookDeliveryStates = ['pending', 'delivered', 'dead'] as const;
export type WebhookDeliveryState = (typeof webhookDeliveryStates)[number];

/**
 * One chat event for one endpoint, written in the transaction of the change it reports and delivered
 * by the outbound webhook worker (at least once, in id order per endpoint and chat).
 */
@Entity({ name: 'webhook_outbox' })
@Index('uq_webhook_outbox_event', ['webhookId', 'eventId'], { unique: true })
// The worker's look-up: the oldest pending row of each endpoint and chat.
@Index('idx_webhook_outbox_head', ['state', 'webhookId', 'chatId', 'id'])
export class WebhookOutboxEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  webhookId!: number;

  @ManyToOne(() => OutboundWebhookEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'webhook_id' })
  webhook?: OutboundWebhookEntity;

  @Column(idColumn)
  chatId!: number;

  // A purged chat takes its undelivered events with it.
  @ManyToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  /** The event's id (a UUID), sent as X-Switchboard-Event-Id on every attempt. */
  @Column({ type: 'varchar', length: 36 })
  eventId!: string;

  @Column({ type: 'varchar', length: 32 })
  eventType!: string;

  /** The JSON body, as first built (encrypted: it holds the line's text and the visitor's name). */
  @Column({ type: 'text', transformer: encryptedTransformer(encryptedColumns.webhookOutboxPayload) })
  payload!: string;

  @Column({ type: 'varchar', length: 16 })
  state!: WebhookDeliveryState;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  @Column(timestampColumn)
  nextAttemptAt!: Date;

  /** The node delivering it now, until `leaseExpiresAt`. */
  @Column({ type: 'varchar', length: 128, nullable: true })
  leaseHolder!: string | null;

  @Column({ ...timestampColumn, nullable: true })
  leaseExpiresAt!: Date | null;

  /** Why the last attempt failed (status or error), without the URL's query or any header. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  lastError!: string | null;

  @Column(timestampColumn)
  createdAt!: Date;

  @Column({ ...timestampColumn, nullable: true })
  deliveredAt!: Date | null;
}
