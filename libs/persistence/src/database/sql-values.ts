import type { DataSource, FindOneOptions } from 'typeorm';

const isSqlite = (dataSource: DataSource): boolean => dataSource.options.type === 'better-sqlite3';

/**
 * A Date as the driver stores it, for hand-written WHERE clauses: typeorm converts entity values but
 * not query parameters, and better-sqlite3 cannot bind a Date (typeorm stores UTC `YYYY-MM-DD HH:MM:SS.SSS`).
 */
export function dateParameter(dataSource: DataSource, date: Date): Date | string {
  return isSqlite(dataSource) ? date.toISOString().replace('T', ' ').replace('Z', '') : date;
}

/** Row lock for a read-then-write inside a transaction; SQLite needs none, its writers are serialized. */
export function writeLock(dataSource: DataSource): FindOneOptions['lock'] {
  return isSqlite(dataSource) ? undefined : { mode: 'pessimistic_write' };
}

/** `%text%` for `LIKE … ESCAPE '!'` ('!' because a backslash is spelled differently on the two databases). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (character) => `!${character}`)}%`;
}
