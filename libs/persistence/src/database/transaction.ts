import { Retry } from '@switchboard/resilience';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';

// note: typeorm's SQLite drivers share ONE query runner per DataSource, so two interleaved
// transactions would nest into each other. Every write on SQLite is queued behind this
// per-DataSource tail; on MariaDB the pool gives each transaction its own connection.
const sqliteTails = new WeakMap<DataSource, Promise<unknown>>();

// Up to two retries; the jittered pause (15-30 ms, then 30-60 ms) keeps the victims of one deadlock
// from colliding again in lockstep.
const deadlockRetry = new Retry({
  retries: 2,
  retryIf: (error) => driverErrorCode(error) === 'ER_LOCK_DEADLOCK',
  backoff: { initialMs: 30, maxMs: 60, jitter: 'equal' },
});

/**
 * Runs `work` in one transaction and commits it, or rolls it back if `work` throws.
 * Serialized per DataSource on SQLite; READ COMMITTED on MariaDB, retried up to twice when picked as a
 * deadlock victim.
 */
export function inTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  if (dataSource.options.type !== 'better-sqlite3')
    return withDeadlockRetry(() => dataSource.transaction(work));
  const previous = sqliteTails.get(dataSource) ?? Promise.resolve();
  const result = previous.then(() => dataSource.transaction(work));
  sqliteTails.set(
    dataSource,
    result.catch(() => undefined),
  );
  return result;
}

/** Runs `attempt` again (up to twice, after a short random pause) when MariaDB picked it as a deadlock victim. */
export function withDeadlockRetry<T>(attempt: () => Promise<T>): Promise<T> {
  return deadlockRetry.execute(attempt);
}

/** True when a statement failed on a UNIQUE index (MariaDB ER_DUP_ENTRY or SQLite SQLITE_CONSTRAINT_UNIQUE). */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}

function driverErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError: unknown = error.driverError;
  if (typeof driverError !== 'object' || driverError === null || !('code' in driverError)) return undefined;
  return typeof driverError.code === 'string' ? driverError.code : undefined;
}
