import type { DataSource } from 'typeorm';
import { Database } from '../database/database';
import { SecretRepository } from '../secrets/secret.repository';
import { ColumnCipher, type EncryptedColumnSpec } from './column-cipher';
import { encryptedColumns, installColumnCipher } from './encrypted-columns';
import { rotateColumns } from './key-rotation';
import { EncryptionKeyError, EncryptionKeyErrorCode, type KeyRing } from './key-ring';

/** Each key's check value: a known text sealed with it, kept so a wrong key is caught at start-up. */
const CHECK_PREFIX = 'encryption-key-check:';
const CHECK_TEXT = 'switchboard encryption key check';
const checkSpec: EncryptedColumnSpec = {
  table: 'secrets',
  column: 'value',
  kind: 'randomized',
  always: true,
};

/** The secret that holds a key's check value. */
export const keyCheckName = (keyId: string): string => `${CHECK_PREFIX}${keyId}`;

/**
 * Checks the keys against the database before anything is read or written: every key this process
 * holds must open its check value (stored by the first process that used the key), and every key the
 * database has used and not retired must be held. Throws an {@link EncryptionKeyError} that names the
 * key and what to do.
 */
export async function verifyKeys(dataSource: DataSource, keys: KeyRing): Promise<void> {
  const secrets = new SecretRepository(new Database(dataSource));
  const cipher = new ColumnCipher(keys, true);
  for (const id of keys.ids) {
    const sealedWithId = () => new ColumnCipher(keys.withActive(id), true).seal(checkSpec, CHECK_TEXT);
    const stored = await secrets.getOrCreate(keyCheckName(id), sealedWithId);
    let opened: string | undefined;
    try {
      opened = cipher.open(checkSpec, stored);
    } catch {
      opened = undefined;
    }
    if (opened !== CHECK_TEXT)
      throw new EncryptionKeyError(
        EncryptionKeyErrorCode.Mismatch,
        `encryption key "${id}" is not the key this database knows by that id: check the key file or SWITCHBOARD_ENCRYPTION_KEYS (see docs/security.md)`,
      );
  }
  const used = (await secrets.namesStartingWith(CHECK_PREFIX)).map((name) => name.slice(CHECK_PREFIX.length));
  const missing = used.filter((id) => !keys.has(id));
  if (missing.length > 0)
    throw new EncryptionKeyError(
      EncryptionKeyErrorCode.Missing,
      `the database holds values encrypted with key(s) ${missing.map((id) => `"${id}"`).join(', ')}, which this process does not have: add them to the key file or SWITCHBOARD_ENCRYPTION_KEYS (see docs/security.md)`,
    );
}

/** The earlier cipher's key, which an earlier version kept in the database for the TynTec API keys. */
const LEGACY_KEY_NAME = 'column-encryption-key';

/**
 * Verifies the keys and installs the cipher every encrypted column of this process uses. API keys an
 * earlier version encrypted under a key kept in the database are re-encrypted with the active key
 * (a handful of rows), and that key is deleted.
 */
export async function startColumnEncryption(
  dataSource: DataSource,
  keys: KeyRing,
  enabled: boolean,
): Promise<ColumnCipher> {
  await verifyKeys(dataSource, keys);
  const cipher = new ColumnCipher(keys, enabled);
  installColumnCipher(cipher);
  const secrets = new SecretRepository(new Database(dataSource));
  const legacy = await secrets.find(LEGACY_KEY_NAME);
  if (legacy !== null) {
    const withLegacy = new ColumnCipher(keys, enabled, Buffer.from(legacy, 'base64'));
    await rotateColumns(dataSource, withLegacy, { columns: [encryptedColumns.connectorApiKey] });
    await secrets.delete(LEGACY_KEY_NAME);
  }
  return cipher;
}
