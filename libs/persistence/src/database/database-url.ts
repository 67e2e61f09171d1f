/** Where the durable data lives: an SQLite file (or memory) or a MariaDB/MySQL server. */
export type DatabaseOptions =
  | {
      kind: 'sqlite';
      /** A file path, or `:memory:` for a throwaway database. */
      file: string;
    }
  | {
      kind: 'mysql';
      /** e.g. `mysql://root@127.0.0.1:3306/switchboard`. */
      url: string;
      /**
       * Connections kept in the mysql2 pool.
       * @default 10
       */
      poolSize?: number;
      /**
       * Server flavour; typeorm reads the two catalogues slightly differently.
       * @default 'mariadb'
       */
      server?: 'mariadb' | 'mysql';
    };

const acceptedForms =
  'sqlite:<file>, sqlite::memory:, mysql://user[:password]@host[:port]/database, mariadb://…';

/**
 * Parses a `DATABASE_URL`-style string into {@link DatabaseOptions}.
 * Accepts `sqlite:./data/switchboard.db`, `sqlite::memory:`, `mysql://…` and `mariadb://…`.
 * @throws Error naming the accepted forms when the string fits none of them.
 */
export function parseDatabaseUrl(url: string): DatabaseOptions {
  const trimmed = url.trim();
  if (trimmed.startsWith('sqlite:')) {
    const file = trimmed.slice('sqlite:'.length).replace(/^\/\//, '');
    if (file === '')
      throw new Error(`Database URL "${url}" has no SQLite file; accepted forms: ${acceptedForms}`);
    return { kind: 'sqlite', file };
  }
  if (/^(mysql|mariadb):\/\//.test(trimmed)) {
    const parsed = new URL(trimmed.replace(/^mariadb:/, 'mysql:'));
    if (parsed.hostname === '' || databaseName(parsed) === '') {
      throw new Error(
        `Database URL "${url}" needs a host and a database name; accepted forms: ${acceptedForms}`,
      );
    }
    return { kind: 'mysql', url: parsed.toString() };
  }
  throw new Error(`Unsupported database URL "${url}"; accepted forms: ${acceptedForms}`);
}

/** The database name in the path of a mysql:// URL. */
export function databaseName(url: URL): string {
  return decodeURIComponent(url.pathname.replace(/^\//, ''));
}
