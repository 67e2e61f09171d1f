import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  type OnGatewayConnection,
  type OnGatewayInit,
} from '@nestjs/websockets';
import { Logger, type OnModuleDestroy } from '@nestjs/common';
import { VISITOR_NAMESPACE, VISITOR_REQUESTS as REQUESTS } from '@switchboard/protocol';
import type { Namespace, Socket } from 'socket.io';
import { ChatDelivery } from './chat-delivery.service';
import { MessagingException } from './messaging.exception';
import { Metrics } from '@switchboard/platform';
import { SOCKET_SERVER_OPTIONS, countConnection, clientAddress, refuseUnknownEvents } from './socket-options';
import { answer } from './socket-request';
import { VisitorChatService } from './visitor-chat.service';

interface VisitorData {
  /** The chats this connection started or rejoined with their token: the only ones it may touch. */
  chats: Set<string>;
}

// note: well under the smallest ACD.Chat.Visitor.ClientTimeout.Seconds (5): a visitor connected to
// any node is stamped seen more often than the shortest timeout, at one UPDATE per node per beat.
export const VISITOR_HEARTBEAT_MS = 2000;

/** The visitor namespace: thin handlers that validate, call one use case and answer. */
@WebSocketGateway({ ...SOCKET_SERVER_OPTIONS, namespace: VISITOR_NAMESPACE })
export class VisitorGateway implements OnGatewayInit, OnGatewayConnection, OnModuleDestroy {
  private readonly logger = new Logger('VisitorGateway');
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(
    private readonly chats: VisitorChatService,
    private readonly delivery: ChatDelivery,
    private readonly metrics: Metrics,
  ) {}

  afterInit(namespace: Namespace): void {
    this.delivery.attach('visitor', namespace);
    this.heartbeat = setInterval(() => this.stampConnected(namespace), VISITOR_HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.heartbeat);
  }

  handleConnection(socket: Socket): void {
    countConnection(this.metrics, 'visitor', socket);
    (socket.data as VisitorData).chats = new Set();
    refuseUnknownEvents(socket, REQUESTS);
    socket.on('disconnecting', () => {
      this.delivery.leaveAll(socket);
      this.markGone(socket);
    });
  }

  @SubscribeMessage('chat:start')
  start(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:start', REQUESTS['chat:start'], payload, async (request) => {
      const started = await this.chats.start(request, { ip: clientAddress(socket) });
      await this.follow(socket, started.chat.chatUid, started.chat.lastSequence);
      return started;
    });
  }

  @SubscribeMessage('chat:rejoin')
  rejoin(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer(
      'chat:rejoin',
      REQUESTS['chat:rejoin'],
      payload,
      async ({ chatUid, token, afterSequence }) => {
        const rejoined = await this.chats.rejoin(chatUid, token, afterSequence);
        await this.follow(socket, chatUid, rejoined.chat.lastSequence);
        return rejoined;
      },
    );
  }

  @SubscribeMessage('chat:send')
  send(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:send', REQUESTS['chat:send'], payload, async ({ chatUid, text, clientMessageId }) => {
      ownChat(socket, chatUid);
      return { line: await this.chats.send(chatUid, text, clientMessageId) };
    });
  }

  @SubscribeMessage('chat:typing')
  typing(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:typing', REQUESTS['chat:typing'], payload, async ({ chatUid, typing }) => {
      ownChat(socket, chatUid);
      await this.chats.typing(chatUid, typing);
      return {};
    });
  }

  @SubscribeMessage('chat:close')
  close(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer('chat:close', REQUESTS['chat:close'], payload, async ({ chatUid }) => {
      ownChat(socket, chatUid);
      await this.chats.close(chatUid);
      return {};
    });
  }

  @SubscribeMessage('chat:history')
  history(@ConnectedSocket() socket: Socket, @MessageBody() payload: unknown) {
    return answer(
      'chat:history',
      REQUESTS['chat:history'],
      payload,
      async ({ chatUid, afterSequence, limit }) => {
        ownChat(socket, chatUid);
        return { lines: await this.chats.history(chatUid, afterSequence, limit) };
      },
    );
  }

  private async follow(socket: Socket, chatUid: string, lastSequence: number): Promise<void> {
    (socket.data as VisitorData).chats.add(chatUid);
    await this.delivery.join(socket, chatUid, lastSequence);
    await this.chats.presence(chatUid, true);
  }

  /** Presence is cluster-wide: every node stamps the chats whose visitor is connected to it. */
  private stampConnected(namespace: Namespace): void {
    const chatUids = new Set<string>();
    for (const socket of namespace.sockets.values())
      for (const chatUid of (socket.data as VisitorData).chats ?? []) chatUids.add(chatUid);
    this.chats
      .seen([...chatUids])
      .catch((error: unknown) => this.logger.warn(`visitor presence not stamped: ${String(error)}`));
  }

  /** Once the socket has left its rooms: a chat with no visitor connection left here counts as gone (VT). */
  private markGone(socket: Socket): void {
    const chats = [...(socket.data as VisitorData).chats];
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

function ownChat(socket: Socket, chatUid: string): void {
  if (!(socket.data as VisitorData).chats.has(chatUid)) {
    throw new MessagingException('UNKNOWN_CHAT', 'This connection has not started or rejoined that chat.');
  }
}
