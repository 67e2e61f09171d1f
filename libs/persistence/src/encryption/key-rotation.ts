import type { DataSource } from 'typeorm';
import { ColumnCipher, storedFormPrefixes, type EncryptedColumnSpec } from './column-cipher';
import { encryptedColumns } from './encrypted-columns';

export interface RotationOptions {
  /** Rows read and rewritten per batch. @default 200 */
  readonly batchSize?: number;
  /** Most rows rewritten per second, so a live system keeps its database time. @default 500 */
  readonly rowsPerSecond?: number;
  /** Only these columns. @default every encrypted column */
  readonly columns?: readonly EncryptedColumnSpec[];
  /** Called after every batch. */
  readonly onProgress?: (progress: RotationProgress) => void;
}

export interface RotationProgress {
  /** `table.column` being rewritten. */
  readonly column: string;
  /** Rows rewritten so far, over every column. */
  readonly done: number;
  /** Rows that needed rewriting when the run started, over every column. */
  readonly total: number;
}

export interface RotationSummary {
  readonly rewritten: number;
  /** Rows changed by someone else between our read and our write (they were written in the current form). */
  readonly skipped: number;
}

const columns: readonly EncryptedColumnSpec[] = Object.values(encryptedColumns);
const defaults = { batchSize: 200, rowsPerSecond: 500 } as const;

/**
 * Rewrites every encrypted column's value that is not in the form the cipher writes now: sealed with
 * an older key, written plain before encryption was switched on, or sealed while it should now be
 * plain (encryption switched off). Batches in id order at a bounded rate; each row is replaced only if
 * it still holds what was read (a concurrent writer wins). Resumable: a new run picks up the rows that
 * still differ, so an interrupted run is simply started again.
 */
export async function rotateColumns(
  dataSource: DataSource,
  cipher: ColumnCipher,
  options: RotationOptions = {},
): Promise<RotationSummary> {
  const { batchSize, rowsPerSecond, columns: chosen } = { ...defaults, columns, ...options };
  let total = 0;
  for (const spec of chosen) total += await countStale(dataSource, cipher, spec);
  let done = 0;
  let skipped = 0;
  for (const spec of chosen) {
    const sql = statementsFor(dataSource, cipher, spec);
    let cursor = 0;
    for (;;) {
      const started = Date.now();
      const rows = await dataSource.query<Array<{ id: number; value: string }>>(sql.select, [
        cursor,
        ...sql.parameters,
        batchSize,
      ]);
      if (rows.length === 0) break;
      for (const row of rows) {
        const rewritten = cipher.seal(spec, cipher.open(spec, row.value));
        const changed = await affectedRows(dataSource, sql.update, [rewritten, row.id, row.value]);
        if (changed) done += 1;
        else skipped += 1;
      }
      cursor = Number(rows[rows.length - 1].id);
      options.onProgress?.({ column: `${spec.table}.${spec.column}`, done, total });
      const minimumMs = (rows.length / rowsPerSecond) * 1000;
      const elapsed = Date.now() - started;
      if (elapsed < minimumMs) await new Promise((resolve) => setTimeout(resolve, minimumMs - elapsed));
    }
  }
  return { rewritten: done, skipped };
}

/** How many values of a column are not in the form the cipher writes now. */
export async function countStale(
  dataSource: DataSource,
  cipher: ColumnCipher,
  spec: EncryptedColumnSpec,
): Promise<number> {
  const sql = statementsFor(dataSource, cipher, spec);
  const [row] = await dataSource.query<Array<{ count: number | string }>>(sql.count, sql.parameters);
  return Number(row?.count ?? 0);
}

/** How many values, over every encrypted column, are sealed with `keyId`. */
export async function countSealedWith(dataSource: DataSource, keyId: string): Promise<number> {
  let count = 0;
  for (const spec of columns) {
    const prefix = storedFormPrefixes.sealedWith(keyId);
    const [row] = await dataSource.query<Array<{ count: number | string }>>(
      `SELECT COUNT(*) AS count FROM ${spec.table} WHERE ${startsWith(dataSource, spec.column, prefix.length)} = ?`,
      [prefix],
    );
    count += Number(row?.count ?? 0);
  }
  return count;
}

/** A case-sensitive prefix of a column on either database (LIKE ignores case on both). */
function startsWith(dataSource: DataSource, column: string, length: number): string {
  return dataSource.options.type === 'better-sqlite3'
    ? `substr(${column}, 1, ${length})`
    : `LEFT(${column}, ${length}) COLLATE utf8mb4_bin`;
}

function statementsFor(dataSource: DataSource, cipher: ColumnCipher, spec: EncryptedColumnSpec) {
  const { table, column } = spec;
  // Stale when encrypting: anything not sealed with the active key; when not: anything sealed.
  const target = cipher.encrypts(spec)
    ? storedFormPrefixes.sealedWith(cipher.keys.activeId)
    : storedFormPrefixes.anySealed;
  const comparison = cipher.encrypts(spec) ? '<>' : '=';
  const stale = `${column} IS NOT NULL AND ${startsWith(dataSource, column, target.length)} ${comparison} ?`;
  return {
    parameters: [target],
    count: `SELECT COUNT(*) AS count FROM ${table} WHERE ${stale}`,
    select: `SELECT id, ${column} AS value FROM ${table} WHERE id > ? AND ${stale} ORDER BY id LIMIT ?`,
    update: `UPDATE ${table} SET ${column} = ? WHERE id = ? AND ${column} = ?`,
  };
}

async function affectedRows(dataSource: DataSource, sql: string, parameters: unknown[]): Promise<boolean> {
  const runner = dataSource.createQueryRunner();
  try {
    const result = (await runner.query(sql, parameters, true)) as { affected?: number };
    return (result.affected ?? 0) > 0;
  } finally {
    await runner.release();
  }
}
