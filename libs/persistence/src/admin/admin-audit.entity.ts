import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';

/** One change made through the admin interface: who, from where, when, what, old → new (JSON text). */
@Entity({ name: 'admin_audit' })
@Index('idx_admin_audit_target', ['targetKind', 'targetKey'])
export class AdminAuditEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  /** Who asked: the `by` the sysadmin gave, or `admin`. */
  @Column({ type: 'varchar', length: 100 })
  actor!: string;

  /** The client address the request came from. */
  @Column({ type: 'varchar', length: 45 })
  remoteAddress!: string;

  /** What was done, e.g. `site.update`, `user.delete`, `parameter.set`. */
  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 32 })
  targetKind!: string;

  /** The site key, username, parameter name or id of what changed. */
  @Column({ type: 'varchar', length: 191 })
  targetKey!: string;

  /** JSON of the value before; null when the change created it. */
  @Column({ type: 'text', nullable: true })
  oldValue!: string | null;

  /** JSON of the value after; null when the change deleted it. */
  @Column({ type: 'text', nullable: true })
  newValue!: string | null;

  @Column(timestampColumn)
  changedAt!: Date;
}
