import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import type { OperatorRecord } from '@switchboard/persistence';
import { AGENT_NAMESPACE, AGENT_REQUESTS as REQUESTS } from '@switchboard/protocol';
import type { Namespace, Socket } from 'socket.io';
import { AgentChatService } from './agent-chat.service';
import { AgentTransferService } from './agent-transfer.service';
import { toAgentView } from './chat-views.mapper';
import { ChatDelivery } from './chat-delivery.service';
import { MessagingException } from './messaging.exception';
import { Metrics } from '@switchboard/platform';
import { SOCKET_SERVER_OPTIONS, countConnection, refuseUnknownEvents } from './socket-options';
import { answer } from './socket-request';

interface AgentData {
  agent?: OperatorRecord;
  /** The token check started at connection: requests sent meanwhile wait for it. */
  authenticating?: Promise<void>;
}

/** The agent namespace: log in (or connect with `auth: { token }`), then work the waiting list and chats. */
@WebSocketGateway({ ...SOCKET_SERVER_OPTIONS, namespace: AGENT_NAMESPACE })
export class AgentGateway implements OnGatewayInit, OnGatewayConnection {
  constructor(
    private readonly agents: AgentChatService,
    private readonly transfers: AgentTransferService,
    private readonly delivery: ChatDelivery,
    private readonly metrics: Metrics,
  ) {}

  afterInit(namespace: Namespace): void {
    this.delivery.attach('agent', namespace);
  }

  async handleConnection(socket: Socket): Promise<void> {
    countConnection(this.metrics, 'agent', socket);
    refuseUnknownEvents(socket, REQUESTS);
    socket.on('disconnecting', () => this.delivery.leaveAll(socket));
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    if (typeof token !== 'string') return;
    const authenticating = this.authenticate(socket, token);
    (socket.data as AgentData).authenticating = authenticating;
    await authenticating;
  }

  private async authenticate(socket: Socket, token: string): Promise<void> {
    try {
      const agent = await this.agents.authenticate(token);
      await this.signIn(socket, agent);
      socket.emit('agent:ready', toAgentView(agent));
    } catch (error) {
      const refusal = error instanceof MessagingException ? error : new MessagingException('UNAUTHENTICATED');
      socket.emit('request:error', refusal.toSocketError());
    }
  }

  @SubscribeMessage('agent:login')
  login(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('agent:login', REQUESTS['agent:login'], payload, async ({ username, password }) => {
      const { token, agent } = await this.agents.login(username, password);
      await this.signIn(socket, agent);
      return { token, agent: toAgentView(agent) };
    });
  }

  @SubscribeMessage('agent:status')
  status(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('agent:status', REQUESTS['agent:status'], payload, async ({ status }) => {
      const agent = await this.agents.setStatus(await signedIn(socket), status);
      await this.delivery.followWaitingList(socket, agent.status === 1);
      return { agent };
    });
  }

  @SubscribeMessage('queue:list')
  queue(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('queue:list', REQUESTS['queue:list'], payload, async () => {
      await signedIn(socket);
      return { chats: await this.agents.waitingChats() };
    });
  }

  @SubscribeMessage('chats:mine')
  mine(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chats:mine', REQUESTS['chats:mine'], payload, async () => ({
      chats: await this.agents.myChats(await signedIn(socket)),
    }));
  }

  @SubscribeMessage('chat:pickup')
  pickup(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:pickup', REQUESTS['chat:pickup'], payload, ({ chatUid }) =>
      this.take(socket, chatUid),
    );
  }

  /** An offer accepted: the same database decision as a pickup (OP, or ALREADY_TAKEN with OPF). */
  @SubscribeMessage('chat:accept')
  accept(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:accept', REQUESTS['chat:accept'], payload, ({ chatUid }) =>
      this.take(socket, chatUid),
    );
  }

  @SubscribeMessage('chat:decline')
  decline(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:decline', REQUESTS['chat:decline'], payload, async ({ chatUid }) => {
      await this.agents.decline(await signedIn(socket), chatUid);
      return {};
    });
  }

  @SubscribeMessage('chat:transfer')
  transfer(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:transfer', REQUESTS['chat:transfer'], payload, async ({ chatUid, target }) =>
      this.transfers.transfer(await signedIn(socket), chatUid, target),
    );
  }

  @SubscribeMessage('chat:acquire')
  acquire(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:acquire', REQUESTS['chat:acquire'], payload, async ({ chatUid }) => {
      const acquired = await this.transfers.acquire(await signedIn(socket), chatUid);
      await this.delivery.join(socket, chatUid, acquired.chat.lastSequence);
      return acquired;
    });
  }

  @SubscribeMessage('chat:send')
  send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer(
      'chat:send',
      REQUESTS['chat:send'],
      payload,
      async ({ chatUid, text, clientMessageId }) => ({
        line: await this.agents.send(await signedIn(socket), chatUid, text, clientMessageId),
      }),
    );
  }

  @SubscribeMessage('chat:typing')
  typing(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:typing', REQUESTS['chat:typing'], payload, async ({ chatUid, typing }) => {
      await this.agents.typing(await signedIn(socket), chatUid, typing);
      return {};
    });
  }

  @SubscribeMessage('chat:close')
  close(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:close', REQUESTS['chat:close'], payload, async ({ chatUid, soft }) => {
      await this.agents.close(await signedIn(socket), chatUid, soft);
      return {};
    });
  }

  @SubscribeMessage('chat:block')
  block(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:block', REQUESTS['chat:block'], payload, async ({ chatUid, reason, hours }) => {
      await this.agents.block(await signedIn(socket), chatUid, { reason, hours });
      return {};
    });
  }

  @SubscribeMessage('chat:leave')
  leave(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:leave', REQUESTS['chat:leave'], payload, async ({ chatUid }) => {
      await this.agents.leave(await signedIn(socket), chatUid);
      return {};
    });
  }

  @SubscribeMessage('chat:history')
  history(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer(
      'chat:history',
      REQUESTS['chat:history'],
      payload,
      async ({ chatUid, afterSequence, limit }) => ({
        lines: await this.agents.history(await signedIn(socket), chatUid, afterSequence, limit),
      }),
    );
  }

  /** Pickup or accept: the database gives the chat to one agent; the connection then follows it. */
  private async take(socket: Socket, chatUid: string) {
    const picked = await this.agents.pickup(await signedIn(socket), chatUid);
    await this.delivery.join(socket, chatUid, picked.chat.lastSequence);
    return picked;
  }

  /** Joins the agent's rooms: their own notices, the waiting list when in Chat status, each chat they hold. */
  private async signIn(socket: Socket, agent: OperatorRecord): Promise<void> {
    (socket.data as AgentData).agent = agent;
    await socket.join(`agent:${agent.username}`);
    await this.delivery.followWaitingList(socket, agent.status === 1);
    for (const chat of await this.agents.myChats(agent))
      await this.delivery.join(socket, chat.chatUid, chat.lastSequence);
  }
}

/** The signed-in agent, once a token check still running for this connection has finished. */
async function signedIn(socket: Socket): Promise<OperatorRecord> {
  const data = socket.data as AgentData;
  await data.authenticating;
  if (!data.agent) throw new MessagingException('UNAUTHENTICATED');
  return data.agent;
}
