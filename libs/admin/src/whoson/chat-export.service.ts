import { Inject, Injectable } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import {
  openChatStates,
  type ChatLineRecord,
  SiteRepository,
  SkillRepository,
  OperatorRepository,
  ChatRepository,
  ChatLineRepository,
  ChatEventRepository,
  ChatVariableRepository,
} from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';
import { AdminException } from '../admin.exception';
import type { ChatDocument } from './chat-document';
import { loadChatTemplate, renderChat } from './chat-template';

/** One open chat in chattingvisitors.json. */
export interface ChattingVisitor {
  readonly chatUid: string;
  readonly siteKey: string;
  readonly channel: string;
  readonly state: string;
  readonly visitorName: string | null;
  readonly visitorIp: string | null;
  readonly operator: string | null;
  readonly startedAt: Date;
  readonly waitedSeconds: number;
}

const pageSize = 500;

/** Chats as documents (chat.json/xml/txt/htm) and the list of current chats. */
@Injectable()
export class ChatExportService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly chatVariables: ChatVariableRepository,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  async document(siteKey: string, chatUid: string): Promise<ChatDocument> {
    const { sites, chats, operators, skills, chatEvents, chatVariables } = this;
    const site = await sites.findByKey(siteKey);
    if (site === null) throw AdminException.notFound(`site ${siteKey}`);
    const chat = await chats.findByUid(chatUid);
    if (chat === null || chat.siteId !== site.id)
      throw AdminException.notFound(`chat ${chatUid} on site ${siteKey}`);
    const [operator, skill, lines, events, variables] = await Promise.all([
      chat.operatorId === null ? null : operators.findById(chat.operatorId),
      chat.skillId === null ? null : skills.findById(chat.skillId),
      this.allLines(chat.id),
      chatEvents.listByChat(chat.id),
      chatVariables.listByChat(chat.id),
    ]);
    return {
      chatUid: chat.chatUid,
      siteKey: site.siteKey,
      siteName: site.name,
      channel: chat.channel,
      state: chat.state,
      visitor: { key: chat.visitorKey, name: chat.visitorName, email: chat.visitorEmail, ip: chat.visitorIp },
      operator: operator && { username: operator.username, displayName: operator.displayName },
      skill: skill?.name ?? null,
      priority: chat.priority,
      createdAt: chat.createdAt,
      assignedAt: chat.assignedAt,
      closedAt: chat.closedAt,
      closeReason: chat.closeReason,
      lines: lines.map((line) => ({
        sequence: line.sequence,
        sender: line.senderKind,
        senderName: line.senderName,
        text: line.text,
        at: line.createdAt,
      })),
      events: events.map((event) => ({ code: event.code, text: event.text, at: event.createdAt })),
      variables,
    };
  }

  /** chat.htm: the chat rendered with the template its site names (DATADIR/chat-templates), or the built-in one. */
  async html(siteKey: string, chatUid: string): Promise<string> {
    const document = await this.document(siteKey, chatUid);
    const site = await this.sites.findByKey(siteKey);
    return renderChat(loadChatTemplate(this.settings.dataDirectory, site?.chatTemplate ?? null), document);
  }

  async chattingVisitors(now = new Date()): Promise<ChattingVisitor[]> {
    const { sites, chats, operators } = this;
    const [open, siteList, operatorList] = await Promise.all([
      chats.list({ states: [...openChatStates] }),
      sites.list(),
      operators.list(),
    ]);
    const siteKeys = new Map(siteList.map((site) => [site.id, site.siteKey]));
    const usernames = new Map(operatorList.map((operator) => [operator.id, operator.username]));
    return open.map((chat) => ({
      chatUid: chat.chatUid,
      siteKey: siteKeys.get(chat.siteId) ?? String(chat.siteId),
      channel: chat.channel,
      state: chat.state,
      visitorName: chat.visitorName,
      visitorIp: chat.visitorIp,
      operator: chat.operatorId === null ? null : (usernames.get(chat.operatorId) ?? null),
      startedAt: chat.createdAt,
      waitedSeconds: Math.max(
        0,
        Math.round(((chat.assignedAt ?? now).getTime() - chat.createdAt.getTime()) / 1000),
      ),
    }));
  }

  private async allLines(chatId: number): Promise<ChatLineRecord[]> {
    const lines: ChatLineRecord[] = [];
    for (;;) {
      const page = await this.chatLines.listSince(chatId, lines.at(-1)?.sequence ?? 0, pageSize);
      lines.push(...page);
      if (page.length < pageSize) return lines;
    }
  }
}
