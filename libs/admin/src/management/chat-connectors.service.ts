import { Injectable } from '@nestjs/common';
import {
  type ChatConnectorRecord,
  SiteRepository,
  SkillRepository,
  ChatConnectorRepository,
} from '@switchboard/persistence';
import type { z } from 'zod';
import { AdminErrorCode, AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import { DirectoryService } from '../whoson/directory.service';
import type { chatConnectorChangesBody, newChatConnectorBody } from './chat-connector.dto';

type NewConnector = z.infer<typeof newChatConnectorBody>;
type ConnectorChanges = z.infer<typeof chatConnectorChangesBody>;

/** A chat connector as the admin API shows it (and audits it): the API key only as its last characters. */
export interface ChatConnectorView {
  readonly id: number;
  readonly siteKey: string;
  readonly channel: 'whatsapp';
  readonly enabled: boolean;
  readonly phoneNumber: string;
  readonly apiKey: string;
  readonly language: string;
  readonly skill: string | null;
}

/** WhatsApp chat connectors: a site's number at TynTec, its API key, language and skill. */
@Injectable()
export class ChatConnectorsService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly chatConnectors: ChatConnectorRepository,
    private readonly directory: DirectoryService,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(): Promise<ChatConnectorView[]> {
    return Promise.all((await this.chatConnectors.list()).map((connector) => this.view(connector)));
  }

  async create(input: NewConnector, by: AdminActor) {
    const site = await this.directory.requireSite(input.siteKey);
    const { siteKey: _siteKey, skill, ...fields } = input;
    const connector = await this.chatConnectors.create({
      ...fields,
      siteId: site.id,
      ...(await this.skillId(skill)),
    });
    const value = await this.view(connector);
    await this.changes.applied(by, {
      action: 'chatconnector.create',
      targetKind: 'chatconnector',
      targetKey: String(connector.id),
      newValue: value,
    });
    return { value, reload: null };
  }

  async update(id: number, input: ConnectorChanges, by: AdminActor) {
    const before = await this.chatConnectors.findById(id);
    if (before === null) throw AdminException.notFound(`chat connector ${id}`);
    const { skill, ...fields } = input;
    const after =
      (await this.chatConnectors.update(id, { ...fields, ...(await this.skillId(skill)) })) ?? before;
    const value = await this.view(after);
    await this.changes.applied(by, {
      action: 'chatconnector.update',
      targetKind: 'chatconnector',
      targetKey: String(id),
      oldValue: await this.view(before),
      newValue: { ...value, ...(input.apiKey ? { apiKey: `changed, now ${value.apiKey}` } : {}) },
    });
    return { value, reload: null };
  }

  /** Deletes a connector; 409 while its site has open WhatsApp chats (their replies go out through it). */
  async delete(id: number, by: AdminActor) {
    const before = await this.chatConnectors.findById(id);
    if (before === null) throw AdminException.notFound(`chat connector ${id}`);
    const value = await this.view(before);
    const outcome = await this.chatConnectors.deleteUnlessOpenChats(id);
    if (outcome.openChats > 0)
      throw new AdminException(
        AdminErrorCode.InUse,
        `chat connector ${id} (+${before.phoneNumber}): its site ${value.siteKey} has ${outcome.openChats} ` +
          'open WhatsApp chat(s) whose replies go out through it; switch it off (PATCH {"enabled":false}), ' +
          'let them end, then delete it',
      );
    if (!outcome.deleted) throw AdminException.notFound(`chat connector ${id}`);
    await this.changes.applied(by, {
      action: 'chatconnector.delete',
      targetKind: 'chatconnector',
      targetKey: String(id),
      oldValue: value,
    });
    return { value, reload: null };
  }

  private async skillId(skill: string | null | undefined): Promise<{ skillId?: number | null }> {
    if (skill === undefined) return {};
    if (skill === null) return { skillId: null };
    const found = await this.skills.findByName(skill);
    if (!found) throw new AdminException(AdminErrorCode.BadRequest, `skill: no skill named ${skill}`);
    return { skillId: found.id };
  }

  private async view(connector: ChatConnectorRecord): Promise<ChatConnectorView> {
    const [site, skill] = await Promise.all([
      this.sites.findById(connector.siteId),
      connector.skillId === null ? null : this.skills.findById(connector.skillId),
    ]);
    return {
      id: connector.id,
      siteKey: site?.siteKey ?? String(connector.siteId),
      channel: connector.channel,
      enabled: connector.enabled,
      phoneNumber: `+${connector.phoneNumber}`,
      apiKey: `••••${connector.apiKeyHint}`,
      language: connector.language,
      skill: skill?.name ?? null,
    };
  }
}
