import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { ChatLineEntity } from '../chats/chat-line.entity';
import { ChatEntity } from '../chats/chat.entity';
import { idColumn, timestampColumn } from '../database/column-types';
import type { LineDirection, SendState } from './whatsapp-types';

/** The WhatsApp side of a chat line: its TynTec message id, whether it was sent, how far it got. */
@Entity({ name: 'whatsapp_lines' })
@Index('uq_whatsapp_lines_line_id', ['lineId'], { unique: true })
@Index('uq_whatsapp_lines_tyntec_message_id', ['tyntecMessageId'], { unique: true })
@Index('idx_whatsapp_lines_send_state', ['sendState'])
export class WhatsappLineEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  lineId!: number;

  @ManyToOne(() => ChatLineEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'line_id' })
  line?: ChatLineEntity;

  @Column(idColumn)
  chatId!: number;

  @ManyToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  @Column({ type: 'varchar', length: 8 })
  direction!: LineDirection;

  /** The customer's message id (inbound), or the id TynTec accepted our send with (outbound). */
  @Column({ type: 'varchar', length: 256, nullable: true })
  tyntecMessageId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  sendState!: SendState;

  /** The furthest TynTec status (mergeDeliveryState), null before the first. */
  @Column({ type: 'varchar', length: 16, nullable: true })
  deliveryState!: string | null;

  @Column({ type: 'integer', default: 0 })
  attempts!: number;

  /** A sender holds the line until then; a crashed sender's line is taken over after it. */
  @Column({ ...timestampColumn, nullable: true })
  claimedUntil!: Date | null;

  @Column({ type: 'text', nullable: true })
  lastError!: string | null;

  /** The customer deleted this inbound message (MessageStatus::deleted). */
  @Column({ type: 'boolean', width: 1, default: false })
  deleted!: boolean;

  @Column(timestampColumn)
  updatedAt!: Date;
}
