import type { INestApplication } from '@nestjs/common';
import { startAdminTestApp, TEST_AUTH } from '@switchboard/admin/testing';
import { startHazelcastTestCluster, type HazelcastTestCluster } from '@switchboard/cluster/testing';
import {
  seedSiteAndAgent,
  startMessengerNode,
  TestSocket,
  type MessengerNode,
} from '@switchboard/messaging/testing';
import { ChatEntity, dropMysqlDatabase } from '@switchboard/persistence';
import type { ChatSummary } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';

// An admin-api process and two ClientMessenger nodes on real Hazelcast members and MariaDB: a change
// made in the database behind the product's back acts on every process after the matching load*.htm.
describe('load*.htm re-read what every process caches', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_reload_${randomUUID().slice(0, 8)}`;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-reload-'));
  let cluster: HazelcastTestCluster;
  let admin: INestApplication;
  const nodes: MessengerNode[] = [];
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    const environment = {
      DATADIR: dataDirectory,
      ...cluster.clientEnvironment(),
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
    };
    admin = await startAdminTestApp(
      { ...environment, SWITCHBOARD_NODE_ID: 'admin-api@reload' },
      { maxWaitMs: 5000, quietMs: 500 },
    );
    for (const nodeId of ['client-messenger-1', 'client-messenger-2'])
      nodes.push(await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: nodeId }));
  }, 120_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    for (const node of nodes) await node.app.close();
    await admin?.close();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function connect(node: MessengerNode, kind: 'visitor' | 'agent'): Promise<TestSocket> {
    const socket = await TestSocket.connect(node.url, kind);
    sockets.push(socket);
    return socket;
  }

  it('loaduser.htm: an agent renamed in the database writes under the new name on every node', async () => {
    const { repositories } = nodes[0];
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const [agent] = agents;
    const consoles = [];
    for (const node of nodes) {
      const socket = await connect(node, 'agent');
      await socket.ok('agent:login', agent);
      await socket.ok('agent:status', { status: 1 });
      consoles.push(socket);
    }
    const visitor = await connect(nodes[0], 'visitor');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    await consoles[0].next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
    await consoles[0].ok('chat:pickup', { chatUid: chat.chatUid });
    const write = async (socket: TestSocket, text: string) =>
      (await socket.ok('chat:send', { chatUid: chat.chatUid, text, clientMessageId: randomUUID() })).line
        .senderName;

    // Behind the product's back: no process is told.
    await repositories.operators.update(agent.id, { displayName: 'Agent Renamed' });
    expect(await write(consoles[0], 'before the reload')).toBe('Agent 0');

    const response = await request(admin.getHttpServer() as Server)
      .get(`/loaduser.htm?a=${TEST_AUTH}&username=${agent.username}`)
      .expect(200);
    expect(response.text).toContain('client-messenger-1');
    expect(response.text).toContain('client-messenger-2');
    expect(await write(consoles[0], 'after, node 1')).toBe('Agent Renamed');
    expect(await write(consoles[1], 'after, node 2')).toBe('Agent Renamed');
  }, 60_000);

  it("loadsite.htm: a chat's visitor name and its site's text rules changed in the database act on every node", async () => {
    const { repositories } = nodes[0];
    const { siteKey } = await seedSiteAndAgent(repositories);
    const site = (await repositories.sites.findByKey(siteKey))!;
    const chats: Array<{ visitor: TestSocket; chatUid: string }> = [];
    for (const node of nodes) {
      const visitor = await connect(node, 'visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
      chats.push({ visitor, chatUid: chat.chatUid });
    }
    const write = async ({ visitor, chatUid }: (typeof chats)[number], text: string) =>
      (await visitor.ok('chat:send', { chatUid, text, clientMessageId: randomUUID() })).line.senderName;
    for (const chat of chats) expect(await write(chat, 'hello')).toBe('Vera');

    // Behind the product's back: no process is told.
    for (const { chatUid } of chats) {
      const stored = (await repositories.chats.findByUid(chatUid))!;
      await nodes[0].app
        .get(DataSource)
        .manager.update(ChatEntity, { id: stored.id }, { visitorName: 'Vera Renamed' });
    }
    await repositories.sites.update(site.id, { textRules: ['forbidden word'] });
    for (const chat of chats) expect(await write(chat, 'a forbidden word, unseen yet')).toBe('Vera');
    for (const { chatUid } of chats)
      expect((await repositories.chats.findByUid(chatUid))!.state).not.toBe('closed');

    await request(admin.getHttpServer() as Server)
      .get(`/loadsite.htm?a=${TEST_AUTH}&sitekey=${siteKey}`)
      .expect(200);
    for (const chat of chats) {
      expect(await write(chat, 'after the reload: a forbidden word')).toBe('Vera Renamed');
      expect(
        await chat.visitor.next('chat:state', (notice: { code: string }) => notice.code === 'TR'),
      ).toMatchObject({
        state: 'missed',
      });
    }
  }, 60_000);

  it('loadallusers.htm: an agent deleted in the database is signed out on every node', async () => {
    const { repositories } = nodes[0];
    const { agents } = await seedSiteAndAgent(repositories);
    const consoles = [];
    for (const node of nodes) {
      const socket = await connect(node, 'agent');
      await socket.ok('agent:login', agents[0]);
      consoles.push(socket);
    }
    await repositories.operators.delete(agents[0].id);
    await request(admin.getHttpServer() as Server)
      .get(`/loadallusers.htm?a=${TEST_AUTH}`)
      .expect(200);
    for (const socket of consoles)
      expect(await socket.request('chats:mine', {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
  }, 60_000);
});
