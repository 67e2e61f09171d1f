import { createCipheriv, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../database/data-source.factory';
import { migrate } from '../database/migrate';
import { createRepositories } from '../repositories';
import { makeSite } from '../testing/factories';
import { columnCipher, installColumnCipher } from './encrypted-columns';
import { startColumnEncryption } from './key-check';
import { generateKeyMaterial, KeyRing } from './key-ring';

const ring = (active: string, keys: Record<string, string>) =>
  KeyRing.fromContent({ active, keys }, 'test keys');

describe('startColumnEncryption', () => {
  const testCipher = columnCipher();
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = createDataSource({ kind: 'sqlite', file: ':memory:' });
    await dataSource.initialize();
    await migrate(dataSource, () => undefined);
  });

  afterEach(async () => {
    installColumnCipher(testCipher);
    await dataSource.destroy();
  });

  it('stops on a key that differs from the one the database knows by its id, naming the id only', async () => {
    const k1 = generateKeyMaterial();
    await startColumnEncryption(dataSource, ring('k1', { k1 }), true);
    const other = generateKeyMaterial();
    const start = startColumnEncryption(dataSource, ring('k1', { k1: other }), true);
    await expect(start).rejects.toThrow(/encryption key "k1" is not the key this database knows by that id/);
    await expect(start).rejects.not.toThrow(other);
  });

  it('stops when the database used a key this process does not have', async () => {
    const [k1, k2] = [generateKeyMaterial(), generateKeyMaterial()];
    await startColumnEncryption(dataSource, ring('k2', { k1, k2 }), true);
    await expect(startColumnEncryption(dataSource, ring('k1', { k1 }), true)).rejects.toThrow(
      /key\(s\) "k2", which this process does not have/,
    );
  });

  it("re-encrypts the API keys an earlier version sealed under the database's own key, and deletes that key", async () => {
    const repositories = createRepositories(dataSource);
    const site = await makeSite(repositories);
    const connector = await repositories.chatConnectors.create({
      siteId: site.id,
      phoneNumber: '4930123456',
      apiKey: 'placeholder-key',
      language: 'en',
    });
    // What the earlier ColumnCipher wrote: v1: + base64(iv | tag | AES-256-GCM ciphertext).
    const legacyKey = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', legacyKey, iv);
    const encrypted = Buffer.concat([cipher.update('old-tyntec-api-key', 'utf8'), cipher.final()]);
    const stored = `v1:${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
    await dataSource.query('UPDATE chat_connectors SET api_key_ciphertext = ? WHERE id = ?', [
      stored,
      connector.id,
    ]);
    await repositories.secrets.getOrCreate('column-encryption-key', () => legacyKey.toString('base64'));

    await startColumnEncryption(dataSource, ring('k1', { k1: generateKeyMaterial() }), true);

    expect(await repositories.chatConnectors.revealApiKey(connector.id)).toBe('old-tyntec-api-key');
    expect(await repositories.secrets.find('column-encryption-key')).toBeNull();
  });
});
