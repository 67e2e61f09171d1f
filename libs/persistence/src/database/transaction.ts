import { Retry } from '@switchboard/resilience';
import { QueryFailedError } from 'typeorm';

// Up to two retries; the jittered pause (15-30 ms, then 30-60 ms) keeps the victims of one deadlock
// from colliding again in lockstep.
const deadlockRetry = new Retry({
  retries: 2,
  retryIf: (error) => driverErrorCode(error) === 'ER_LOCK_DEADLOCK',
  backoff: { initialMs: 30, maxMs: 60, jitter: 'equal' },
});

/** Runs `attempt` again (up to twice, after a short random pause) when MariaDB picked it as a deadlock victim. */
export function withDeadlockRetry<T>(attempt: () => Promise<T>): Promise<T> {
  return deadlockRetry.execute(attempt);
}

/**
 * True when a statement failed on a UNIQUE index or the primary key (MariaDB ER_DUP_ENTRY, SQLite
 * SQLITE_CONSTRAINT_UNIQUE or SQLITE_CONSTRAINT_PRIMARYKEY).
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = driverErrorCode(error);
  return (
    code === 'ER_DUP_ENTRY' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}

function driverErrorCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const driverError: unknown = error.driverError;
  if (typeof driverError !== 'object' || driverError === null || !('code' in driverError)) return undefined;
  return typeof driverError.code === 'string' ? driverError.code : undefined;
}
