import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { SiteEntity } from '../sites/site.entity';

/** A site's callback for chat events (docs/webhooks.md): where they are posted, and the key that signs them. */
@Entity({ name: 'outbound_webhooks' })
@Index('idx_outbound_webhooks_site', ['siteId'])
export class OutboundWebhookEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  /** The subscribed event types, comma-separated (`chat.started,chat.line`). */
  @Column({ type: 'varchar', length: 128 })
  events!: string;

  @Column({ type: 'boolean', width: 1, default: true })
  enabled!: boolean;

  /** The admin's explicit opt-in to a plain http:// URL that is not a loopback address. */
  @Column({ type: 'boolean', width: 1, default: false })
  allowHttp!: boolean;

  /** The signing secret, encrypted by the repository (always, as the TynTec API key); never logged nor returned. */
  @Column({ type: 'text' })
  secretCiphertext!: string;

  @Column(timestampColumn)
  createdAt!: Date;

  @Column(timestampColumn)
  updatedAt!: Date;
}
