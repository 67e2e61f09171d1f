import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { sealedLength } from '../encryption/column-cipher';
import { encryptedColumns, encryptedTransformer } from '../encryption/encrypted-columns';
import { OperatorEntity } from '../operators/operator.entity';
import { SkillEntity } from '../operators/skill.entity';
import { SiteEntity } from '../sites/site.entity';
import { MAX_NAME_LENGTH, type ChatChannel, type ChatState } from './chat-types';

/** One conversation between a visitor and (eventually) an operator. */
@Entity({ name: 'chats' })
@Index('uq_chats_chat_uid', ['chatUid'], { unique: true })
// note: MariaDB has no partial indexes, so "one open chat per visitor per site" is a UNIQUE key on a
// column that holds the visitor key only while the chat is open; NULLs never collide on either database.
@Index('uq_chats_open_visitor', ['siteId', 'openVisitorKey'], { unique: true })
@Index('idx_chats_state', ['state'])
@Index('idx_chats_site_visitor', ['siteId', 'visitorKey'])
@Index('idx_chats_skill_closed', ['skillId', 'closedAt'])
export class ChatEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 36 })
  chatUid!: string;

  @Column(idColumn)
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  @Column({ type: 'varchar', length: 16 })
  channel!: ChatChannel;

  /** Stable visitor identity: the widget's visitor id or the WhatsApp number. */
  @Column({ type: 'varchar', length: 128 })
  visitorKey!: string;

  @Column({ type: 'varchar', length: 128, nullable: true })
  openVisitorKey!: string | null;

  /** Encrypted (deterministic): up to {@link MAX_NAME_LENGTH} characters in clear. */
  @Column({
    type: 'varchar',
    length: sealedLength(MAX_NAME_LENGTH),
    nullable: true,
    transformer: encryptedTransformer(encryptedColumns.visitorName),
  })
  visitorName!: string | null;

  /** Encrypted (deterministic): up to 255 characters in clear; equality look-ups still work. */
  @Column({
    type: 'varchar',
    length: sealedLength(255),
    nullable: true,
    transformer: encryptedTransformer(encryptedColumns.visitorEmail),
  })
  visitorEmail!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  visitorIp!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: ChatState;

  @Column({ ...idColumn, nullable: true })
  skillId!: number | null;

  @ManyToOne(() => SkillEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'skill_id' })
  skill?: SkillEntity;

  @Column({ type: 'integer', default: 0 })
  priority!: number;

  @Column({ ...idColumn, nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  /** Highest line sequence handed out; bumped inside each line's insert transaction. */
  @Column({ type: 'integer', default: 0 })
  lastLineSeq!: number;

  /** Event code that ended the chat (e.g. VC, OC, ST, OF). */
  @Column({ type: 'varchar', length: 8, nullable: true })
  closeReason!: string | null;

  @Column(timestampColumn)
  createdAt!: Date;

  @Column({ ...timestampColumn, nullable: true })
  assignedAt!: Date | null;

  @Column({ ...timestampColumn, nullable: true })
  closedAt!: Date | null;

  @Column(timestampColumn)
  lastActivityAt!: Date;
}
