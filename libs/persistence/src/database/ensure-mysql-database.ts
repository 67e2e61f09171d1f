import { createConnection } from 'mysql2/promise';
import { databaseName } from './database-url';

/**
 * Creates the database named in a `mysql://` URL if it does not exist yet (utf8mb4), so a
 * fresh MariaDB needs nothing but a user. Connects to the server without selecting a database.
 */
export async function ensureMysqlDatabase(url: string): Promise<void> {
  await withServerConnection(url, async (name, run) => {
    await run(`CREATE DATABASE IF NOT EXISTS \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
}

/** Drops the database named in a `mysql://` URL; for throwaway test databases. */
export async function dropMysqlDatabase(url: string): Promise<void> {
  await withServerConnection(url, async (name, run) => {
    await run(`DROP DATABASE IF EXISTS \`${name}\``);
  });
}

async function withServerConnection(
  url: string,
  work: (name: string, run: (sql: string) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const parsed = new URL(url.replace(/^mariadb:/, 'mysql:'));
  const name = databaseName(parsed);
  // Identifiers cannot be bound as parameters, so only plain names are allowed.
  if (!/^\w+$/.test(name)) throw new Error(`Refusing database name "${name}": use letters, digits and _`);
  const connection = await createConnection({
    host: parsed.hostname,
    port: parsed.port === '' ? 3306 : Number(parsed.port),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  try {
    await work(name, (sql) => connection.query(sql));
  } finally {
    await connection.end();
  }
}
