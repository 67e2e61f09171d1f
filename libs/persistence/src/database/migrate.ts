import type { DataSource } from 'typeorm';

/**
 * Runs every pending migration, each in its own transaction, and logs the name of each one
 * applied. Returns the names applied (empty when the schema was already current).
 */
export async function migrate(dataSource: DataSource, log: (message: string) => void): Promise<string[]> {
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  for (const migration of applied) log(`applied migration ${migration.name}`);
  return applied.map((migration) => migration.name);
}
