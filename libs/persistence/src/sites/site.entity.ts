import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';

/** A website (or WhatsApp number) that visitors chat from; WhosOn's "site" with its SiteKey. */
@Entity({ name: 'sites' })
@Index('uq_sites_site_key', ['siteKey'], { unique: true })
export class SiteEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  siteKey!: string;

  @Column({ type: 'varchar', length: 200 })
  name!: string;

  @Column({ type: 'varchar', length: 255 })
  domain!: string;

  // width 1 is what MariaDB reports for BOOLEAN (TINYINT(1)); without it the schema builder sees a change.
  @Column({ type: 'boolean', width: 1, default: false })
  paused!: boolean;

  /** IANA zone the site's work periods are written in. */
  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timeZone!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  chatTemplate!: string | null;

  /** Shown to visitors outside the work periods or when no operator can take the chat. */
  @Column({ type: 'text', nullable: true })
  offlineMessage!: string | null;

  /**
   * Text rules: words or phrases that close the chat (TR) when a visitor writes them, as a JSON array
   * of strings; null when the site has none.
   */
  @Column({ type: 'simple-json', nullable: true })
  textRules!: string[] | null;

  /** What the visitor reads when a text rule closed their chat; null for the default sentence. */
  @Column({ type: 'text', nullable: true })
  textRuleMessage!: string | null;

  @Column(timestampColumn)
  createdAt!: Date;
}
