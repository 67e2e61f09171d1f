import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../database/column-types';

/** Who runs a cluster-wide scheduled job now, and until when (a lease the database hands out). */
@Entity({ name: 'job_leases' })
export class JobLeaseEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name!: string;

  /** The node id of the process holding the lease. */
  @Column({ type: 'varchar', length: 128 })
  holder!: string;

  @Column(timestampColumn)
  expiresAt!: Date;
}
