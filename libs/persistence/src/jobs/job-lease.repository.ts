import { dateParameter } from '../database/sql-values';
import { isUniqueViolation } from '../database/transaction';
import { JobLeaseEntity } from './job-lease.entity';
import type { Database } from '../database/database';

/**
 * Leases of scheduled jobs that one process of the cluster runs at a time (the transcript purge):
 * decided by the database, one conditional update or insert, so two nodes never both hold one.
 */
export class JobLeaseRepository {
  constructor(private readonly database: Database) {}

  /** True when `holder` holds `name` until `now + ttlMs` (it was free, expired, or already theirs). */
  async acquire(name: string, holder: string, ttlMs: number, now = new Date()): Promise<boolean> {
    const expiresAt = new Date(now.getTime() + ttlMs);
    const taken = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(JobLeaseEntity)
        .set({ holder, expiresAt })
        .where('name = :name AND (expires_at < :now OR holder = :holder)', {
          name,
          holder,
          now: dateParameter(this.database.dataSource, now),
        })
        .execute(),
    );
    if (taken.affected === 1) return true;
    try {
      await this.database.transaction((manager) =>
        manager.insert(JobLeaseEntity, { name, holder, expiresAt }),
      );
      return true;
    } catch (error) {
      // Another holder's live lease exists (the update found it unexpired).
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
