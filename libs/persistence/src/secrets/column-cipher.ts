import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Database } from '../database/database';
import { SecretRepository } from './secret.repository';

const KEY_NAME = 'column-encryption-key';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'v1:';

/**
 * Column-level encryption (AES-256-GCM) for values such as API keys, under a cluster-wide key kept
 * in the `secrets` table and created by the first process that needs it. note: key and ciphertext
 * live in the same database, so this keeps such values out of dumps of one table, logs and admin
 * answers, not away from someone who holds the whole database.
 */
export class ColumnCipher {
  private key: Promise<Buffer> | undefined;
  private readonly secrets: SecretRepository;

  constructor(database: Database) {
    this.secrets = new SecretRepository(database);
  }

  async encrypt(plaintext: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.encryptionKey(), iv);
    const encrypted = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${PREFIX}${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
  }

  /** The plaintext; throws when the value was not encrypted with this cluster's key (or was altered). */
  async decrypt(ciphertext: string): Promise<string> {
    const raw = Buffer.from(ciphertext.slice(PREFIX.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', await this.encryptionKey(), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  private encryptionKey(): Promise<Buffer> {
    this.key ??= this.secrets
      .getOrCreate(KEY_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'));
    return this.key;
  }
}
