import { ChatEvents, ChatViews, toLineView } from '@switchboard/chat';
import { Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  type ChatRecord,
  type NewChatEvent,
  type OperatorRecord,
  SiteRepository,
  WorkPeriodRepository,
  SkillRepository,
  OperatorRepository,
  ChatRepository,
  ChatLineRepository,
  ChatEventRepository,
  ChatRoutingRepository,
} from '@switchboard/persistence';
import type { ChatLineView, ChatSummary, TransferTarget } from '@switchboard/protocol';
import {
  acquireChat,
  AgentStatus,
  isWithinOpeningHours,
  transferToAgent,
  transferToSite,
  transferToSkill,
  type RoutingEvent,
  type RoutingSettings,
  type TransferDecision,
  defaultRoutingSettings,
} from '@switchboard/routing-domain';
import { toSnapshot } from './agent-snapshot';
import { ChatLookup } from './chat-lookup.service';
import { MessagingException } from './messaging.exception';

const refusalText: Readonly<Record<string, string>> = {
  'same-agent': 'You already hold this chat.',
  'status-not-online': 'The agent is not in Chat status.',
  'max-chats-zero': 'The agent takes no chats (max chats is 0).',
  'at-capacity': 'The agent is at their max concurrent chats.',
  'operator-at-capacity': 'The agent is at their max concurrent chats.',
  'no-agent-with-skill': 'No other agent with this skill can take a chat now.',
  'site-not-taking-chats': 'The site is closed or nobody is online there.',
  'visitor-busy': 'The visitor already has an open chat on that site.',
};

/**
 * Transfers (to an agent, a skill or another site: TFER, TAC, TRSS, or TFEF/TRSF) and acquiring
 * another agent's chat (ACQ). The domain decides whether the target qualifies; the database moves
 * the chat and one unit of capacity in one transaction and has the last word.
 */
@Injectable()
export class AgentTransferService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly workPeriods: WorkPeriodRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatEvents: ChatEventRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly lookup: ChatLookup,
    private readonly views: ChatViews,
    private readonly publisher: ChatEvents,
    private readonly parameters: ParameterService,
  ) {}

  async transfer(
    agent: OperatorRecord,
    chatUid: string,
    target: TransferTarget,
  ): Promise<{ chat: ChatSummary }> {
    const chat = await this.lookup.requireOpen(chatUid);
    if (chat.operatorId !== agent.id) throw new MessagingException('NOT_YOUR_CHAT');
    if (target.kind === 'site') return this.transferToSite(agent, chat, target.siteKey);
    const { operators, skills } = this;
    let decision: TransferDecision;
    if (target.kind === 'agent') {
      const to = await operators.findByUsername(target.username);
      if (!to) throw new MessagingException('UNKNOWN_AGENT', `No agent is named "${target.username}".`);
      decision = transferToAgent(agent.id, toSnapshot(to), this.settings());
    } else {
      if (!(await skills.findByName(target.skill)))
        throw new MessagingException('UNKNOWN_SKILL', `No skill is named "${target.skill}".`);
      const online = await operators.list({ status: AgentStatus.online });
      decision = transferToSkill(agent.id, target.skill, online.map(toSnapshot), this.settings());
    }
    if (!decision.transferred) return this.refuse(chat, decision.events, decision.reason);
    if (decision.agentId === null) return this.refuse(chat, [], 'no-agent-with-skill');
    const moved = await this.chats.transfer(
      chat.id,
      agent.id,
      decision.agentId,
      new Date(),
      withOperator(decision.events, decision.agentId),
    );
    if (!moved.transferred) return this.refuse(chat, [], moved.reason);
    const to = await operators.findById(decision.agentId);
    const text = decision.events[0]?.text ?? '';
    await this.publishState(moved.chat, to, agent, 'TFER', text);
    return { chat: await this.views.summary(moved.chat) };
  }

  /** ACQ: takes over another agent's active chat; needs a free slot. */
  async acquire(
    agent: OperatorRecord,
    chatUid: string,
  ): Promise<{ chat: ChatSummary; lines: ChatLineView[] }> {
    const chat = await this.lookup.requireOpen(chatUid);
    const current = await this.operators.findById(agent.id);
    const decision = acquireChat(
      { state: chat.state, agentId: chat.operatorId },
      toSnapshot(current ?? agent),
    );
    if (!decision.acquired) {
      const message =
        decision.reason === 'not-active'
          ? 'Only a chat an agent holds can be acquired; pick up a waiting chat instead.'
          : (refusalText[decision.reason === 'own-chat' ? 'same-agent' : decision.reason] ?? decision.reason);
      throw new MessagingException('NOT_ELIGIBLE', message);
    }
    const holder = chat.operatorId === null ? null : await this.operators.findById(chat.operatorId);
    const moved = await this.chats.transfer(
      chat.id,
      chat.operatorId!,
      agent.id,
      new Date(),
      withOperator(decision.events, agent.id),
    );
    if (!moved.transferred) {
      if (moved.reason === 'operator-at-capacity')
        throw new MessagingException('NOT_ELIGIBLE', refusalText['at-capacity']);
      throw new MessagingException(
        'NOT_YOUR_CHAT',
        'The chat changed hands meanwhile; refresh and try again.',
      );
    }
    const text = decision.events[0]?.text ?? '';
    await this.publishState(moved.chat, agent, holder, 'ACQ', text);
    const lines = await this.chatLines.listSince(chat.id, 0);
    return {
      chat: await this.views.summary(moved.chat),
      lines: lines.map((line) => toLineView(chatUid, line)),
    };
  }

  private async transferToSite(
    agent: OperatorRecord,
    chat: ChatRecord,
    siteKey: string,
  ): Promise<{ chat: ChatSummary }> {
    const { sites, workPeriods, operators, chatRouting } = this;
    const [from, to] = [await sites.findById(chat.siteId), await sites.findByKey(siteKey)];
    if (!to) throw new MessagingException('UNKNOWN_SITE', `No site has the site key "${siteKey}".`);
    const open = !to.paused && isWithinOpeningHours(to, await workPeriods.listForSite(to.id), new Date());
    const online = (await operators.list({ status: AgentStatus.online })).some(
      (operator) => operator.maxChats > 0,
    );
    const decision = transferToSite(
      from?.domain ?? String(chat.siteId),
      to.domain,
      open && online && to.id !== chat.siteId,
    );
    if (!decision.transferred) return this.refuse(chat, decision.events, decision.reason);
    const outcome = await chatRouting.moveToSite(
      chat.id,
      agent.id,
      to.id,
      new Date(),
      withOperator(decision.events, agent.id),
    );
    if (outcome !== 'moved') {
      const failed = transferToSite(from?.domain ?? String(chat.siteId), to.domain, false);
      return this.refuse(
        chat,
        failed.events,
        outcome === 'visitor-busy' ? outcome : 'chat-not-held-by-operator',
      );
    }
    const text = decision.events[0]?.text ?? '';
    const waiting = await this.lookup.require(chat.chatUid);
    await this.publishState(waiting, null, agent, 'TFER', text);
    await this.publisher.queueAdded(await this.views.summary(waiting));
    return { chat: await this.views.summary(waiting) };
  }

  private async refuse(chat: ChatRecord, events: readonly RoutingEvent[], reason: string): Promise<never> {
    const stored =
      events.length > 0 ? events : [{ code: 'TFEF' as const, text: 'Transfer failed could not be sent.' }];
    await this.record(chat, stored, null);
    throw new MessagingException(
      'TRANSFER_FAILED',
      refusalText[reason] ?? `The transfer was refused (${reason}).`,
    );
  }

  /** Stores the events of a refusal (nothing moved); the text of the first one is what the participants are shown. */
  private async record(
    chat: ChatRecord,
    events: readonly RoutingEvent[],
    operatorId: number | null,
  ): Promise<string> {
    for (const event of events) await this.chatEvents.append(chat.id, { ...event, operatorId });
    return events[0]?.text ?? '';
  }

  private async publishState(
    chat: ChatRecord,
    to: OperatorRecord | null,
    from: OperatorRecord | null,
    code: 'TFER' | 'ACQ',
    text: string,
  ): Promise<void> {
    await this.publisher.state({
      chatUid: chat.chatUid,
      state: chat.state,
      agentUsername: to?.username ?? null,
      agentName: to?.displayName ?? null,
      previousAgentUsername: from?.username ?? null,
      code,
      text,
    });
  }

  private settings(): RoutingSettings {
    const mode = this.parameters.get('ACD.Chat.Distribution.Mode') as RoutingSettings['distributionMode'];
    return { ...defaultRoutingSettings, distributionMode: mode };
  }
}

/** The events of a move, stored with the operator they concern. */
function withOperator(events: readonly RoutingEvent[], operatorId: number): NewChatEvent[] {
  return events.map((event) => ({ ...event, operatorId }));
}
