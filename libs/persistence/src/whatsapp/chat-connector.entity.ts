import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { SkillEntity } from '../operators/skill.entity';
import { SiteEntity } from '../sites/site.entity';

/** A site's WhatsApp number at TynTec: where its messages are routed, and the key to answer through. */
@Entity({ name: 'chat_connectors' })
// One number belongs to one site: an inbound message finds its site by the number it was sent to.
@Index('uq_chat_connectors_phone_number', ['phoneNumber'], { unique: true })
export class ChatConnectorEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  @Column({ type: 'varchar', length: 16 })
  channel!: 'whatsapp';

  @Column({ type: 'boolean', width: 1, default: true })
  enabled!: boolean;

  /** E.164 digits without `+`, as TynTec writes them. */
  @Column({ type: 'varchar', length: 16 })
  phoneNumber!: string;

  /** The TynTec API key, encrypted by the caller; never logged nor returned. */
  @Column({ type: 'text' })
  apiKeyCiphertext!: string;

  /** The key's last characters, to show which key is stored. */
  @Column({ type: 'varchar', length: 8 })
  apiKeyHint!: string;

  /** Language of the automatic WhatsApp answers (greeting, queue position, outside hours, chat closed). */
  @Column({ type: 'varchar', length: 8 })
  language!: string;

  @Column({ ...idColumn, nullable: true })
  skillId!: number | null;

  @ManyToOne(() => SkillEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'skill_id' })
  skill?: SkillEntity;

  @Column(timestampColumn)
  createdAt!: Date;

  @Column(timestampColumn)
  updatedAt!: Date;
}
