import { HazelcastConnection, HazelcastEventStream } from '@switchboard/cluster';
import {
  ServiceProcess,
  silentLogger,
  startHazelcastTestCluster,
  type HazelcastTestCluster,
} from '@switchboard/cluster/testing';
import { dropMysqlDatabase } from '@switchboard/persistence';
import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import {
  withEnvelope,
  type ChatLineView,
  type ChatStateNotice,
  type ChatSummary,
} from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSiteAndAgent, startMessengerNode, TestSocket, type MessengerNode } from './testing';

/** More than hazelcast/hazelcast.xml's CHAT ring keeps (500): a reader stalled through them falls behind. */
const BURST = 1_500;
const STALE_LOG = 'fell behind the cluster stream';

// Visitors on an in-process node; the agent on a node that runs as its own process, frozen (SIGSTOP)
// while the visitors close chats and the ring turns over: it must catch up from the database, once.
describe('a messenger node that fell behind the cluster stream', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-resync-'));
  let cluster: HazelcastTestCluster;
  let visitorNode: MessengerNode;
  let agentNode: ServiceProcess;
  let publisher: HazelcastConnection;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    const environment = {
      DATADIR: dataDirectory,
      ...cluster.clientEnvironment(),
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
    };
    visitorNode = await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: 'client-messenger-1' });
    agentNode = await ServiceProcess.start('client-messenger', 'client-messenger-2', {
      ...environment,
      ...encryptionTestEnvironment(),
      PORT: '0',
      HOST: '127.0.0.1',
    });
    publisher = await HazelcastConnection.connect({
      clusterName: cluster.clusterName,
      members: cluster.addresses,
      logger: silentLogger,
    });
  }, 180_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    agentNode?.resume();
    await agentNode?.stop();
    await visitorNode?.app.close();
    await publisher?.shutdown();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function connect(url: string, kind: 'visitor' | 'agent'): Promise<TestSocket> {
    const socket = await TestSocket.connect(url, kind);
    sockets.push(socket);
    return socket;
  }

  it('resyncs once and pushes its sockets the closes, lines and waiting chats it missed', async () => {
    const seeded = await seedSiteAndAgent(visitorNode.repositories, { maxChats: 5 });
    const agent = await connect(agentNode.url, 'agent');
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });
    const chats: Array<{ visitor: TestSocket; chatUid: string }> = [];
    for (let index = 0; index < 3; index += 1) {
      const visitor = await connect(visitorNode.url, 'visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: `V${index}` });
      await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
      await agent.ok('chat:pickup', { chatUid: chat.chatUid });
      chats.push({ visitor, chatUid: chat.chatUid });
    }
    const [first, second, third] = chats;

    agentNode.pause();
    try {
      await first.visitor.ok('chat:close', { chatUid: first.chatUid });
      await second.visitor.ok('chat:close', { chatUid: second.chatUid });
      const { line } = await third.visitor.ok('chat:send', {
        chatUid: third.chatUid,
        text: 'while you were away',
        clientMessageId: randomUUID(),
      });
      const latecomer = await connect(visitorNode.url, 'visitor');
      const { chat: waiting } = await latecomer.ok('chat:start', {
        siteKey: seeded.siteKey,
        visitorName: 'Late',
      });
      // Events about a chat nobody follows: they only push everything above out of the ring.
      const noise = Array.from({ length: BURST }, () =>
        withEnvelope({ type: 'chat.typing', chatUid: randomUUID(), by: 'visitor', typing: true }, 'test'),
      );
      await new HazelcastEventStream(publisher).publishAll(noise);

      agentNode.resume();
      const closed = (chatUid: string) => (notice: ChatStateNotice) =>
        notice.chatUid === chatUid && notice.state === 'closed';
      await agent.next<ChatStateNotice>('chat:state', closed(first.chatUid), 20_000);
      await agent.next<ChatStateNotice>('chat:state', closed(second.chatUid), 20_000);
      await agent.next<ChatLineView>('chat:line', (pushed) => pushed.sequence === line.sequence, 20_000);
      await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === waiting.chatUid, 20_000);
    } finally {
      agentNode.resume();
    }
    // Live delivery goes on after the resync, and it happened once.
    const { line: after } = await third.visitor.ok('chat:send', {
      chatUid: third.chatUid,
      text: 'back to live',
      clientMessageId: randomUUID(),
    });
    await agent.next<ChatLineView>('chat:line', (pushed) => pushed.sequence === after.sequence);
    expect(agentNode.count(STALE_LOG)).toBe(1);
  }, 120_000);
});
