import { HazelcastConnection } from '@switchboard/cluster';
import { silentLogger, type TestMember } from '@switchboard/cluster/testing';
import type { ChatLineView, ChatSummary } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { seedSiteAndAgent, startTwoMessengerNodes, TestSocket, type TwoMessengerNodes } from './testing';

/** As long as a long GC pause or a half-partition; longer than the failure detection (10 s). */
const PAUSE_MS = 20_000;
const CHATS = 4;
/** Acknowledgements may stop for a moment (a busy machine), not for the stall. */
const LONGEST_SILENCE_MS = 5_000;

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

interface Sent {
  readonly text: string;
  readonly answer: 'ok' | 'refused' | 'no answer';
  readonly answeredAt: number;
}

// Visitors on node 1, agents on node 2; the member that owns the CHAT ring's partition freezes.
describe('a stalled Hazelcast member (SIGSTOP) under load', () => {
  let nodes: TwoMessengerNodes;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    nodes = await startTwoMessengerNodes();
  }, 180_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    nodes?.cluster.members.forEach((member) => nodes.cluster.resumeMember(member.name));
    await nodes?.stop();
  });

  async function chatsWithAgent(): Promise<
    Array<{ visitor: TestSocket; chatUid: string; agent: TestSocket }>
  > {
    const { visitorNode, agentNode } = nodes;
    const seeded = await seedSiteAndAgent(visitorNode.repositories, { maxChats: CHATS });
    const agent = await TestSocket.connect(agentNode.url, 'agent');
    sockets.push(agent);
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });
    const chats = [];
    for (let index = 0; index < CHATS; index += 1) {
      const visitor = await TestSocket.connect(visitorNode.url, 'visitor');
      sockets.push(visitor);
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: `V${index}` });
      await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
      await agent.ok('chat:pickup', { chatUid: chat.chatUid });
      chats.push({ visitor, chatUid: chat.chatUid });
    }
    return chats.map((chat) => ({ ...chat, agent }));
  }

  it('keeps acknowledging lines, each stored exactly when its sender was told so', async () => {
    const chats = await chatsWithAgent();
    const sent: Sent[] = [];
    let sending = true;
    const load = chats.map(({ visitor, chatUid }, index) =>
      (async () => {
        for (let count = 0; sending; count += 1) {
          const text = `v${index}-${count}`;
          const answer = await visitor
            .request('chat:send', { chatUid, text, clientMessageId: randomUUID() }, 15_000)
            .then((ack) => (ack.ok ? 'ok' : 'refused'))
            .catch(() => 'no answer' as const);
          sent.push({ text, answer, answeredAt: Date.now() });
          await pause(150);
        }
      })(),
    );
    const owner = await chatRingOwner(nodes);
    let pausedAt = 0;
    try {
      await pause(2_000);
      pausedAt = Date.now();
      nodes.cluster.pauseMember(owner.name);
      await pause(PAUSE_MS);
      nodes.cluster.resumeMember(owner.name);
      await pause(3_000);
    } finally {
      nodes.cluster.resumeMember(owner.name);
      sending = false;
      await Promise.all(load);
    }

    const acknowledgedAt = sent
      .filter((line) => line.answer === 'ok' && line.answeredAt >= pausedAt)
      .map((line) => line.answeredAt);
    const silences = acknowledgedAt.slice(1).map((time, index) => time - acknowledgedAt[index]);
    expect(Math.max(acknowledgedAt[0] - pausedAt, ...silences)).toBeLessThan(LONGEST_SILENCE_MS);

    // The database against what the clients were told: nothing refused stored, nothing stored unacknowledged.
    const stored = new Set<string>();
    for (const { chatUid } of chats) {
      const chat = (await nodes.visitorNode.repositories.chats.findByUid(chatUid))!;
      for (const line of await nodes.visitorNode.repositories.chatLines.listSince(chat.id, 0))
        stored.add(line.text);
    }
    expect(sent.filter((line) => line.answer !== 'ok' && stored.has(line.text))).toEqual([]);
    expect(sent.filter((line) => line.answer === 'ok' && !stored.has(line.text))).toEqual([]);
    expect([...stored].filter((text) => !sent.some((line) => line.text === text))).toEqual([]);

    // And the agent on the other node hears every stored line once the member is back.
    const [{ agent }] = chats;
    for (const { chatUid } of chats) {
      const chat = (await nodes.visitorNode.repositories.chats.findByUid(chatUid))!;
      await agent.next<ChatLineView>(
        'chat:line',
        (line) => line.chatUid === chatUid && line.sequence === chat.lastLineSeq,
        60_000,
      );
    }
  }, 240_000);
});

/** The member that owns the partition of the CHAT ring (its name is its partition key). */
async function chatRingOwner(nodes: TwoMessengerNodes): Promise<TestMember> {
  const { cluster } = nodes;
  const connection = await HazelcastConnection.connect({
    clusterName: cluster.clusterName,
    members: cluster.addresses,
    logger: silentLogger,
  });
  try {
    const partitions = connection.client.getPartitionService();
    const ownerUuid = partitions.getPartitionOwner(partitions.getPartitionId('CHAT')).toString();
    const port = connection.client
      .getCluster()
      .getMembers()
      .find((member) => member.uuid.toString() === ownerUuid)!.address.port;
    return cluster.members.find((member) => member.port === port)!;
  } finally {
    await connection.shutdown();
  }
}
