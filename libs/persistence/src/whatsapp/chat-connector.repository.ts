import { isE164 } from '@switchboard/protocol';
import { In } from 'typeorm';
import { openChatStates } from '../chats/chat-types';
import { ChatEntity } from '../chats/chat.entity';
import { ensureValid, PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { isUniqueViolation } from '../database/transaction';
import { encryptedColumns, openColumn, sealColumn } from '../encryption/encrypted-columns';
import { ChatConnectorEntity } from './chat-connector.entity';
import type { Database } from '../database/database';

/** A connector as callers see it: the API key only as its last characters (`apiKeyHint`). */
export type ChatConnectorRecord = Readonly<Omit<ChatConnectorEntity, 'site' | 'skill' | 'apiKeyCiphertext'>>;

export interface NewChatConnector {
  siteId: number;
  phoneNumber: string;
  /** The TynTec API key: stored encrypted, never returned but by {@link ChatConnectorRepository.revealApiKey}. */
  apiKey: string;
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

/** How many of the key's last characters are kept in clear, to show which key is stored. */
const HINT_LENGTH = 4;

type StoredFields = Partial<Omit<ChatConnectorEntity, 'id' | 'site' | 'skill' | 'createdAt'>>;

/** The columns of a change: validated, the number normalized, the API key encrypted with its hint. */
function columnsOf(patch: ChatConnectorPatch): StoredFields {
  const { apiKey, ...fields } = patch;
  if (fields.language !== undefined)
    ensureValid(
      languagePattern.test(fields.language),
      `language "${fields.language}" is not like "en" or "de-DE"`,
    );
  if (apiKey !== undefined) ensureValid(apiKey.trim().length > HINT_LENGTH * 2, 'the API key is too short');
  return {
    ...fields,
    ...(fields.phoneNumber === undefined ? {} : { phoneNumber: normalizePhoneNumber(fields.phoneNumber) }),
    ...(apiKey === undefined
      ? {}
      : {
          apiKeyCiphertext: sealColumn(encryptedColumns.connectorApiKey, apiKey.trim()),
          apiKeyHint: apiKey.trim().slice(-HINT_LENGTH),
        }),
  };
}

/** Chat connectors (a site's WhatsApp number); one number belongs to one site (a UNIQUE key decides). */
export class ChatConnectorRepository {
  constructor(private readonly database: Database) {}

  async create(input: NewChatConnector, at = new Date()): Promise<ChatConnectorRecord> {
    const valid = columnsOf(input);
    return this.saving(input.phoneNumber, async () =>
      toRecord(
        await this.database.transaction((manager) =>
          manager.save(
            manager.create(ChatConnectorEntity, {
              skillId: null,
              enabled: true,
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
    const valid = columnsOf(patch);
    return this.saving(patch.phoneNumber ?? '', async () => {
      const result = await this.database.transaction((manager) =>
        manager.update(ChatConnectorEntity, { id }, { ...valid, updatedAt: at }),
      );
      return result.affected === 1 ? this.findById(id) : null;
    });
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(ChatConnectorEntity, { id }));
    return result.affected === 1;
  }

  /**
   * Deletes a connector unless its site has open WhatsApp chats (their replies go out through it),
   * in one transaction: `openChats` > 0 when refused; `deleted` false with none = no such connector.
   */
  async deleteUnlessOpenChats(id: number): Promise<{ deleted: boolean; openChats: number }> {
    return this.database.transaction(async (manager) => {
      const connector = await manager.findOneBy(ChatConnectorEntity, { id });
      if (connector === null) return { deleted: false, openChats: 0 };
      const openChats = await manager.countBy(ChatEntity, {
        siteId: connector.siteId,
        channel: 'whatsapp',
        state: In([...openChatStates]),
      });
      if (openChats > 0) return { deleted: false, openChats };
      const result = await manager.delete(ChatConnectorEntity, { id });
      return { deleted: result.affected === 1, openChats: 0 };
    });
  }

  async findById(id: number): Promise<ChatConnectorRecord | null> {
    const entity = await this.database.manager.findOneBy(ChatConnectorEntity, { id });
    return entity && toRecord(entity);
  }

  /** The connector of a number, written with or without `+`; null for an unknown or invalid number. */
  async findByPhoneNumber(phoneNumber: string): Promise<ChatConnectorRecord | null> {
    const digits = phoneNumber.replace(/^\+/, '');
    if (!isE164(digits)) return null;
    const entity = await this.database.manager.findOneBy(ChatConnectorEntity, { phoneNumber: digits });
    return entity && toRecord(entity);
  }

  async list(filter: { siteId?: number } = {}): Promise<ChatConnectorRecord[]> {
    const entities = await this.database.manager.find(ChatConnectorEntity, {
      where: { siteId: filter.siteId },
      order: { id: 'ASC' },
    });
    return entities.map(toRecord);
  }

  /** The API key in clear, for the one caller that sends it to TynTec; null when there is no such connector. */
  async revealApiKey(id: number): Promise<string | null> {
    const entity = await this.database.manager.findOne(ChatConnectorEntity, {
      select: { id: true, apiKeyCiphertext: true },
      where: { id },
    });
    return entity ? openColumn(encryptedColumns.connectorApiKey, entity.apiKeyCiphertext) : null;
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
