import { AgentStatuses, ChatEvents, ChatViews, toLineView, toAgentView } from '@switchboard/chat';
import { Injectable, Logger } from '@nestjs/common';
import {
  type ChatRecord,
  type OperatorRecord,
  OperatorRepository,
  ChatRepository,
  ChatLineRepository,
  ChatEventRepository,
  BlockedVisitorRepository,
  ChatRoutingRepository,
  hasRole,
} from '@switchboard/persistence';
import { type AgentStatus, type AgentView, type ChatLineView, type ChatSummary } from '@switchboard/protocol';
import {
  chatEndingEvent,
  pickupEvent,
  type ChatEnding,
  type RoutingEvent,
} from '@switchboard/routing-domain';
import { ChatLookup } from './chat-lookup.service';
import { LineWriter } from './line-writer.service';
import { QueuePickup } from './queue-pickup.service';
import { MessagingException } from './messaging.exception';
import { TypingCoalescer } from './typing-coalescer';

const WAITING_STATES = ['waiting', 'queued', 'offered'] as const;

/** The agent's use cases once logged in (sessions are libs/identity's): set status, see the waiting list, pick up, write, close, leave. */
@Injectable()
export class AgentChatService {
  private readonly logger = new Logger('AgentChats');

  constructor(
    private readonly operators: OperatorRepository,
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly blockedVisitors: BlockedVisitorRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly lookup: ChatLookup,
    private readonly views: ChatViews,
    private readonly publisher: ChatEvents,
    private readonly typingNotices: TypingCoalescer,
    private readonly lines: LineWriter,
    private readonly queuePickup: QueuePickup,
    private readonly statuses: AgentStatuses,
  ) {}

  /**
   * The agent sets their status (reason `manual`, stored with the change). Setting the status they
   * already have changes nothing but still pushes the view to their connections.
   */
  async setStatus(agent: OperatorRecord, status: AgentStatus): Promise<AgentView> {
    const changed = await this.statuses.change(agent.id, status, 'manual');
    if (changed !== null) return changed;
    const view = toAgentView(await this.reload(agent));
    await this.publisher.agentStatus(view);
    return view;
  }

  /** An explicit log-out: the agent goes offline at once (reason `logout`); the chats they hold stay theirs. */
  async loggedOut(agent: OperatorRecord): Promise<void> {
    await this.statuses.change(agent.id, 0, 'logout');
  }

  async waitingChats(): Promise<ChatSummary[]> {
    const chats = await this.chats.list({ states: [...WAITING_STATES] });
    return Promise.all(chats.map((chat) => this.views.summary(chat)));
  }

  async myChats(agent: OperatorRecord): Promise<ChatSummary[]> {
    const chats = await this.chats.list({ operatorId: agent.id, states: ['active'] });
    return Promise.all(chats.map((chat) => this.views.summary(chat)));
  }

  /**
   * OP when the database gives this agent the chat (after QR and QMAN for a chat taken from the
   * queue); OPF (stored, nothing else changes) when another was first.
   */
  async pickup(
    agent: OperatorRecord,
    chatUid: string,
  ): Promise<{ chat: ChatSummary; lines: ChatLineView[] }> {
    const current = await this.reload(agent);
    if (current.status !== 1) {
      throw new MessagingException('NOT_ELIGIBLE', 'Set your status to Chat (1) to pick up chats.');
    }
    const chat = await this.lookup.requireOpen(chatUid);
    // A retry after a lost acknowledgement: the chat is already this agent's.
    if (chat.operatorId === agent.id) return this.held(agent, chat);
    const now = new Date();
    const picked = pickupEvent(agent.username, true);
    const fromQueue = await this.queuePickup.events(chat, current, now);
    const result = await this.chats.assignOnce(
      chat.id,
      agent.id,
      now,
      [...fromQueue, picked].map((event) => ({ ...event, operatorId: agent.id })),
    );
    if (!result.assigned) {
      if (result.reason === 'operator-at-capacity') {
        throw new MessagingException(
          'NOT_ELIGIBLE',
          `You already have ${current.openChats} of your ${current.maxChats} concurrent chats.`,
        );
      }
      // note: the agent's own accept (or a second console's pickup) may have won the race: no OPF then.
      const winner = await this.lookup.require(chatUid);
      if (winner.operatorId === agent.id && winner.state === 'active') return this.held(agent, winner);
      await this.record(chat, pickupEvent(agent.username, false), agent);
      throw new MessagingException('ALREADY_TAKEN');
    }
    const { text } = picked;
    const summary = await this.views.summary(result.chat);
    await this.publisher.queueRemoved(chatUid, `picked up by ${agent.username}`);
    await this.publisher.state({
      chatUid,
      state: 'active',
      agentUsername: agent.username,
      agentName: agent.displayName,
      code: 'OP',
      text,
    });
    return { chat: summary, lines: await this.history(agent, chatUid, 0) };
  }

  /** The answer to a pickup of a chat the agent already holds: the chat again, nothing recorded. */
  private async held(
    agent: OperatorRecord,
    chat: ChatRecord,
  ): Promise<{ chat: ChatSummary; lines: ChatLineView[] }> {
    return { chat: await this.views.summary(chat), lines: await this.history(agent, chat.chatUid, 0) };
  }

  /**
   * Declines an offer from routing: it moves on to the next agent at once (no code is stored), and
   * the agent is not offered this chat again while someone else can take it.
   */
  async decline(agent: OperatorRecord, chatUid: string): Promise<void> {
    const chat = await this.lookup.requireOpen(chatUid);
    if (chat.operatorId !== null) throw new MessagingException('ALREADY_TAKEN');
    await this.chatRouting.recordDecline(chat.id, agent.id);
    await this.publisher.offerDeclined(chatUid, agent.username);
  }

  async send(
    agent: OperatorRecord,
    chatUid: string,
    text: string,
    clientMessageId: string,
  ): Promise<ChatLineView> {
    const chat = await this.lookup.requireFacts(chatUid);
    return this.lines.write(
      chat,
      { kind: 'operator', name: agent.displayName, operatorId: agent.id },
      text,
      clientMessageId,
    );
  }

  async typing(agent: OperatorRecord, chatUid: string, typing: boolean): Promise<void> {
    await this.requireMine(agent, chatUid);
    await this.typingNotices.typing(chatUid, 'operator', typing);
  }

  /** OC: the agent ended the chat (Exit & Close); SX when the console's soft close was used. */
  async close(agent: OperatorRecord, chatUid: string, soft = false): Promise<void> {
    const chat = await this.requireMine(agent, chatUid);
    await this.end(agent, chat, soft ? 'SX' : 'OC');
  }

  /**
   * BX: the agent blocks the chat's visitor on this site (their visitor id and, when known, their
   * address) and the chat ends. A blocked visitor's next `chat:start` is refused with BLOCKED.
   */
  async block(
    agent: OperatorRecord,
    chatUid: string,
    options: { readonly reason?: string; readonly hours?: number },
  ): Promise<void> {
    const chat = await this.requireMine(agent, chatUid);
    const now = new Date();
    await this.blockedVisitors.block(
      {
        siteId: chat.siteId,
        visitorKey: chat.visitorKey,
        ip: chat.visitorIp,
        reason: options.reason ?? null,
        blockedBy: agent.username,
        expiresAt: options.hours === undefined ? null : new Date(now.getTime() + options.hours * 3_600_000),
      },
      now,
    );
    await this.end(agent, chat, 'BX');
  }

  /**
   * Lifts the blocks that keep this chat's visitor (their visitor id or address) off its site, e.g. a
   * block made by mistake; a supervisor or an administrator may (FORBIDDEN for an agent). The number of blocks lifted.
   */
  async unblock(agent: OperatorRecord, chatUid: string): Promise<number> {
    if (!hasRole(agent.role, 'supervisor'))
      throw new MessagingException(
        'FORBIDDEN',
        'Lifting a block needs the supervisor or administrator role.',
      );
    const chat = await this.lookup.require(chatUid);
    const lifted = await this.blockedVisitors.liftFor({
      siteId: chat.siteId,
      visitorKey: chat.visitorKey,
      ip: chat.visitorIp ?? undefined,
    });
    for (const block of lifted)
      this.logger.log(
        `${agent.username} lifted block ${block.id} (visitor ${block.visitorKey ?? '-'}, address ${block.ip ?? '-'}) from chat ${chatUid}`,
      );
    return lifted.length;
  }

  private async end(agent: OperatorRecord, chat: ChatRecord, code: 'OC' | 'SX' | 'BX'): Promise<void> {
    const ending: ChatEnding =
      code === 'BX'
        ? { by: 'block-visitor' }
        : { by: code === 'SX' ? 'soft-close' : 'operator-close', username: agent.username };
    const { text } = chatEndingEvent(ending);
    const event = { code, text, operatorId: agent.id };
    if (!(await this.chats.close(chat.id, code, new Date(), 'closed', [event]))) return;
    await this.publisher.state({
      chatUid: chat.chatUid,
      state: 'closed',
      agentUsername: null,
      agentName: null,
      previousAgentUsername: agent.username,
      code,
      text,
    });
  }

  /** OL: the agent left; the chat goes back to the waiting list for another agent. */
  async leave(agent: OperatorRecord, chatUid: string): Promise<void> {
    const chat = await this.requireMine(agent, chatUid);
    const { text } = chatEndingEvent({ by: 'operator-leave', username: agent.username });
    if (
      !(await this.chats.unassign(chat.id, agent.id, new Date(), [
        { code: 'OL', text, operatorId: agent.id },
      ]))
    )
      return;
    const waiting = await this.lookup.require(chatUid);
    await this.publisher.state({
      chatUid,
      state: waiting.state,
      agentUsername: null,
      agentName: null,
      previousAgentUsername: agent.username,
      code: 'OL',
      text,
    });
    await this.publisher.queueAdded(await this.views.summary(waiting));
  }

  /** Lines of a chat this agent holds or may pick up (a waiting chat can be previewed). */
  async history(
    agent: OperatorRecord,
    chatUid: string,
    afterSequence: number,
    limit?: number,
  ): Promise<ChatLineView[]> {
    const chat = await this.lookup.require(chatUid);
    if (chat.operatorId !== null && chat.operatorId !== agent.id)
      throw new MessagingException('NOT_YOUR_CHAT');
    const lines = await this.chatLines.listSince(chat.id, afterSequence, limit);
    return lines.map((line) => toLineView(chatUid, line));
  }

  private async requireMine(agent: OperatorRecord, chatUid: string): Promise<ChatRecord> {
    const chat = await this.lookup.requireOpen(chatUid);
    if (chat.operatorId !== agent.id) throw new MessagingException('NOT_YOUR_CHAT');
    return chat;
  }

  private async reload(agent: OperatorRecord): Promise<OperatorRecord> {
    const current = await this.operators.findById(agent.id);
    if (!current) throw new MessagingException('UNAUTHENTICATED', 'Your account was removed: log in again.');
    return current;
  }

  /** Stores an event that moved nothing (OPF); its text is what the clients are told. */
  private async record(chat: ChatRecord, event: RoutingEvent, agent: OperatorRecord): Promise<string> {
    await this.chatEvents.append(chat.id, { ...event, operatorId: agent.id });
    return event.text;
  }
}
