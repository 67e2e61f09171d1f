import type { EncryptionSettings } from '@switchboard/config';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.factory';
import { parseDatabaseUrl } from '../database/database-url';
import { startColumnEncryption } from './key-check';
import { loadKeyRing } from './key-source';

/**
 * Opens the database for a command that runs beside the services (the cluster demo, the webhooks
 * command): with the keys the services read, verified and in use for every encrypted column, and
 * without migrating it. The caller destroys the data source.
 */
export async function openEncryptedDataSource(
  databaseUrl: string,
  encryption: EncryptionSettings,
  warn: (message: string) => void,
): Promise<DataSource> {
  // The keys first: a command without them must not touch the database.
  const keys = loadKeyRing(encryption.keySource, warn);
  const dataSource = createDataSource(parseDatabaseUrl(databaseUrl));
  await dataSource.initialize();
  try {
    await startColumnEncryption(dataSource, keys, encryption.enabled);
  } catch (error) {
    await dataSource.destroy();
    throw error;
  }
  return dataSource;
}
