import { InMemoryEventStream } from '@switchboard/cluster';
import { eventually } from '@switchboard/cluster/testing';
import type { ChatLineRepository, ChatRecord, OperatorRepository } from '@switchboard/persistence';
import { ClusterEventBus } from '@switchboard/platform';
import { withEnvelope, type ClusterEventBody } from '@switchboard/protocol';
import { AgentStatusPush } from './agent-status-push.service';
import { ChatDelivery } from './chat-delivery.service';
import type { ChatLookup } from './chat-lookup.service';
import type { AgentNamespace, VisitorNamespace, VisitorSocket } from './socket-types';
import type { SocketStateResync } from './socket-state-resync.service';

const at = () => new Date().toISOString();
const noStatusPush = () =>
  new AgentStatusPush({ findByUsername: () => Promise.resolve(null) } as unknown as OperatorRepository);

/** The part of a socket.io namespace ChatDelivery uses, over in-memory rooms; records what it pushes. */
function fakeNamespace() {
  const rooms = new Map<string, Set<string>>();
  const pushed: Array<{ room: string; event: string; payload: unknown }> = [];
  const join = (id: string, room: string) => rooms.set(room, (rooms.get(room) ?? new Set()).add(id));
  // A list of rooms (one emit to each socket in any of them) is recorded under the joined names.
  const toRoom = (named: string | string[]) => {
    const room = String(named);
    return {
      emit: (event: string, payload: unknown) => pushed.push({ room, event, payload }) > 0,
      socketsJoin: (target: string) => rooms.get(room)?.forEach((id) => join(id, target)),
      socketsLeave: (target: string) => rooms.get(room)?.forEach((id) => rooms.get(target)?.delete(id)),
    };
  };
  const namespace = { adapter: { rooms }, to: toRoom, in: toRoom };
  const socket = (id: string) => ({
    id,
    rooms: new Set<string>(),
    join(room: string) {
      this.rooms.add(room);
      join(id, room);
      return Promise.resolve();
    },
  });
  return { namespace, pushed, join, socket };
}

describe('ChatDelivery', () => {
  it("delivers chat B's lines while the pickup of chat A still reads the database", async () => {
    const stream = new InMemoryEventStream<unknown>({ capacity: 100 });
    const bus = new ClusterEventBus(stream);
    let finishChatARead = (): void => undefined;
    const chatARead = new Promise<void>((resolve) => (finishChatARead = resolve));
    const lookup = {
      require: async (chatUid: string) => {
        if (chatUid === 'chat-a') await chatARead;
        return { id: chatUid === 'chat-a' ? 1 : 2, lastLineSeq: 0 } as ChatRecord;
      },
    } as unknown as ChatLookup;
    const chatLines = { listSince: () => Promise.resolve([]) } as unknown as ChatLineRepository;
    const delivery = new ChatDelivery(chatLines, bus, lookup, {} as SocketStateResync, noStatusPush());
    delivery.onModuleInit();
    const visitors = fakeNamespace();
    const agents = fakeNamespace();
    delivery.attachVisitors(visitors.namespace as unknown as VisitorNamespace);
    delivery.attachAgents(agents.namespace as unknown as AgentNamespace);
    await bus.start();

    await delivery.join(visitors.socket('visitor-b') as unknown as VisitorSocket, 'chat-b', 0);
    agents.join('agent-bob', 'agent:bob');
    const publish = (event: ClusterEventBody) => bus.publish(withEnvelope(event, 'test'));
    await publish({
      type: 'chat.state',
      chatUid: 'chat-a',
      state: 'active',
      agentUsername: 'bob',
      agentName: 'Bob',
      previousAgentUsername: null,
      code: 'OP',
      text: null,
    });
    const lineOfB = {
      chatUid: 'chat-b',
      sequence: 1,
      sender: 'operator' as const,
      senderName: 'Eve',
      text: 'hello',
      at: at(),
      clientMessageId: null,
    };
    await publish({ type: 'chat.line', line: lineOfB });

    await eventually('chat B line pushed', () => visitors.pushed.some((push) => push.event === 'chat:line'));
    expect(visitors.pushed.filter((push) => push.event === 'chat:line')).toEqual([
      { room: 'chat:chat-b', event: 'chat:line', payload: lineOfB },
    ]);
    // The agent's connection joined chat A's room at once; following it waits for the database.
    expect(agents.namespace.adapter.rooms.get('chat:chat-a')).toEqual(new Set(['agent-bob']));
    finishChatARead();
    await bus.stop();
  });

  it('sends a joining connection the lines the room got between its read and its join', async () => {
    const bus = new ClusterEventBus(new InMemoryEventStream<unknown>({ capacity: 100 }));
    const stored = [1, 2, 3].map((sequence) => ({
      sequence,
      sender: 'visitor',
      senderName: 'Vera',
      text: `line ${sequence}`,
      createdAt: new Date(),
      clientMessageId: null,
    }));
    const lookup = {
      require: () => Promise.resolve({ id: 7, lastLineSeq: 3 } as ChatRecord),
    } as unknown as ChatLookup;
    const chatLines = {
      listSince: (_chatId: number, after: number) =>
        Promise.resolve(stored.filter((line) => line.sequence > after)),
    } as unknown as ChatLineRepository;
    const delivery = new ChatDelivery(chatLines, bus, lookup, {} as SocketStateResync, noStatusPush());
    delivery.onModuleInit();
    const visitors = fakeNamespace();
    delivery.attachVisitors(visitors.namespace as unknown as VisitorNamespace);
    delivery.attachAgents(fakeNamespace().namespace as unknown as AgentNamespace);
    await bus.start();
    // The agent's connection follows the chat and has been sent up to line 3.
    await delivery.join(visitors.socket('agent') as unknown as VisitorSocket, 'chat-c', 3);

    // The visitor read its history up to line 1, then joined: lines 2 and 3 went to the room before.
    const sent: unknown[] = [];
    const late = {
      ...visitors.socket('late-visitor'),
      emit: (_event: string, line: unknown) => sent.push(line),
    };
    await delivery.join(late as unknown as VisitorSocket, 'chat-c', 1);

    expect(sent).toEqual([
      expect.objectContaining({ chatUid: 'chat-c', sequence: 2, text: 'line 2' }),
      expect.objectContaining({ chatUid: 'chat-c', sequence: 3, text: 'line 3' }),
    ]);
    await bus.stop();
  });
});
