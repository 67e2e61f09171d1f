import { ChatEvents, ChatViews } from '@switchboard/chat';
import { Injectable, Logger } from '@nestjs/common';
import {
  ChatLineRepository,
  ChatRepository,
  SiteRepository,
  type SiteRecord,
} from '@switchboard/persistence';
import { matchTextRule, textRuleClosingText, textRuleEvent } from '@switchboard/routing-domain';
import { ChatLookup } from './chat-lookup.service';

type RuledSite = Pick<SiteRecord, 'name' | 'textRules' | 'textRuleMessage'>;

/**
 * The sites' text rules (TR): a visitor line with one of its site's words or phrases closes the chat,
 * and the visitor reads the site's message. The rules are read once for every site and again after a
 * site reload (`loadsite`, `loadallsites`, which an admin change of a site sends).
 */
@Injectable()
export class SiteTextRules {
  private readonly logger = new Logger('TextRules');
  private sites: Promise<Map<number, RuledSite>> | null = null;

  constructor(
    private readonly siteRepository: SiteRepository,
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly lookup: ChatLookup,
    private readonly views: ChatViews,
    private readonly publisher: ChatEvents,
  ) {}

  /** Forgets what was read: the next visitor line reads every site's rules again. */
  forgetAll(): void {
    this.sites = null;
  }

  /** Closes the chat with TR when the visitor's `text` matches a rule of its site. */
  async enforce(chatUid: string, text: string): Promise<void> {
    const sites = await this.ruledSites();
    if (sites.size === 0) return;
    const chat = await this.lookup.require(chatUid);
    const site = sites.get(chat.siteId);
    const rule = site ? matchTextRule(site.textRules ?? [], text) : null;
    if (site === undefined || rule === null) return;
    const at = new Date();
    const names = await this.views.names(chat);
    const state = chat.operatorId === null ? 'missed' : 'closed';
    if (!(await this.chats.close(chat.id, 'TR', at, state, [textRuleEvent()]))) return;
    this.logger.log(`chat ${chatUid}: closed by the text rule "${rule}"`);
    const message = site.textRuleMessage ?? textRuleClosingText;
    const line = await this.chatLines.append(
      chat.id,
      { senderKind: 'system', senderName: site.name, text: message },
      at,
    );
    await this.publisher.line({
      chatUid,
      sequence: line.sequence,
      sender: 'system',
      senderName: site.name,
      text: message,
      at: line.createdAt.toISOString(),
      clientMessageId: null,
    });
    await this.publisher.ended(chatUid, {
      state,
      code: 'TR',
      text: message,
      previousAgentUsername: names.agentUsername,
    });
  }

  private ruledSites(): Promise<Map<number, RuledSite>> {
    this.sites ??= this.siteRepository.list().then(
      (sites) =>
        new Map(sites.filter((site) => (site.textRules ?? []).length > 0).map((site) => [site.id, site])),
      (error: unknown) => {
        this.sites = null;
        throw error;
      },
    );
    return this.sites;
  }
}
