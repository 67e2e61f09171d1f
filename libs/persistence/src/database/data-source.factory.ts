import { DataSource } from 'typeorm';
import { entities } from '../entities';
import { migrations } from '../migrations';
import type { DatabaseOptions } from './database-url';
import { SnakeNamingStrategy } from './snake-naming.strategy';

const defaultPoolSize = 10;

/**
 * Builds (but does not initialize) a typeorm DataSource for Switchboard's schema.
 * `synchronize` is always off: the schema comes only from {@link migrations}; the caller
 * decides when to run them (see `migrate`).
 */
export function createDataSource(options: DatabaseOptions): DataSource {
  switch (options.kind) {
    case 'sqlite':
      return new DataSource({
        type: 'better-sqlite3',
        database: options.file,
        entities,
        migrations,
        namingStrategy: new SnakeNamingStrategy(),
        synchronize: false,
        // WAL lets readers proceed while the single writer commits; foreign keys are off by default in SQLite.
        prepareDatabase: (db: { pragma(source: string): unknown }) => {
          if (options.file !== ':memory:') db.pragma('journal_mode = WAL');
          db.pragma('foreign_keys = ON');
        },
      });
    case 'mysql':
      return new DataSource({
        // note: typeorm reads MariaDB's catalogue differently (e.g. `DEFAULT NULL`), so the flavour matters.
        type: options.server ?? 'mariadb',
        url: options.url,
        charset: 'utf8mb4_unicode_ci',
        timezone: 'Z',
        poolSize: options.poolSize ?? defaultPoolSize,
        entities,
        migrations,
        namingStrategy: new SnakeNamingStrategy(),
        synchronize: false,
      });
  }
}
