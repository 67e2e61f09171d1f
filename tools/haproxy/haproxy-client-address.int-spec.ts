import { dropMysqlDatabase } from '@switchboard/persistence';
import {
  seedSiteAndAgent,
  startMessengerNode,
  TestSocket,
  type MessengerNode,
} from '@switchboard/messaging/testing';
import type { ChatStateNotice, ChatSummary } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selfSignedCertificate, startRenderedHaproxy, type RunningHaproxy } from './testing/haproxy-testing';

// A client-messenger node behind the generated configuration on a real HAProxy, clients forging
// X-Forwarded-For: HAProxy's own hop (127.0.0.1 here) is what the node records and blocks.
describe('client address through HAProxy', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  const sockets: TestSocket[] = [];
  let directory: string;
  let node: MessengerNode;
  let haproxy: RunningHaproxy;

  const connect = async (kind: 'visitor' | 'agent', forgedFor?: string) => {
    const headers = forgedFor === undefined ? undefined : { 'X-Forwarded-For': forgedFor };
    const socket = await TestSocket.connect(`http://127.0.0.1:${haproxy.wsPort}`, kind, { headers });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchboard-haproxy-address-'));
    node = await startMessengerNode({
      DATADIR: directory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
    });
    haproxy = await startRenderedHaproxy(directory, await selfSignedCertificate(directory), {
      clientMessengers: [node.url.replace('http://', '')],
      whatsappConnectors: ['127.0.0.1:9'],
    });
    await haproxy.ready();
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  afterAll(async () => {
    haproxy?.stop();
    await node?.app.close();
    await dropMysqlDatabase(databaseUrl);
    await rm(directory, { recursive: true, force: true });
  });

  it('records the address HAProxy saw, not the X-Forwarded-For the visitor wrote', async () => {
    const { siteKey } = await seedSiteAndAgent(node.repositories);
    const visitor = await connect('visitor', '198.51.100.7, 203.0.113.8');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    const stored = await node.repositories.chats.findByUid(chat.chatUid);
    expect(stored?.visitorIp).toBe('127.0.0.1');
  });

  it('a forged X-Forwarded-For does not dodge a BX block', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(node.repositories);
    const agent = await connect('agent');
    await agent.ok('agent:login', agents[0]);
    await agent.ok('agent:status', { status: 1 });
    const visitor = await connect('visitor', '198.51.100.7');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    await agent.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
    await agent.ok('chat:pickup', { chatUid: chat.chatUid });
    await agent.ok('chat:block', { chatUid: chat.chatUid, reason: 'abuse', hours: 1 });
    await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'BX');

    const again = await connect('visitor', '192.0.2.99');
    const answer = await again.request('chat:start', {
      siteKey,
      visitorName: 'Someone else',
      visitorId: randomUUID(),
    });
    expect(answer).toMatchObject({ ok: false, error: { code: 'BLOCKED' } });
  });
});
