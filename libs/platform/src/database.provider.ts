import { Logger, type Provider } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import {
  createDataSource,
  ensureMysqlDatabase,
  loadKeyRing,
  migrate,
  parseDatabaseUrl,
  startColumnEncryption,
} from '@switchboard/persistence';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource } from 'typeorm';
import { HealthIndicators } from './health/health-indicators';
import { BOOTSTRAP_SETTINGS } from './platform.tokens';

/**
 * Opens the database named by SWITCHBOARD_DATABASE_URL, creating it and applying migrations first,
 * and starts column encryption with keys from outside the database (a missing or wrong key stops here).
 */
export const databaseProvider: Provider = {
  provide: DataSource,
  inject: [BOOTSTRAP_SETTINGS, HealthIndicators],
  useFactory: async (settings: BootstrapSettings, indicators: HealthIndicators): Promise<DataSource> => {
    const logger = new Logger('Database');
    // The keys first: a process without them must not touch the database.
    const keys = loadKeyRing(settings.encryption.keySource, (warning) => logger.warn(warning));
    const options = parseDatabaseUrl(settings.databaseUrl);
    if (options.kind === 'sqlite' && options.file !== ':memory:')
      mkdirSync(dirname(options.file), { recursive: true });
    if (options.kind === 'mysql') await ensureMysqlDatabase(options.url);
    const dataSource = createDataSource(options);
    await dataSource.initialize();
    await migrate(dataSource, (message) => logger.log(message));
    await startColumnEncryption(dataSource, keys, settings.encryption.enabled);
    logger.log(
      `column encryption ${settings.encryption.enabled ? 'on' : 'off'}, active key "${keys.activeId}" of ${keys.ids.length}`,
    );
    logger.log(`connected to ${describeDatabase(settings.databaseUrl)}`);
    indicators.register('database', async () => {
      await dataSource.query('SELECT 1');
      return options.kind;
    });
    return dataSource;
  },
};

/** The URL without its password, for logs. */
export function describeDatabase(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
