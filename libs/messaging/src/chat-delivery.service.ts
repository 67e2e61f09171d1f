import { ChatLineRepository } from '@switchboard/persistence';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { ClusterEventBus } from '@switchboard/platform';
import type {
  AgentChatStateNotice,
  ChatLineView,
  ChatState,
  ChatStateNotice,
  ClusterEventOf,
  QueuePositionNotice,
} from '@switchboard/protocol';
import { AgentStatusPush } from './agent-status-push.service';
import { ChatLookup } from './chat-lookup.service';
import { toLineView } from '@switchboard/chat';
import { LineOrderer } from './line-orderer';
import { SocketStateResync, type LocalSockets } from './socket-state-resync.service';
import type { AgentNamespace, AgentSocket, VisitorNamespace, VisitorSocket } from './socket-types';

const chatRoom = (chatUid: string): string => `chat:${chatUid}`;
/** Agents in Chat status (1): the ones the waiting list is pushed to. */
const WAITING_LIST_ROOM = 'agents:available';
/** Chats whose latest visitor notices are remembered, for a connection that joins after they went out. */
const NOTICES_KEPT = 10_000;

/** The latest `chat:state` and `chat:queue` pushed to a chat's visitors. */
interface LatestNotices {
  state?: ChatStateNotice;
  queue?: QueuePositionNotice;
}

/**
 * Delivers the cluster stream to this node's sockets. Every node reads every event and emits it to
 * its own sockets in the chat's room (both namespaces), so a visitor on one node and an agent on
 * another talk as on one node. Lines go through a per-chat orderer: in sequence, once, gaps filled
 * from the database, and all followed chats re-read when the stream reader fell behind.
 */
@Injectable()
export class ChatDelivery implements OnModuleInit {
  private readonly logger = new Logger('ChatDelivery');
  private visitors: VisitorNamespace | undefined;
  private agents: AgentNamespace | undefined;
  private readonly orderer: LineOrderer<ChatLineView>;
  /** The waiting chats this node's agents were told about, so a resync sends only what changed. */
  private readonly announcedWaiting = new Set<string>();
  private readonly latest = new Map<string, LatestNotices>();

  constructor(
    private readonly chatLines: ChatLineRepository,
    private readonly bus: ClusterEventBus,
    private readonly lookup: ChatLookup,
    private readonly stateResync: SocketStateResync,
    private readonly statusPush: AgentStatusPush,
  ) {
    this.orderer = new LineOrderer<ChatLineView>({
      emit: (chatUid, line) => this.emitLine(chatUid, line),
      fetchAfter: async (chatUid, afterSequence) => {
        const chat = await this.lookup.require(chatUid);
        const lines = await this.chatLines.listSince(chat.id, afterSequence);
        return lines.map((line) => toLineView(chatUid, line));
      },
      onError: (chatUid, error) =>
        this.logger.warn(`could not read missed lines of ${chatUid}: ${String(error)}`),
    });
  }

  onModuleInit(): void {
    this.bus.on('chat.line', ({ line }) => this.orderer.accept(line.chatUid, line));
    // WhatsApp delivery states concern the agents only (the customer sees them in WhatsApp).
    this.bus.on('chat.delivery', ({ delivery }) => {
      this.agents?.to(chatRoom(delivery.chatUid)).emit('chat:delivery', delivery);
    });
    this.bus.on('chat.typing', ({ chatUid, by, typing }) => {
      // Only the other side of the chat sees the typing notice: an agent never gets its own.
      const notice = { chatUid, by, typing };
      if (by === 'visitor') this.agents?.to(chatRoom(chatUid)).emit('chat:typing', notice);
      else this.visitors?.to(chatRoom(chatUid)).emit('chat:typing', notice);
    });
    this.bus.on('chat.state', (event) => this.onState(event));
    this.bus.on('queue.added', ({ chat }) => {
      this.announcedWaiting.add(chat.chatUid);
      this.agents?.to(WAITING_LIST_ROOM).emit('queue:added', chat);
    });
    this.bus.on('queue.removed', ({ chatUid, reason }) => {
      this.announcedWaiting.delete(chatUid);
      this.agents?.to(WAITING_LIST_ROOM).emit('queue:removed', { chatUid, reason });
    });
    this.bus.on('agent.status', ({ agent }) => {
      const sockets = this.agents?.in(`agent:${agent.username}`);
      sockets?.emit('agent:status', agent);
      if (agent.status === 1) sockets?.socketsJoin(WAITING_LIST_ROOM);
      else sockets?.socketsLeave(WAITING_LIST_ROOM);
    });
    this.bus.on('chat.offer', ({ chat, agentUsernames, code, text, expiresAt }) => {
      for (const username of agentUsernames)
        this.agents?.to(`agent:${username}`).emit('chat:offer', { chat, code, text, expiresAt });
    });
    this.bus.on('queue.positions', ({ positions }) => {
      for (const { chatUid, ...place } of positions) {
        const notice = { chatUid, ...place };
        this.remember(chatUid, { queue: notice });
        this.visitors?.to(chatRoom(chatUid)).emit('chat:queue', notice);
      }
    });
    // Lines first (their sockets see them before a close), then what the missed events would have said.
    this.bus.onResync(async () => {
      await this.orderer.resync();
      await this.stateResync.rebuild(this.localSockets());
    });
  }

  attachVisitors(namespace: VisitorNamespace): void {
    this.visitors = namespace;
  }

  attachAgents(namespace: AgentNamespace): void {
    this.agents = namespace;
    this.statusPush.attach(namespace);
  }

  /** Follows a chat for this socket; its client already has the lines up to `lastSequence`. */
  async join(socket: VisitorSocket | AgentSocket, chatUid: string, lastSequence: number): Promise<void> {
    await socket.join(chatRoom(chatUid));
    const delivered = this.orderer.deliveredSequence(chatUid);
    if (delivered === undefined) {
      await this.follow(chatUid, lastSequence);
      return;
    }
    // note: another connection here already follows the chat, and the room may have been sent lines
    // after this client's read and before it joined: send it those (the room brings the rest).
    if (delivered <= lastSequence) return;
    const chat = await this.lookup.require(chatUid);
    for (const line of await this.chatLines.listSince(chat.id, lastSequence)) {
      if (line.sequence > delivered) break;
      (socket as VisitorSocket).emit('chat:line', toLineView(chatUid, line));
    }
  }

  /**
   * Follows a chat this socket has just been answered about (a `chat:start`): what its visitors were
   * pushed before the socket joined, while the answer was being made, goes to it now, after the answer.
   */
  async joinAnswered(
    socket: VisitorSocket,
    chat: { readonly chatUid: string; readonly state: ChatState; readonly lastSequence: number },
  ): Promise<void> {
    await this.join(socket, chat.chatUid, chat.lastSequence);
    const { state, queue } = this.latest.get(chat.chatUid) ?? {};
    if (queue && (state === undefined || state.state === 'queued')) socket.emit('chat:queue', queue);
    if (state && state.state !== chat.state) socket.emit('chat:state', state);
  }

  /** Puts an agent's socket on (or takes it off) the waiting-list pushes. */
  async followWaitingList(socket: AgentSocket, follow: boolean): Promise<void> {
    if (follow) await socket.join(WAITING_LIST_ROOM);
    else await socket.leave(WAITING_LIST_ROOM);
  }

  /** Called while a socket disconnects: stop following chats no local socket is in any more. */
  leaveAll(socket: VisitorSocket | AgentSocket): void {
    const rooms = [...socket.rooms].filter((room) => room.startsWith('chat:'));
    setImmediate(() => {
      for (const room of rooms)
        if (this.roomSize(room) === 0) this.orderer.untrack(room.slice('chat:'.length));
    });
  }

  /** This node's visitor connections in the chat. */
  visitorConnections(chatUid: string): number {
    return this.visitors?.adapter.rooms.get(chatRoom(chatUid))?.size ?? 0;
  }

  private async follow(chatUid: string, lastSequence: number): Promise<void> {
    if (this.orderer.isTracked(chatUid)) return;
    this.orderer.track(chatUid, lastSequence);
    // A line stored between the caller's read and the track above went by untracked: read it back.
    await this.orderer.catchUp(chatUid);
  }

  /**
   * Tells the chat's connections, and moves the agents' connections on this node into (or out of) its
   * room at once; only starting to follow the chat reads the database, queued in the chat's order.
   */
  private onState(event: ClusterEventOf<'chat.state'>): void {
    const room = chatRoom(event.chatUid);
    const { chatUid, state, agentName, agentUsername, code, text } = event;
    const previous = event.previousAgentUsername;
    // The agents of the chat, and the agents it moved to and from (a transfer, an acquire): once each.
    const agentRooms = [
      room,
      ...[agentUsername, previous].flatMap((name) => (name ? [`agent:${name}`] : [])),
    ];
    this.pushState({ chatUid, state, agentName, agentUsername, code, text }, agentRooms);
    // A chat moved to or from these agents: their open-chat counts changed.
    this.statusPush.countsChanged([event.agentUsername, previous]);
    if (previous && previous !== event.agentUsername) this.agents?.in(`agent:${previous}`).socketsLeave(room);
    if (!event.agentUsername || state !== 'active' || !this.agents) return;
    const agentRoom = `agent:${event.agentUsername}`;
    if (!this.agents.adapter.rooms.get(agentRoom)?.size) return;
    this.agents.in(agentRoom).socketsJoin(room);
    this.bus.queueForChat(
      chatUid,
      async () => {
        if (this.orderer.isTracked(chatUid)) return;
        const chat = await this.lookup.require(chatUid);
        await this.follow(chatUid, chat.lastLineSeq);
      },
      'following a picked-up chat',
    );
  }

  /** This node's sockets as the resync sees them. */
  private localSockets(): LocalSockets {
    const roomsOf = (namespace: VisitorNamespace | AgentNamespace | undefined, prefix: string) =>
      [...(namespace?.adapter.rooms.keys() ?? [])]
        .filter((room) => room.startsWith(prefix))
        .map((room) => room.slice(prefix.length));
    return {
      followedChats: () => [
        ...new Set([...roomsOf(this.visitors, 'chat:'), ...roomsOf(this.agents, 'chat:')]),
      ],
      connectedAgents: () => roomsOf(this.agents, 'agent:'),
      hasWaitingList: () => (this.agents?.adapter.rooms.get(WAITING_LIST_ROOM)?.size ?? 0) > 0,
      pushState: (notice) => this.pushState(notice, [chatRoom(notice.chatUid)]),
      pushToAgent: (username, event, ...payload) =>
        this.agents?.to(`agent:${username}`).emit(event, ...payload),
      waitingAdded: (chat) => this.agents?.to(WAITING_LIST_ROOM).emit('queue:added', chat),
      waitingRemoved: (chatUid, reason) =>
        this.agents?.to(WAITING_LIST_ROOM).emit('queue:removed', { chatUid, reason }),
      followWaitingList: (username, follow) => {
        const sockets = this.agents?.in(`agent:${username}`);
        if (follow) sockets?.socketsJoin(WAITING_LIST_ROOM);
        else sockets?.socketsLeave(WAITING_LIST_ROOM);
      },
      followForAgent: async (username, chat) => {
        this.agents?.in(`agent:${username}`).socketsJoin(chatRoom(chat.chatUid));
        await this.follow(chat.chatUid, chat.lastLineSeq);
      },
      announcedWaiting: this.announcedWaiting,
    };
  }

  /** `chat:state` to the chat's visitors (without the agent's username) and to the agents' `rooms`. */
  private pushState(notice: AgentChatStateNotice, agentRooms: string[]): void {
    const { agentUsername: _agentUsername, ...visitorNotice } = notice;
    this.remember(notice.chatUid, { state: visitorNotice });
    this.visitors?.to(chatRoom(notice.chatUid)).emit('chat:state', visitorNotice);
    this.agents?.to(agentRooms).emit('chat:state', notice);
  }

  private remember(chatUid: string, notices: LatestNotices): void {
    const known = this.latest.get(chatUid);
    this.latest.delete(chatUid);
    if (this.latest.size >= NOTICES_KEPT) this.latest.delete(this.latest.keys().next().value as string);
    this.latest.set(chatUid, { ...known, ...notices });
  }

  private emitLine(chatUid: string, line: ChatLineView): void {
    const room = chatRoom(chatUid);
    this.visitors?.to(room).emit('chat:line', line);
    this.agents?.to(room).emit('chat:line', line);
  }

  private roomSize(room: string): number {
    return (
      (this.visitors?.adapter.rooms.get(room)?.size ?? 0) + (this.agents?.adapter.rooms.get(room)?.size ?? 0)
    );
  }
}
