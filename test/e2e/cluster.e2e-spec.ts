import { ChatLoad, converse } from './chat-load';
import type { LocalCluster } from './local-cluster';
import type { ResilientParticipant } from './resilient-chat-client';

// The whole product as a user runs it (`npm run cluster`): real socket.io clients through the real
// HAProxy (ws and wss) to two client-messenger nodes sharing real Hazelcast members and MariaDB.
// Invariants are checked over the database, not over what any node reports.

const PAIRS = 6;
let cluster: LocalCluster;
let load: ChatLoad;
const participants: ResilientParticipant[] = [];

/** Opens pairs that are closed after the test: a reconnecting client left open would reconnect into the next suite's cluster (same ports). */
async function openPairs(...args: Parameters<ChatLoad['openPairs']>) {
  const pairs = await load.openPairs(...args);
  participants.push(...pairs.flat());
  return pairs;
}

afterEach(() => participants.splice(0).forEach((participant) => participant.close()));

beforeAll(async () => {
  load = await ChatLoad.start();
  cluster = load.cluster;
}, 300_000);

afterAll(async () => {
  await load?.stop();
}, 120_000);

describe('the local cluster behind HAProxy', () => {
  it('carries a conversation over ws on the ws port, across both nodes', async () => {
    const pairs = await openPairs(cluster.wsUrl, PAIRS);
    await converse(pairs, 1500);
    await load.expectNothingLostNorDoubled(pairs);
  });

  it('carries a conversation over wss on the wss port (TLS terminated by HAProxy)', async () => {
    const pairs = await openPairs(cluster.wssUrl, 2, { rejectUnauthorized: false });
    await converse(pairs, 1500);
    await load.expectNothingLostNorDoubled(pairs);
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
    await load.expectNothingLostNorDoubled(pairs);
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
    await load.expectNothingLostNorDoubled(pairs);
    await cluster.restart('client-messenger-1');
  });

  it('loses and doubles nothing when a node is stopped with SIGTERM (drained) mid-conversation', async () => {
    const pairs = await openPairs(cluster.wsUrl, PAIRS);
    await converse(pairs, 8000, () => cluster.restart('client-messenger-2'));
    await load.expectNothingLostNorDoubled(pairs);
  });
});
