import { WebSocketGateway, type OnGatewayConnection, type OnGatewayInit } from '@nestjs/websockets';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { VISITOR_NAMESPACE, VISITOR_REQUESTS } from '@switchboard/protocol';
import { ChatDelivery } from './chat-delivery.service';
import { MessagingException } from './messaging.exception';
import { Metrics } from '@switchboard/platform';
import { ClientAddresses } from './client-address';
import { SocketLimits } from './socket-limits';
import { SOCKET_SERVER_OPTIONS, countConnection } from './socket-options';
import { serveRequests, thenAfterAnswer } from './socket-request';
import type { VisitorNamespace, VisitorRequestHandlers, VisitorSocket } from './socket-types';
import { VisitorChatService } from './visitor-chat.service';

// note: well under the smallest ACD.Chat.Visitor.ClientTimeout.Seconds (5): a visitor connected to
// any node is stamped seen more often than the shortest timeout, at one UPDATE per node per beat.
export const VISITOR_HEARTBEAT_MS = 2000;

/** The visitor namespace: thin handlers that validate, call one use case and answer. */
@WebSocketGateway({ ...SOCKET_SERVER_OPTIONS, namespace: VISITOR_NAMESPACE })
export class VisitorGateway
  implements OnGatewayInit<VisitorNamespace>, OnGatewayConnection<VisitorSocket>, OnModuleDestroy
{
  private readonly logger = new Logger('VisitorGateway');
  private heartbeat: NodeJS.Timeout | undefined;

  private readonly requests: VisitorRequestHandlers = {
    'chat:start': async (socket, request) => {
      const ip = this.addresses.of(socket);
      await this.limits.consume('start', ip ?? 'unknown address');
      const started = await this.chats.start(request, { ip });
      const { chat } = started;
      socket.data.chats.add(chat.chatUid);
      // The chat's pushes (its state, queue place, lines) reach the visitor after this answer.
      return thenAfterAnswer(started, async () => {
        await this.delivery.joinAnswered(socket, chat);
        await this.chats.presence(chat.chatUid, true);
      });
    },
    'chat:rejoin': async (socket, { chatUid, token, afterSequence }) => {
      const rejoined = await this.chats.rejoin(chatUid, token, afterSequence);
      await this.follow(socket, chatUid, rejoined.chat.lastSequence);
      return rejoined;
    },
    'chat:send': async (socket, { chatUid, text, clientMessageId }) => {
      ownChat(socket, chatUid);
      await this.limits.consume('send', socket.id);
      return { line: await this.chats.send(chatUid, text, clientMessageId) };
    },
    'chat:typing': async (socket, { chatUid, typing }) => {
      ownChat(socket, chatUid);
      await this.limits.consume('typing', socket.id);
      await this.chats.typing(chatUid, typing);
      return {};
    },
    'chat:close': async (socket, { chatUid }) => {
      ownChat(socket, chatUid);
      await this.chats.close(chatUid);
      return {};
    },
    'chat:history': async (socket, { chatUid, afterSequence, limit }) => {
      ownChat(socket, chatUid);
      return { lines: await this.chats.history(chatUid, afterSequence, limit) };
    },
  };

  constructor(
    private readonly chats: VisitorChatService,
    private readonly delivery: ChatDelivery,
    private readonly metrics: Metrics,
    private readonly addresses: ClientAddresses,
    private readonly limits: SocketLimits,
  ) {}

  afterInit(namespace: VisitorNamespace): void {
    this.delivery.attachVisitors(namespace);
    this.heartbeat = setInterval(() => this.stampConnected(namespace), VISITOR_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  handleConnection(socket: VisitorSocket): void {
    countConnection(this.metrics, 'visitor', socket);
    socket.data.chats = new Set();
    serveRequests(socket, VISITOR_REQUESTS, this.requests);
    socket.on('disconnecting', () => {
      this.delivery.leaveAll(socket);
      this.markGone(socket);
    });
  }

  private async follow(socket: VisitorSocket, chatUid: string, lastSequence: number): Promise<void> {
    socket.data.chats.add(chatUid);
    await this.delivery.join(socket, chatUid, lastSequence);
    await this.chats.presence(chatUid, true);
  }

  /** Presence is cluster-wide: every node stamps the chats whose visitor is connected to it. */
  private stampConnected(namespace: VisitorNamespace): void {
    const chatUids = new Set<string>();
    for (const socket of namespace.sockets.values())
      for (const chatUid of socket.data.chats) chatUids.add(chatUid);
    this.chats
      .seen([...chatUids])
      .catch((error: unknown) => this.logger.warn(`visitor presence not stamped: ${String(error)}`));
  }

  /** Once the socket has left its rooms: a chat with no visitor connection left here counts as gone (VT). */
  private markGone(socket: VisitorSocket): void {
    const chats = [...socket.data.chats];
    setImmediate(() => {
      for (const chatUid of chats)
        if (this.delivery.visitorConnections(chatUid) === 0)
          this.chats
            .presence(chatUid, false)
            .catch((error: unknown) =>
              this.logger.warn(`presence of ${chatUid} not recorded: ${String(error)}`),
            );
    });
  }
}

function ownChat(socket: VisitorSocket, chatUid: string): void {
  if (!socket.data.chats.has(chatUid)) {
    throw new MessagingException('UNKNOWN_CHAT', 'This connection has not started or rejoined that chat.');
  }
}
