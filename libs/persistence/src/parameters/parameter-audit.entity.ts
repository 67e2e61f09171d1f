import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';

/** One change of a parameter, written in the same transaction as the change itself. */
@Entity({ name: 'parameter_audit' })
@Index('idx_parameter_audit_name', ['name'])
export class ParameterAuditEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 191 })
  name!: string;

  /** Null when the change created the parameter. */
  @Column({ type: 'text', nullable: true })
  oldValue!: string | null;

  /** Null when the change removed the stored value (back to the default). */
  @Column({ type: 'text', nullable: true })
  newValue!: string | null;

  @Column({ type: 'varchar', length: 100 })
  changedBy!: string;

  @Column(timestampColumn)
  changedAt!: Date;
}
