import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { SiteEntity } from '../sites/site.entity';

/** A visitor (by visitor key or IP) refused chats on one site, or on every site when `siteId` is null. */
@Entity({ name: 'blocked_visitors' })
@Index('idx_blocked_visitors_visitor_key', ['visitorKey'])
@Index('idx_blocked_visitors_ip', ['ip'])
export class BlockedVisitorEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ ...idColumn, nullable: true })
  siteId!: number | null;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  @Column({ type: 'varchar', length: 128, nullable: true })
  visitorKey!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  reason!: string | null;

  @Column({ type: 'varchar', length: 100 })
  blockedBy!: string;

  @Column(timestampColumn)
  blockedAt!: Date;

  /** Null blocks for good. */
  @Column({ ...timestampColumn, nullable: true })
  expiresAt!: Date | null;
}
