import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { IdentityException, SessionService, type IssuedSession, type SignedIn } from '@switchboard/identity';
import type { OperatorRecord } from '@switchboard/persistence';
import { AGENT_NAMESPACE, AGENT_REQUESTS } from '@switchboard/protocol';
import { AgentChatService } from './agent-chat.service';
import { AgentPresenceTracker } from './agent-presence.service';
import { AgentTransferService } from './agent-transfer.service';
import { toAgentView } from '@switchboard/chat';
import { ChatDelivery } from './chat-delivery.service';
import { MessagingException } from './messaging.exception';
import { MessengerReloads } from './reload-handlers.service';
import { Metrics } from '@switchboard/platform';
import { SessionRevocations } from './session-revocations';
import { ClientAddresses } from './client-address';
import { SocketLimits } from './socket-limits';
import { SOCKET_SERVER_OPTIONS, countConnection } from './socket-options';
import { serveRequests } from './socket-request';
import type { AgentNamespace, AgentRequestHandlers, AgentSocket } from './socket-types';

/**
 * The agent namespace: log in (or refresh, or connect with `auth: { token }`), then work the waiting
 * list and chats; log out ends the session on every node.
 */
@WebSocketGateway({ ...SOCKET_SERVER_OPTIONS, namespace: AGENT_NAMESPACE })
export class AgentGateway implements OnGatewayInit<AgentNamespace>, OnGatewayConnection<AgentSocket> {
  private readonly requests: AgentRequestHandlers = {
    'agent:login': async (socket, request) =>
      this.started(socket, await this.sessions.login(request, this.originOf(socket)), true),
    'agent:refresh': async (socket, { refreshToken }) =>
      this.started(socket, await this.sessions.refresh(refreshToken, this.originOf(socket)), false),
    'agent:logout': async (socket) => {
      const agent = await signedIn(socket);
      const sessionKey = socket.data.sessionKey;
      // The connection stays, signed out, for the next log-in; the revocation closes the session's others.
      socket.data.agent = undefined;
      socket.data.sessionKey = undefined;
      this.delivery.leaveAll(socket);
      await socket.leave(`agent:${agent.username}`);
      // Offline at once (reason logout), wherever else the agent is still connected.
      await this.agents.loggedOut(agent);
      this.presence.left(agent);
      if (sessionKey !== undefined)
        await this.sessions.logout({ operator: agent, sessionKey }, this.originOf(socket));
      return {};
    },
    'agent:status': async (socket, { status }) => {
      const agent = await this.agents.setStatus(await signedIn(socket), status);
      await this.delivery.followWaitingList(socket, agent.status === 1);
      return { agent };
    },
    /** The console reports the agent's input (the idle rule counts it): nothing else happens. */
    'agent:activity': async (socket) => {
      await signedIn(socket);
      return {};
    },
    'queue:list': async (socket) => {
      await signedIn(socket);
      return { chats: await this.agents.waitingChats() };
    },
    'chats:mine': async (socket) => ({ chats: await this.agents.myChats(await signedIn(socket)) }),
    'chat:pickup': (socket, { chatUid }) => this.take(socket, chatUid),
    /** An offer accepted: the same database decision as a pickup (OP, or ALREADY_TAKEN with OPF). */
    'chat:accept': (socket, { chatUid }) => this.take(socket, chatUid),
    'chat:decline': async (socket, { chatUid }) => {
      await this.agents.decline(await signedIn(socket), chatUid);
      return {};
    },
    'chat:transfer': async (socket, { chatUid, target }) =>
      this.transfers.transfer(await signedIn(socket), chatUid, target),
    'chat:acquire': async (socket, { chatUid }) => {
      const acquired = await this.transfers.acquire(await signedIn(socket), chatUid);
      await this.delivery.join(socket, chatUid, acquired.chat.lastSequence);
      return acquired;
    },
    'chat:send': async (socket, { chatUid, text, clientMessageId }) => {
      const agent = await signedIn(socket);
      await this.limits.consume('send', socket.id);
      return { line: await this.agents.send(agent, chatUid, text, clientMessageId) };
    },
    'chat:typing': async (socket, { chatUid, typing }) => {
      const agent = await signedIn(socket);
      await this.limits.consume('typing', socket.id);
      await this.agents.typing(agent, chatUid, typing);
      return {};
    },
    'chat:close': async (socket, { chatUid, soft }) => {
      await this.agents.close(await signedIn(socket), chatUid, soft);
      return {};
    },
    'chat:block': async (socket, { chatUid, reason, hours }) => {
      await this.agents.block(await signedIn(socket), chatUid, { reason, hours });
      return {};
    },
    'chat:unblock': async (socket, { chatUid }) => ({
      lifted: await this.agents.unblock(await signedIn(socket), chatUid),
    }),
    'chat:leave': async (socket, { chatUid }) => {
      await this.agents.leave(await signedIn(socket), chatUid);
      return {};
    },
    'chat:history': async (socket, { chatUid, afterSequence, limit }) => ({
      lines: await this.agents.history(await signedIn(socket), chatUid, afterSequence, limit),
    }),
  };

  constructor(
    private readonly agents: AgentChatService,
    private readonly transfers: AgentTransferService,
    private readonly delivery: ChatDelivery,
    private readonly metrics: Metrics,
    private readonly reloads: MessengerReloads,
    private readonly sessions: SessionService,
    private readonly revocations: SessionRevocations,
    private readonly addresses: ClientAddresses,
    private readonly limits: SocketLimits,
    private readonly presence: AgentPresenceTracker,
  ) {}

  afterInit(namespace: AgentNamespace): void {
    this.delivery.attachAgents(namespace);
    this.reloads.attach(namespace);
    this.revocations.attach(namespace);
    this.presence.attach(namespace);
  }

  async handleConnection(socket: AgentSocket): Promise<void> {
    countConnection(this.metrics, 'agent', socket);
    serveRequests(socket, AGENT_REQUESTS, this.requests);
    socket.onAny((event: string) => this.presence.request(socket, event));
    socket.on('disconnecting', () => this.delivery.leaveAll(socket));
    // Once the socket has left its rooms: the agent's last connection here stamps them gone.
    socket.on('disconnect', () => {
      const agent = socket.data.agent;
      if (agent) this.presence.left(agent);
    });
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string') return;
    const authenticating = this.authenticate(socket, token);
    socket.data.authenticating = authenticating;
    await authenticating;
  }

  private async authenticate(socket: AgentSocket, token: string): Promise<void> {
    try {
      const session = await this.sessions.authenticate(token);
      await this.signIn(socket, session, false);
      socket.emit('agent:ready', toAgentView(session.operator));
    } catch (error) {
      const refusal =
        error instanceof IdentityException
          ? { code: error.code, message: error.message }
          : new MessagingException('UNAUTHENTICATED').toSocketError();
      socket.emit('request:error', refusal);
    }
  }

  /** Pickup or accept: the database gives the chat to one agent; the connection then follows it. */
  private async take(socket: AgentSocket, chatUid: string) {
    const picked = await this.agents.pickup(await signedIn(socket), chatUid);
    await this.delivery.join(socket, chatUid, picked.chat.lastSequence);
    return picked;
  }

  private originOf(socket: AgentSocket) {
    return { remoteAddress: this.addresses.of(socket) ?? 'unknown' };
  }

  /** A log-in or refresh: the connection signs in with the session, the client gets its tokens. */
  private async started(socket: AgentSocket, session: IssuedSession, byLogin: boolean) {
    await this.signIn(socket, session, byLogin);
    const { token, refreshToken, expiresAt, operator } = session;
    return { token, refreshToken, expiresAt, agent: toAgentView(operator) };
  }

  /** Joins the agent's rooms: their own notices, the waiting list when in Chat status, each chat they hold. */
  private async signIn(
    socket: AgentSocket,
    { operator: agent, sessionKey }: SignedIn,
    byLogin: boolean,
  ): Promise<void> {
    socket.data.agent = agent;
    socket.data.sessionKey = sessionKey;
    await socket.join(`agent:${agent.username}`);
    await this.presence.signedIn(agent, byLogin);
    await this.delivery.followWaitingList(socket, agent.status === 1);
    for (const chat of await this.agents.myChats(agent))
      await this.delivery.join(socket, chat.chatUid, chat.lastSequence);
  }
}

/** The signed-in agent, once a token check still running for this connection has finished. */
async function signedIn(socket: AgentSocket): Promise<OperatorRecord> {
  await socket.data.authenticating;
  if (!socket.data.agent) throw new MessagingException('UNAUTHENTICATED');
  return socket.data.agent;
}
