import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  parseDatabaseUrl,
  type Repositories,
} from '@switchboard/persistence';
import { AGENT_NAMESPACE } from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { LocalCluster } from './local-cluster';
import { ResilientParticipant, request, type SocketOptions } from './resilient-chat-client';

// The whole product as a user runs it (`npm run cluster`): real socket.io clients through the real
// HAProxy (ws and wss) to two client-messenger nodes sharing real Hazelcast members and MariaDB.
// Invariants are checked over the database, not over what any node reports.

const PAIRS = 6;
let cluster: LocalCluster;
let dataSource: DataSource;
let repositories: Repositories;
let siteKey: string;
const participants: ResilientParticipant[] = [];

afterEach(() => participants.splice(0).forEach((participant) => participant.close()));

async function signedInAgent(baseUrl: string, options: SocketOptions = {}) {
  const username = `agent-${randomUUID().slice(0, 8)}`;
  await repositories.operators.create({
    username,
    displayName: 'E2E Agent',
    password: 'e2e-password',
    maxChats: 50,
  });
  const socket = io(`${baseUrl}${AGENT_NAMESPACE}`, {
    transports: ['websocket'],
    forceNew: true,
    // Keeps HAProxy's SERVERID cookie between long-polling requests (a browser does this by itself).
    withCredentials: true,
    ...options,
  });
  const { token } = await request<{ token: string }>(socket, 'agent:login', {
    username,
    password: 'e2e-password',
  });
  await request(socket, 'agent:status', { status: 1 });
  socket.disconnect();
  return { token };
}

async function openPairs(
  baseUrl: string,
  count: number,
  socketOptions: SocketOptions = {},
  agentSocketOptions: SocketOptions = socketOptions,
) {
  const agent = await signedInAgent(baseUrl, agentSocketOptions);
  const pairs: Array<[ResilientParticipant, ResilientParticipant]> = [];
  for (let index = 0; index < count; index += 1)
    pairs.push(await ResilientParticipant.pair(baseUrl, agent, siteKey, socketOptions, agentSocketOptions));
  return pairs;
}

/** Both sides write a line every `intervalMs` for `durationMs`, with `during` run part-way through. */
async function converse(
  pairs: Array<[ResilientParticipant, ResilientParticipant]>,
  durationMs: number,
  during?: () => Promise<void>,
) {
  let turn = 0;
  const timer = setInterval(() => {
    turn += 1;
    for (const [visitor, agent] of pairs) {
      visitor.send(`visitor line ${turn}`);
      agent.send(`agent line ${turn}`);
    }
  }, 100);
  await new Promise((done) => setTimeout(done, durationMs / 3));
  await during?.();
  await new Promise((done) => setTimeout(done, (durationMs * 2) / 3));
  clearInterval(timer);
}

async function eventually(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 200));
  }
}

/** The invariants, over the database: no acknowledged line lost, none stored twice, none delivered twice or missed. */
async function expectNothingLostNorDoubled(pairs: Array<[ResilientParticipant, ResilientParticipant]>) {
  await eventually('every line is acknowledged', () =>
    pairs.flat().every((side) => side.unacknowledged === 0),
  );
  for (const [visitor, agent] of pairs) {
    const chat = await repositories.chats.findByUid(visitor.chatUid);
    const stored = await repositories.chatLines.listSince(chat!.id, 0, 100_000);
    expect(stored.map((line) => line.sequence)).toEqual(stored.map((_, index) => index + 1));
    const acknowledgedTexts = [...visitor.acknowledged, ...agent.acknowledged]
      .map((line) => `${line.sequence}:${line.text}`)
      .sort();
    expect(stored.map((line) => `${line.sequence}:${line.text}`).sort()).toEqual(acknowledgedTexts);
    await eventually(`both sides of ${visitor.chatUid} have all ${stored.length} lines`, () =>
      [visitor, agent].every((side) => side.transcript.size === stored.length),
    );
    for (const side of [visitor, agent]) {
      expect(
        [...side.transcript.values()].sort((a, b) => a.sequence - b.sequence).map((line) => line.text),
      ).toEqual(stored.map((line) => line.text));
    }
  }
}

beforeAll(async () => {
  cluster = await LocalCluster.start();
  dataSource = createDataSource(parseDatabaseUrl(cluster.databaseUrl));
  await dataSource.initialize();
  repositories = createRepositories(dataSource);
  siteKey = `e2e-${randomUUID().slice(0, 8)}`;
  await repositories.sites.create({ siteKey, name: 'E2E site', domain: 'example.test' });
}, 300_000);

afterAll(async () => {
  await dataSource?.destroy();
  await cluster?.stop();
  if (cluster) await dropMysqlDatabase(cluster.databaseUrl);
}, 120_000);

describe('the local cluster behind HAProxy', () => {
  it('carries a conversation over ws on the ws port, across both nodes', async () => {
    const pairs = await openPairs(cluster.wsUrl, PAIRS);
    await converse(pairs, 1500);
    await expectNothingLostNorDoubled(pairs);
  });

  it('carries a conversation over wss on the wss port (TLS terminated by HAProxy)', async () => {
    const pairs = await openPairs(cluster.wssUrl, 2, { rejectUnauthorized: false });
    await converse(pairs, 1500);
    await expectNothingLostNorDoubled(pairs);
  });

  it('carries a conversation between a visitor on HTTP long-polling and an agent on websocket', async () => {
    // Each polling request is a new HTTP request: HAProxy's SERVERID cookie keeps them on one node.
    const pairs = await openPairs(
      cluster.wsUrl,
      2,
      { transports: ['polling'] },
      { transports: ['websocket'] },
    );
    await converse(pairs, 1500);
    await expectNothingLostNorDoubled(pairs);
    expect(pairs.map(([visitor, agent]) => [visitor.transport, agent.transport])).toEqual([
      ['polling', 'websocket'],
      ['polling', 'websocket'],
    ]);
    // A polling request sent to the other node would end the session ("Session ID unknown").
    expect(pairs.flat().map((side) => side.disconnects)).toEqual([0, 0, 0, 0]);
  });

  it('loses and doubles nothing when a node is killed with SIGKILL mid-conversation', async () => {
    const pairs = await openPairs(cluster.wsUrl, PAIRS);
    await converse(pairs, 6000, () => {
      cluster.kill('client-messenger-1', 'SIGKILL');
      return Promise.resolve();
    });
    expect(pairs.flat().some((side) => side.disconnects > 0)).toBe(true);
    await expectNothingLostNorDoubled(pairs);
    await cluster.restart('client-messenger-1');
  });

  it('loses and doubles nothing when a node is stopped with SIGTERM (drained) mid-conversation', async () => {
    const pairs = await openPairs(cluster.wsUrl, PAIRS);
    await converse(pairs, 8000, () => cluster.restart('client-messenger-2'));
    await expectNothingLostNorDoubled(pairs);
  });
});
