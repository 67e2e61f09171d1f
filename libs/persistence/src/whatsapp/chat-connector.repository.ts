import { isE164 } from '@switchboard/protocol';
import type { DataSource } from 'typeorm';
import { ensureValid, PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { inTransaction, isUniqueViolation } from '../database/transaction';
import { ChatConnectorEntity } from './chat-connector.entity';

/** A connector as callers see it; the encrypted key is only read by {@link ChatConnectorRepository.findApiKeyCiphertext}. */
export type ChatConnectorRecord = Readonly<Omit<ChatConnectorEntity, 'site' | 'skill' | 'apiKeyCiphertext'>>;

export interface NewChatConnector {
  siteId: number;
  phoneNumber: string;
  /** The API key, encrypted by the caller. */
  apiKeyCiphertext: string;
  /** The last characters of the key (at most 4 are kept). */
  apiKeyHint: string;
  language: string;
  skillId?: number | null;
  /** @default true */
  enabled?: boolean;
}

export type ChatConnectorPatch = Partial<Omit<NewChatConnector, 'siteId'>>;

const toRecord = ({
  site: _site,
  skill: _skill,
  apiKeyCiphertext: _ciphertext,
  ...record
}: ChatConnectorEntity): ChatConnectorRecord => record;

/** `+49 123` and `49123` are the same number: stored as digits, the way TynTec writes them. */
export function normalizePhoneNumber(phoneNumber: string): string {
  const digits = phoneNumber.replace(/^\+/, '');
  ensureValid(isE164(digits), `phone number "${phoneNumber}" is not E.164 (2-15 digits, no leading 0)`);
  return digits;
}

const languagePattern = /^[a-z]{2}(-[A-Z]{2})?$/;

function validate(patch: ChatConnectorPatch): ChatConnectorPatch {
  if (patch.language !== undefined)
    ensureValid(
      languagePattern.test(patch.language),
      `language "${patch.language}" is not like "en" or "de-DE"`,
    );
  if (patch.apiKeyCiphertext !== undefined)
    ensureValid(patch.apiKeyCiphertext !== '', 'a connector needs an API key');
  return {
    ...patch,
    ...(patch.phoneNumber === undefined ? {} : { phoneNumber: normalizePhoneNumber(patch.phoneNumber) }),
    ...(patch.apiKeyHint === undefined ? {} : { apiKeyHint: patch.apiKeyHint.slice(-4) }),
  };
}

/** Chat connectors (a site's WhatsApp number); one number belongs to one site (a UNIQUE key decides). */
export class ChatConnectorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async create(input: NewChatConnector, at = new Date()): Promise<ChatConnectorRecord> {
    const valid = validate(input);
    return this.saving(input.phoneNumber, async () =>
      toRecord(
        await inTransaction(this.dataSource, (manager) =>
          manager.save(
            manager.create(ChatConnectorEntity, {
              skillId: null,
              enabled: true,
              ...input,
              ...valid,
              channel: 'whatsapp',
              createdAt: at,
              updatedAt: at,
            }),
          ),
        ),
      ),
    );
  }

  /** Changes the given fields; null when there is no such connector. */
  async update(id: number, patch: ChatConnectorPatch, at = new Date()): Promise<ChatConnectorRecord | null> {
    const valid = validate(patch);
    return this.saving(patch.phoneNumber ?? '', async () => {
      const result = await inTransaction(this.dataSource, (manager) =>
        manager.update(ChatConnectorEntity, { id }, { ...valid, updatedAt: at }),
      );
      return result.affected === 1 ? this.findById(id) : null;
    });
  }

  async delete(id: number): Promise<boolean> {
    const result = await inTransaction(this.dataSource, (manager) =>
      manager.delete(ChatConnectorEntity, { id }),
    );
    return result.affected === 1;
  }

  async findById(id: number): Promise<ChatConnectorRecord | null> {
    const entity = await this.dataSource.manager.findOneBy(ChatConnectorEntity, { id });
    return entity && toRecord(entity);
  }

  /** The connector of a number, written with or without `+`; null for an unknown or invalid number. */
  async findByPhoneNumber(phoneNumber: string): Promise<ChatConnectorRecord | null> {
    const digits = phoneNumber.replace(/^\+/, '');
    if (!isE164(digits)) return null;
    const entity = await this.dataSource.manager.findOneBy(ChatConnectorEntity, { phoneNumber: digits });
    return entity && toRecord(entity);
  }

  async list(filter: { siteId?: number } = {}): Promise<ChatConnectorRecord[]> {
    const entities = await this.dataSource.manager.find(ChatConnectorEntity, {
      where: { siteId: filter.siteId },
      order: { id: 'ASC' },
    });
    return entities.map(toRecord);
  }

  /** The encrypted API key, for the one class that decrypts it to call TynTec. */
  async findApiKeyCiphertext(id: number): Promise<string | null> {
    const entity = await this.dataSource.manager.findOne(ChatConnectorEntity, {
      select: { id: true, apiKeyCiphertext: true },
      where: { id },
    });
    return entity?.apiKeyCiphertext ?? null;
  }

  private async saving<T>(phoneNumber: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      throw new PersistenceError(
        PersistenceErrorCode.Conflict,
        `phone number ${phoneNumber} already belongs to a chat connector`,
      );
    }
  }
}
