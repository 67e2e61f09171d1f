import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { sealedLength } from '../encryption/column-cipher';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import { OperatorEntity } from '../operators/operator.entity';
import { ChatEntity } from './chat.entity';
import { MAX_NAME_LENGTH, type LineSenderKind } from './chat-types';

/** One message of a chat transcript, numbered 1, 2, 3 … per chat. */
@Entity({ name: 'chat_lines' })
@Index('uq_chat_lines_chat_sequence', ['chatId', 'sequence'], { unique: true })
// A webhook message id is stored once, however often the provider retries.
@Index('uq_chat_lines_external_message_id', ['externalMessageId'], { unique: true })
export class ChatLineEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  chatId!: number;

  @ManyToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  @Column({ type: 'integer' })
  sequence!: number;

  @Column({ type: 'varchar', length: 16 })
  senderKind!: LineSenderKind;

  /** Encrypted (deterministic), like the chat's visitor name: up to {@link MAX_NAME_LENGTH} characters in clear. */
  @Column({
    type: 'varchar',
    length: sealedLength(MAX_NAME_LENGTH),
    transformer: encryptedTransformer(encryptedColumns.lineSenderName),
  })
  senderName!: string;

  @Column({ ...idColumn, nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  /** Encrypted (randomized): web and WhatsApp lines, media captions included. */
  @Column({ type: 'text', transformer: encryptedTransformer(encryptedColumns.lineText) })
  text!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  externalMessageId!: string | null;

  /** Provider delivery status (e.g. accepted, delivered, seen, failed) for outbound WhatsApp lines. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  deliveryState!: string | null;

  @Column(timestampColumn)
  createdAt!: Date;
}
