import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';
import { SiteEntity } from '../sites/site.entity';

/**
 * A site's routing rule (WhosOn's skill rules): conditions on the chat request, the skill it routes
 * to, and what to do in the normal, outside-hours, always and offline cases. Rules run in `position`
 * order; the first match decides.
 */
@Entity({ name: 'routing_rules' })
@Index('idx_routing_rules_site', ['siteId', 'position'])
export class RoutingRuleEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  @Column({ type: 'integer', default: 0 })
  position!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Matches when the chat's page URL contains this text (case-insensitive). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  pageUrlContains!: string | null;

  /** Matches a language or its regional variants (`de` matches `de-AT`). */
  @Column({ type: 'varchar', length: 16, nullable: true })
  language!: string | null;

  /** Pre-chat values that must be equal, as a JSON object of strings. */
  @Column({ type: 'text', nullable: true })
  variables!: string | null;

  @Column({ type: 'varchar', length: 100 })
  skill!: string;

  /** The actions per case, as JSON: `{ "outside-hours": { "kind": "message", "message": "…" } }`. */
  @Column({ type: 'text', nullable: true })
  actions!: string | null;
}
