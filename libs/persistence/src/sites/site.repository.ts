import { In, Not } from 'typeorm';
import { openChatStates } from '../chats/chat-types';
import { ChatEntity } from '../chats/chat.entity';
import { ensureValid } from '../database/persistence.error';
import { ChatConnectorEntity } from '../whatsapp/chat-connector.entity';
import { SiteEntity } from './site.entity';
import type { Database } from '../database/database';

/** A site as callers see it. */
export type SiteRecord = Readonly<Omit<SiteEntity, never>>;

/** Fields of a new site; the optional ones take the column defaults. */
export interface NewSite {
  siteKey: string;
  name: string;
  domain: string;
  paused?: boolean;
  /** IANA zone, e.g. `Europe/Berlin`. @default 'UTC' */
  timeZone?: string;
  chatTemplate?: string | null;
  offlineMessage?: string | null;
  /** Words or phrases that close a chat when the visitor writes them (TR). */
  textRules?: string[] | null;
  textRuleMessage?: string | null;
}

/** Changeable fields of a site (the site key is its identity and stays). */
export type SiteChanges = Partial<Omit<NewSite, 'siteKey'>>;

const toRecord = (entity: SiteEntity): SiteRecord => ({ ...entity });

function ensureTimeZone(timeZone: string | undefined): void {
  if (timeZone === undefined) return;
  ensureValid(
    Intl.supportedValuesOf('timeZone').includes(timeZone) || timeZone === 'UTC',
    `unknown time zone "${timeZone}"`,
  );
}

/** Sites (WhosOn's SiteKey-addressed sites), including pause/resume. */
export class SiteRepository {
  constructor(private readonly database: Database) {}

  async create(site: NewSite, createdAt = new Date()): Promise<SiteRecord> {
    ensureValid(site.siteKey.trim() !== '', 'site key must not be empty');
    ensureTimeZone(site.timeZone);
    const saved = await this.database.transaction((manager) =>
      manager.save(manager.create(SiteEntity, { ...site, createdAt })),
    );
    return toRecord(saved);
  }

  async findById(id: number): Promise<SiteRecord | null> {
    const entity = await this.database.manager.findOneBy(SiteEntity, { id });
    return entity && toRecord(entity);
  }

  async findByKey(siteKey: string): Promise<SiteRecord | null> {
    const entity = await this.database.manager.findOneBy(SiteEntity, { siteKey });
    return entity && toRecord(entity);
  }

  async list(): Promise<SiteRecord[]> {
    const entities = await this.database.manager.find(SiteEntity, { order: { siteKey: 'ASC' } });
    return entities.map(toRecord);
  }

  /** Applies `changes`; returns the updated site, or null when it does not exist. */
  async update(id: number, changes: SiteChanges): Promise<SiteRecord | null> {
    ensureTimeZone(changes.timeZone);
    await this.database.transaction((manager) => manager.update(SiteEntity, { id }, changes));
    return this.findById(id);
  }

  /** Pauses or resumes a site by key; returns false when no such site exists. */
  async setPaused(siteKey: string, paused: boolean): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager.update(SiteEntity, { siteKey }, { paused }),
    );
    return result.affected === 1;
  }

  /** Deletes a site and its work periods; refused by the database while chats reference it. */
  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(SiteEntity, { id }));
    return result.affected === 1;
  }

  /**
   * Deletes a site with its ended chats (and their transcripts) and work periods, in one transaction;
   * refused while the site has open chats or a chat connector (its WhatsApp number must be deleted
   * first), and then nothing is deleted.
   */
  async deleteUnlessOpenChats(id: number): Promise<SiteDeletion> {
    const refused = { deleted: false, openChats: 0, connectorNumbers: [] };
    try {
      return await this.database.transaction(async (manager) => {
        const openChats = await manager.countBy(ChatEntity, { siteId: id, state: In([...openChatStates]) });
        if (openChats > 0) throw new SiteDeletionRefused({ ...refused, openChats });
        const connectors = await manager.findBy(ChatConnectorEntity, { siteId: id });
        if (connectors.length > 0)
          throw new SiteDeletionRefused({
            ...refused,
            connectorNumbers: connectors.map((connector) => connector.phoneNumber),
          });
        await manager.delete(ChatEntity, { siteId: id, state: Not(In([...openChatStates])) });
        const result = await manager.delete(SiteEntity, { id });
        return { ...refused, deleted: result.affected === 1 };
      });
    } catch (error) {
      if (error instanceof SiteDeletionRefused) return error.deletion;
      throw error;
    }
  }
}

/** Rolls the deletion's transaction back, carrying why. */
class SiteDeletionRefused extends Error {
  constructor(readonly deletion: SiteDeletion) {
    super('site deletion refused');
  }
}

/**
 * Outcome of {@link SiteRepository.deleteUnlessOpenChats}: why it was refused (open chats, the
 * numbers of its chat connectors); `deleted` false with neither = no such site.
 */
export interface SiteDeletion {
  readonly deleted: boolean;
  readonly openChats: number;
  readonly connectorNumbers: readonly string[];
}
