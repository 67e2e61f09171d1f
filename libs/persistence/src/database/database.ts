import type { DataSource, EntityManager } from 'typeorm';
import { withDeadlockRetry } from './transaction';

/**
 * One database as the repositories reach it: its DataSource, and the one way writes go in. Every
 * repository of a process shares one instance (Nest injects it; `createRepositories` builds one).
 */
export class Database {
  // note: typeorm's SQLite drivers share ONE query runner per DataSource, so two interleaved
  // transactions would nest into each other. Every write on SQLite is queued behind this tail; on
  // MariaDB the pool gives each transaction its own connection.
  private sqliteTail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  get isSqlite(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * Runs `work` in one transaction and commits it, or rolls it back if `work` throws.
   * Serialized on SQLite; READ COMMITTED on MariaDB, retried up to twice when picked as a deadlock victim.
   */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return withDeadlockRetry(() => this.dataSource.transaction(work));
    const result = this.sqliteTail.then(() => this.dataSource.transaction(work));
    this.sqliteTail = result.catch(() => undefined);
    return result;
  }
}
