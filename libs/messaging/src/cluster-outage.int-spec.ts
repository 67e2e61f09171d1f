import type { ChatLineView, ChatSummary } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { seedSiteAndAgent, startTwoMessengerNodes, TestSocket, type TwoMessengerNodes } from './testing';

/** The outage below outlasts it several times over, and the Node client's own default (30 s) too. */
const CONNECT_TIMEOUT_MS = 4_000;
const OUTAGE_MS = 35_000;

const pause = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

async function readiness(url: string): Promise<number> {
  return (await fetch(`${url}/health/ready`)).status;
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await pause(250);
  }
}

// Visitor on node 1, agent on node 2: the agent hears the visitor only through the Hazelcast stream.
describe('a Hazelcast outage: every member down for longer than the connect timeout', () => {
  let nodes: TwoMessengerNodes;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    nodes = await startTwoMessengerNodes({
      SWITCHBOARD_HAZELCAST_CONNECT_TIMEOUT_MS: String(CONNECT_TIMEOUT_MS),
      SWITCHBOARD_HAZELCAST_INVOCATION_TIMEOUT_MS: '2000',
    });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await nodes?.stop();
  });

  it('makes the nodes unready, then serves across nodes again without a restart, losing nothing acknowledged', async () => {
    const { visitorNode, agentNode, cluster } = nodes;
    const seeded = await seedSiteAndAgent(visitorNode.repositories);
    const agent = await TestSocket.connect(agentNode.url, 'agent');
    const visitor = await TestSocket.connect(visitorNode.url, 'visitor');
    sockets.push(agent, visitor);
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });
    const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Vera' });
    await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
    await agent.ok('chat:pickup', { chatUid: chat.chatUid });

    // Light load through the whole outage: one visitor line every 300 ms.
    const acknowledged: ChatLineView[] = [];
    let sending = true;
    const load = (async () => {
      for (let index = 0; sending; index += 1) {
        const answer = await visitor.request('chat:send', {
          chatUid: chat.chatUid,
          text: `line ${index}`,
          clientMessageId: randomUUID(),
        });
        if (answer.ok) acknowledged.push(answer.line);
        await pause(300);
      }
    })();
    try {
      await waitFor('lines before the outage', () => Promise.resolve(acknowledged.length >= 3), 10_000);
      await Promise.all(cluster.members.map((member) => cluster.stopMember(member.name)));
      await waitFor(
        'both nodes unready',
        async () => (await readiness(visitorNode.url)) === 503 && (await readiness(agentNode.url)) === 503,
        15_000,
      );
      await pause(OUTAGE_MS);
      await Promise.all(cluster.members.map((member) => cluster.startMember(member.name)));
      await waitFor(
        'both nodes ready again',
        async () => (await readiness(visitorNode.url)) === 200 && (await readiness(agentNode.url)) === 200,
        60_000,
      );
    } finally {
      sending = false;
      await load;
    }

    // Cross-node delivery works again: the agent hears a line sent now, and every line before it.
    const after = await visitor.ok('chat:send', {
      chatUid: chat.chatUid,
      text: 'after the outage',
      clientMessageId: randomUUID(),
    });
    await agent.next<ChatLineView>('chat:line', (line) => line.sequence === after.line.sequence, 30_000);
    const stored = await visitorNode.repositories.chatLines.listSince(
      (await visitorNode.repositories.chats.findByUid(chat.chatUid))!.id,
      0,
    );
    const storedBySequence = new Map(stored.map((line) => [line.sequence, line.text]));
    expect(acknowledged.filter((line) => storedBySequence.get(line.sequence) !== line.text)).toEqual([]);
    expect(agent.lineSequences(chat.chatUid)).toEqual(stored.map((line) => line.sequence));
  }, 240_000);
});
