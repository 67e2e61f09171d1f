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
import { eventually } from '../support/eventually';
import { LocalCluster } from './local-cluster';
import { ResilientParticipant, request, type SocketOptions } from './resilient-chat-client';

/** A visitor and the agent who picked up their chat. */
export type Pair = [ResilientParticipant, ResilientParticipant];

/** Conversations through the cluster's front door, and the invariants checked over its database. */
export class ChatLoad {
  private constructor(
    readonly cluster: LocalCluster,
    private readonly dataSource: DataSource,
    private readonly repositories: Repositories,
    private readonly siteKey: string,
  ) {}

  /** Starts a local cluster (`npm run cluster`), connects to its database and creates a site to chat on. */
  static async start(): Promise<ChatLoad> {
    const cluster = await LocalCluster.start();
    const dataSource = createDataSource(parseDatabaseUrl(cluster.databaseUrl));
    await dataSource.initialize();
    const repositories = createRepositories(dataSource);
    const siteKey = `e2e-${randomUUID().slice(0, 8)}`;
    await repositories.sites.create({ siteKey, name: 'E2E site', domain: 'example.test' });
    return new ChatLoad(cluster, dataSource, repositories, siteKey);
  }

  /** Stops the cluster and drops its database. */
  async stop(): Promise<void> {
    await this.dataSource.destroy();
    await this.cluster.stop();
    await dropMysqlDatabase(this.cluster.databaseUrl);
  }

  async signedInAgent(baseUrl: string, options: SocketOptions = {}): Promise<{ token: string }> {
    const username = `agent-${randomUUID().slice(0, 8)}`;
    await this.repositories.operators.create({
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

  async openPairs(
    baseUrl: string,
    count: number,
    socketOptions: SocketOptions = {},
    agentSocketOptions: SocketOptions = socketOptions,
  ): Promise<Pair[]> {
    const agent = await this.signedInAgent(baseUrl, agentSocketOptions);
    const pairs: Pair[] = [];
    for (let index = 0; index < count; index += 1)
      pairs.push(
        await ResilientParticipant.pair(baseUrl, agent, this.siteKey, socketOptions, agentSocketOptions),
      );
    return pairs;
  }

  /** The invariants, over the database: no acknowledged line lost, none stored twice, none delivered twice or missed. */
  async expectNothingLostNorDoubled(pairs: Pair[]): Promise<void> {
    await eventually('every line is acknowledged', () =>
      pairs.flat().every((side) => side.unacknowledged === 0),
    );
    for (const [visitor, agent] of pairs) {
      const chat = await this.repositories.chats.findByUid(visitor.chatUid);
      const stored = await this.repositories.chatLines.listSince(chat!.id, 0, 100_000);
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
}

/** Both sides of every pair write a line every `intervalMs` until the returned function is called. */
export function startTalking(pairs: Pair[], intervalMs = 100): () => void {
  let turn = 0;
  const timer = setInterval(() => {
    turn += 1;
    for (const [visitor, agent] of pairs) {
      visitor.send(`visitor line ${turn}`);
      agent.send(`agent line ${turn}`);
    }
  }, intervalMs);
  return () => clearInterval(timer);
}

/** Both sides write a line every 100 ms for `durationMs`, with `during` run part-way through. */
export async function converse(
  pairs: Pair[],
  durationMs: number,
  during?: () => Promise<void>,
): Promise<void> {
  const stopTalking = startTalking(pairs);
  await new Promise((done) => setTimeout(done, durationMs / 3));
  await during?.();
  await new Promise((done) => setTimeout(done, (durationMs * 2) / 3));
  stopTalking();
}
