import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { WhatsappStore } from './whatsapp-store';

const SECRET_NAME = 'whatsapp.api-key-encryption';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts TynTec API keys for the `chat_connectors` table with AES-256-GCM, under a cluster-wide
 * key kept in the `secrets` table. note: key and ciphertext live in the same database, so this keeps
 * API keys out of dumps of one table, logs and admin answers, not away from a full database thief.
 */
@Injectable()
export class ApiKeyCipher {
  private key: Promise<Buffer> | undefined;

  constructor(private readonly store: WhatsappStore) {}

  async encrypt(apiKey: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', await this.encryptionKey(), iv);
    const encrypted = Buffer.concat([cipher.update(apiKey, 'utf8'), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64')}`;
  }

  async decrypt(ciphertext: string): Promise<string> {
    const raw = Buffer.from(ciphertext.replace(/^v1:/, ''), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', await this.encryptionKey(), raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
      'utf8',
    );
  }

  /** The API key of a connector, decrypted; null when the connector is gone. */
  async apiKeyOf(connectorId: number): Promise<string | null> {
    const ciphertext = await this.store.repositories.chatConnectors.findApiKeyCiphertext(connectorId);
    return ciphertext === null ? null : this.decrypt(ciphertext);
  }

  private encryptionKey(): Promise<Buffer> {
    this.key ??= this.store.repositories.secrets
      .getOrCreate(SECRET_NAME, () => randomBytes(32).toString('base64'))
      .then((value) => Buffer.from(value, 'base64'));
    return this.key;
  }
}
