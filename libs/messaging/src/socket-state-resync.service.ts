import { Injectable } from '@nestjs/common';
import { ChatViews } from '@switchboard/chat';
import { ParameterService } from '@switchboard/config';
import {
  ChatRepository,
  ChatRoutingRepository,
  OperatorRepository,
  type ChatRecord,
  type OperatorRecord,
  type RoutableChat,
} from '@switchboard/persistence';
import type { AgentChatStateNotice, AgentServerEvents, ChatSummary } from '@switchboard/protocol';
import { toAgentView } from '@switchboard/chat';

/** Chats on the waiting list (not yet held by an agent). */
const WAITING_STATES = ['waiting', 'queued', 'offered'] as const;

/** What the resync needs of this node's sockets; `ChatDelivery` provides it. */
export interface LocalSockets {
  /** Chats some socket on this node follows. */
  followedChats(): string[];
  /** Agents with a socket on this node. */
  connectedAgents(): string[];
  /** Whether some agent socket here is on the waiting list. */
  hasWaitingList(): boolean;
  pushState(notice: AgentChatStateNotice): void;
  pushToAgent<TEvent extends keyof AgentServerEvents>(
    username: string,
    event: TEvent,
    ...payload: Parameters<AgentServerEvents[TEvent]>
  ): void;
  /** Tells the agents on the waiting list a chat joined it. */
  waitingAdded(chat: ChatSummary): void;
  /** Tells the agents on the waiting list a chat left it. */
  waitingRemoved(chatUid: string, reason: string): void;
  /** Puts the agent's sockets on (or off) the waiting list. */
  followWaitingList(username: string, follow: boolean): void;
  /** Moves the agent's sockets into the chat's room and follows its lines from the database. */
  followForAgent(username: string, chat: ChatRecord): Promise<void>;
  /** The waiting chats this node's agents were last told about (queue:added minus queue:removed). */
  readonly announcedWaiting: Set<string>;
}

/**
 * After the node missed stream events (it fell behind the ring, or the cluster was lost), tells every
 * socket on it what it would have heard: its chats' state, its agents' status, chats and pending
 * offers, and the waiting list's changes. Lines are the orderer's part.
 */
@Injectable()
export class SocketStateResync {
  constructor(
    private readonly chats: ChatRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly operators: OperatorRepository,
    private readonly views: ChatViews,
    private readonly parameters: ParameterService,
  ) {}

  async rebuild(sockets: LocalSockets): Promise<void> {
    const agents = sockets.connectedAgents();
    const routable = agents.length > 0 ? await this.chatRouting.routable() : [];
    for (const username of agents) {
      const agent = await this.operators.findByUsername(username);
      if (agent) await this.rebuildAgent(sockets, agent, routable);
    }
    for (const chatUid of sockets.followedChats()) {
      const chat = await this.chats.findByUid(chatUid);
      if (chat) sockets.pushState(await this.stateOf(chat));
    }
    if (sockets.hasWaitingList()) await this.rebuildWaitingList(sockets);
  }

  private async rebuildAgent(
    sockets: LocalSockets,
    agent: OperatorRecord,
    routable: readonly RoutableChat[],
  ): Promise<void> {
    sockets.pushToAgent(agent.username, 'agent:status', toAgentView(agent));
    sockets.followWaitingList(agent.username, agent.status === 1);
    for (const chat of await this.chats.list({ operatorId: agent.id, states: ['active'] }))
      await sockets.followForAgent(agent.username, chat);
    const acceptMs = this.parameters.get('ACD.Chat.AutoPickup.AcceptTimeout.Seconds') * 1000;
    for (const { id, routing } of routable) {
      const offeredAt = routing?.offeredAt;
      if (!offeredAt || !routing?.offeredTo.includes(agent.id)) continue;
      const expiresAt = offeredAt.getTime() + acceptMs;
      const chat = await this.chats.findById(id);
      if (!chat || expiresAt <= Date.now()) continue;
      sockets.pushToAgent(agent.username, 'chat:offer', {
        chat: await this.views.summary(chat),
        code: null,
        text: null,
        expiresAt: new Date(expiresAt).toISOString(),
      });
    }
  }

  private async stateOf(chat: ChatRecord): Promise<AgentChatStateNotice> {
    const { agentName, agentUsername } = await this.views.names(chat);
    return { chatUid: chat.chatUid, state: chat.state, agentName, agentUsername, code: null, text: null };
  }

  /** Sends only the difference from what the agents were told: added and removed chats. */
  private async rebuildWaitingList(sockets: LocalSockets): Promise<void> {
    const waiting = new Map<string, ChatSummary>();
    for (const chat of await this.chats.list({ states: [...WAITING_STATES] }))
      waiting.set(chat.chatUid, await this.views.summary(chat));
    for (const chatUid of [...sockets.announcedWaiting]) {
      if (waiting.has(chatUid)) continue;
      sockets.waitingRemoved(chatUid, 'no longer waiting');
      sockets.announcedWaiting.delete(chatUid);
    }
    for (const [chatUid, summary] of waiting) {
      if (sockets.announcedWaiting.has(chatUid)) continue;
      sockets.waitingAdded(summary);
      sockets.announcedWaiting.add(chatUid);
    }
  }
}
