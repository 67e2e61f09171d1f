import { ChatEvents, ChatIntake, ChatViews, TokenService, toLineView } from '@switchboard/chat';
import { Injectable } from '@nestjs/common';
import {
  type ChatRecord,
  SiteRepository,
  SkillRepository,
  ChatRepository,
  ChatLineRepository,
  BlockedVisitorRepository,
  ChatRoutingRepository,
} from '@switchboard/persistence';
import { type ChatLineView, type VisitorChatView } from '@switchboard/protocol';
import { chatEndingEvent } from '@switchboard/routing-domain';
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { startChatRequestSchema } from '@switchboard/protocol';
import { ChatLookup } from './chat-lookup.service';
import { LineWriter } from './line-writer.service';
import { MessagingException } from './messaging.exception';
import { SiteTextRules } from './text-rules.service';
import { TypingCoalescer } from './typing-coalescer';

export type StartChatRequest = z.output<typeof startChatRequestSchema>;

/** Where a visitor connects from, as the gateway sees it. */
export interface VisitorOrigin {
  readonly ip: string | null;
}

/** The visitor's use cases: start, rejoin, write, type, close, read back. */
@Injectable()
export class VisitorChatService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly blockedVisitors: BlockedVisitorRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly lookup: ChatLookup,
    private readonly views: ChatViews,
    private readonly intake: ChatIntake,
    private readonly publisher: ChatEvents,
    private readonly typingNotices: TypingCoalescer,
    private readonly lines: LineWriter,
    private readonly tokens: TokenService,
    private readonly textRules: SiteTextRules,
  ) {}

  async start(
    request: StartChatRequest,
    origin: VisitorOrigin,
  ): Promise<{ chat: VisitorChatView; token: string }> {
    const { sites, skills, blockedVisitors } = this;
    const site = await sites.findByKey(request.siteKey);
    if (!site) throw new MessagingException('UNKNOWN_SITE', `No site has the site key "${request.siteKey}".`);
    if (site.paused) throw new MessagingException('SITE_PAUSED', site.offlineMessage ?? undefined);
    const visitorKey = request.visitorId ?? randomUUID();
    if (await blockedVisitors.isBlocked({ siteId: site.id, visitorKey, ip: origin.ip ?? undefined })) {
      throw new MessagingException('BLOCKED');
    }
    const skill = request.skill === undefined ? null : await skills.findByName(request.skill);
    if (request.skill !== undefined && !skill) {
      throw new MessagingException('UNKNOWN_SKILL', `No skill is named "${request.skill}".`);
    }
    const variables = { ...request.variables, ...(request.page ? { page: request.page } : {}) };
    // A start the client may retry (visitorId and clientRequestId) opens the chat its retry finds again.
    const chatUid =
      request.visitorId && request.clientRequestId
        ? this.tokens.startedChatUid(site.id, visitorKey, request.clientRequestId)
        : undefined;
    const { outcome, chat } = await this.intake.open(
      {
        siteId: site.id,
        channel: 'web',
        visitorKey,
        visitorName: request.visitorName,
        visitorEmail: request.email ?? null,
        visitorIp: origin.ip,
        skillId: skill?.id ?? null,
        chatUid,
      },
      variables,
    );
    // note: knowing a visitorId must not hand out the open chat's token; only the start that opened it
    // (the same clientRequestId) gets it again.
    if (outcome === 'existing' && chat.chatUid !== chatUid) throw new MessagingException('CHAT_ALREADY_OPEN');
    // A retried start announces again only a chat still waiting (the first answer may have been lost before it).
    if (outcome === 'created' || chat.state === 'waiting') await this.intake.announce(chat);
    return {
      chat: await this.views.visitorView(chat),
      token: this.tokens.visitorToken(chat.chatUid),
    };
  }

  /** Checks the chat token and returns the lines after `afterSequence`. */
  async rejoin(
    chatUid: string,
    token: string,
    afterSequence: number,
  ): Promise<{ chat: VisitorChatView; lines: ChatLineView[] }> {
    if (!this.tokens.isVisitorToken(chatUid, token)) throw new MessagingException('UNKNOWN_CHAT');
    const chat = await this.lookup.require(chatUid);
    return {
      chat: await this.views.visitorView(chat),
      lines: await this.history(chat, afterSequence),
    };
  }

  /** Stores the visitor's line; a line that breaks a text rule of the site then closes the chat (TR). */
  async send(chatUid: string, text: string, clientMessageId: string): Promise<ChatLineView> {
    const chat = await this.lookup.requireFacts(chatUid);
    const line = await this.lines.write(
      chat,
      { kind: 'visitor', name: chat.visitorName ?? 'Visitor' },
      text,
      clientMessageId,
    );
    await this.textRules.enforce(chatUid, text);
    return line;
  }

  async typing(chatUid: string, typing: boolean): Promise<void> {
    await this.lookup.requireOpen(chatUid);
    await this.typingNotices.typing(chatUid, 'visitor', typing);
  }

  /** VC: the visitor ended the chat; a chat nobody took ends as missed. */
  async close(chatUid: string): Promise<void> {
    const chat = await this.lookup.requireOpen(chatUid);
    const names = await this.views.names(chat);
    const endState = chat.operatorId === null ? 'missed' : 'closed';
    const { text } = chatEndingEvent({ by: 'visitor' });
    if (!(await this.chats.close(chat.id, 'VC', new Date(), endState, [{ code: 'VC', text }]))) return;
    if (endState === 'missed') await this.publisher.queueRemoved(chatUid, 'visitor closed');
    await this.publisher.state({
      chatUid,
      state: endState,
      agentUsername: null,
      agentName: null,
      previousAgentUsername: names.agentUsername,
      code: 'VC',
      text,
    });
  }

  /**
   * Records whether the visitor's client is connected to the chat on this node: routing closes a chat
   * whose visitor stays gone from every node for `ACD.Chat.Visitor.ClientTimeout.Seconds` (VT).
   */
  async presence(chatUid: string, connected: boolean): Promise<void> {
    await this.chatRouting.setVisitorPresence(chatUid, connected ? null : new Date());
  }

  /** The visitors of `chatUids` are connected to this node now (its presence heartbeat). */
  async seen(chatUids: readonly string[]): Promise<void> {
    await this.chatRouting.markVisitorsSeen(chatUids);
  }

  async history(chat: ChatRecord | string, afterSequence: number, limit?: number): Promise<ChatLineView[]> {
    const record = typeof chat === 'string' ? await this.lookup.require(chat) : chat;
    const lines = await this.chatLines.listSince(record.id, afterSequence, limit);
    return lines.map((line) => toLineView(record.chatUid, line));
  }
}
