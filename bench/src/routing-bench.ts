// The routing part of `npm run bench`: the real routing module (RoutingModule on PlatformModule) in
// this process, on its own MariaDB database and the in-memory cluster adapter, with 100 agents and
// 1,000 queued chats; the baseline is the pure decision (`planOffers`) over the same numbers.
import { Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ParameterService } from '@switchboard/config';
import {
  appRepositories,
  dropMysqlDatabase,
  type ChatRecord,
  type Repositories,
} from '@switchboard/persistence';
import { ClusterEventBus, PlatformModule } from '@switchboard/platform';
import { withEnvelope, type ClusterEventBody } from '@switchboard/protocol';
import { RoutingModule } from '@switchboard/routing';
import { waitingSummary } from '@switchboard/routing/testing';
import {
  AgentStatus,
  defaultRoutingSettings,
  planOffers,
  type AgentSnapshot,
} from '@switchboard/routing-domain';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fmt, ratePerSecond, ratio, summarize, type LatencySummary } from './stats';

export interface RoutingBenchOptions {
  readonly agents: number;
  readonly queued: number;
  /** Slot-freeing rounds measured. */
  readonly rounds: number;
}

export interface RoutingBenchReport {
  readonly agents: number;
  readonly queued: number;
  /** Chat request (`queue.added`) → `chat.offer`, with free agents. */
  readonly requestToOffer: LatencySummary;
  /** Admission decisions (CQ/QM, intake) per second while 1,000 chats arrive at once. */
  readonly intakeDecisionsPerSecond: number;
  /** An agent's chat closed (`chat.state`) → the queue head offered to them. */
  readonly slotFreedToOffer: LatencySummary;
  /** Slot-freed rounds per second (close, offer of the queue head, accept, a new chat queued). */
  readonly slotRoundsPerSecond: number;
  /** Baseline: `planOffers` alone over the same snapshot (1,000 queued, 100 agents), decisions per second. */
  readonly pureDecisionsPerSecond: number;
  /** Intake decisions per second of the service / of the pure decision: what the database and cluster cost. */
  readonly serviceToPureRatio: number | undefined;
  readonly targetMetP99Under50Ms: boolean;
}

class RoutingBenchHarness {
  readonly repositories: Repositories;
  private readonly bus: ClusterEventBus;
  private readonly offerWaiters = new Map<string, () => void>();

  constructor(readonly app: INestApplicationContext) {
    this.repositories = appRepositories(app);
    this.bus = app.get(ClusterEventBus);
    this.bus.on('chat.offer', ({ chat }) => this.offerWaiters.get(chat.chatUid)?.());
  }

  /** Resolves with the offer's arrival time once routing offered `chatUid`. */
  offered(chatUid: string): Promise<number> {
    return new Promise((resolve) => this.offerWaiters.set(chatUid, () => resolve(performance.now())));
  }

  /** A visitor's request as the messenger makes it; `offered` resolves when routing offers the chat. */
  async request(siteId: number): Promise<{ chat: ChatRecord; offered: Promise<number> }> {
    const { chat } = await this.repositories.chats.open({ siteId, channel: 'web', visitorKey: randomUUID() });
    const offered = this.offered(chat.chatUid);
    await this.publish({ type: 'queue.added', chat: waitingSummary(chat) });
    return { chat, offered };
  }

  async accept(chat: ChatRecord, agentId: number): Promise<void> {
    const result = await this.repositories.chats.assignOnce(chat.id, agentId);
    if (!result.assigned) throw new Error(`bench: chat ${chat.id} not assigned (${result.reason})`);
    await this.publish({
      type: 'chat.state',
      chatUid: chat.chatUid,
      state: 'active',
      agentUsername: String(agentId),
      agentName: null,
      previousAgentUsername: null,
      code: 'OP',
      text: null,
    });
  }

  async close(chat: ChatRecord): Promise<void> {
    await this.repositories.chats.close(chat.id, 'OC');
    await this.publish({
      type: 'chat.state',
      chatUid: chat.chatUid,
      state: 'closed',
      agentUsername: null,
      agentName: null,
      previousAgentUsername: null,
      code: 'OC',
      text: null,
    });
  }

  private async publish(event: ClusterEventBody): Promise<void> {
    await this.bus.publish(withEnvelope(event, 'routing-bench'));
  }
}

async function startRouting(databaseUrl: string, dataDirectory: string): Promise<INestApplicationContext> {
  const environment = {
    SWITCHBOARD_DATABASE_URL: databaseUrl,
    SWITCHBOARD_CLUSTER: 'memory',
    SWITCHBOARD_NODE_ID: 'routing-bench',
    // The run's keys (main sets them before anything starts).
    SWITCHBOARD_ENCRYPTION_KEYS: process.env.SWITCHBOARD_ENCRYPTION_KEYS ?? '',
    SWITCHBOARD_DRAIN_MS: '0',
    DATADIR: dataDirectory,
    PORT: '0',
  };
  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'routing-bench', defaultPort: 0, environment }),
      RoutingModule,
    ],
  })
  class RoutingBenchModule {}
  return NestFactory.createApplicationContext(RoutingBenchModule, { logger: ['error'] });
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting until ${what}`);
    await new Promise((wake) => setTimeout(wake, 5));
  }
}

/** The baseline: decisions per second of `planOffers` alone over `queued` candidates and `agents` agents. */
function pureDecisionsPerSecond(agents: number, queued: number): number {
  const now = new Date();
  const snapshot: AgentSnapshot[] = Array.from({ length: agents }, (_, index) => ({
    id: index + 1,
    username: `agent-${index}`,
    status: AgentStatus.online,
    maxChats: 1,
    openChats: index === 0 ? 0 : 1,
    skills: [],
    idleSince: null,
  }));
  const candidates = Array.from({ length: queued }, (_, index) => ({
    chatId: index + 1,
    skill: null,
    priority: 0,
    queuedAt: new Date(now.getTime() - queued + index),
    isNew: false,
  }));
  let decisions = 0;
  const started = performance.now();
  while (performance.now() - started < 1000) {
    decisions += planOffers(candidates, snapshot, defaultRoutingSettings, now).length;
  }
  return ratePerSecond(decisions, performance.now() - started);
}

export async function runRoutingBench(
  options: RoutingBenchOptions,
  progress: (text: string) => void,
): Promise<RoutingBenchReport> {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_bench_routing_${randomUUID().slice(0, 8)}`;
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-routing-bench-'));
  const app = await startRouting(databaseUrl, dataDirectory);
  try {
    const harness = new RoutingBenchHarness(app);
    const { repositories } = harness;
    const parameters = app.get(ParameterService);
    await parameters.set('ACD.Chat.Queue.MaxLength', String(options.queued * 2), 'bench');
    await parameters.set('ACD.Chat.Queue.MaxExpectedWait.Seconds', '0', 'bench');
    await parameters.set('ACD.Chat.Queue.MaxTime.Seconds', '86400', 'bench');
    const site = await repositories.sites.create({
      siteKey: 'routing-bench',
      name: 'Routing bench',
      domain: 'bench.test',
    });
    const agentIds: number[] = [];
    for (let index = 0; index < options.agents; index += 1) {
      const agent = await repositories.operators.create({
        username: `routing-bench-${index}`,
        displayName: 'Bench agent',
        password: 'routing-bench-password',
        maxChats: 1,
      });
      await repositories.operators.setStatus(agent.id, AgentStatus.online);
      agentIds.push(agent.id);
    }

    // 1. Request → offer, with free agents: each chat is offered at once (AC), then accepted.
    progress(`routing: request → offer for ${options.agents} chats with free agents`);
    const requestLatencies: number[] = [];
    const held = new Map<number, ChatRecord>();
    for (const agentId of agentIds) {
      const begin = performance.now();
      const { chat, offered } = await harness.request(site.id);
      requestLatencies.push((await offered) - begin);
      const routing = (await repositories.chatRouting.routable()).find(
        (candidate) => candidate.id === chat.id,
      );
      const offeredTo = routing?.routing?.offeredTo[0] ?? agentId;
      await harness.accept(chat, offeredTo);
      held.set(offeredTo, chat);
    }

    // 2. Intake: the queue fills with `queued` chats at once; every agent is busy.
    progress(`routing: ${options.queued} chats arrive at once, every agent busy`);
    const intakeBegin = performance.now();
    const queuedChats: ChatRecord[] = [];
    for (let index = 0; index < options.queued; index += 1)
      queuedChats.push((await harness.request(site.id)).chat);
    await until(`${options.queued} chats are queued`, async () => {
      const routable = await repositories.chatRouting.routable();
      return routable.filter((chat) => chat.state === 'queued').length >= options.queued;
    });
    const intakeMs = performance.now() - intakeBegin;

    // 3. Slot freed → offer: an agent closes a chat; the head of the queue is offered to them.
    progress(`routing: ${options.rounds} slots freed one at a time with ${options.queued} chats queued`);
    const slotLatencies: number[] = [];
    const serviceBegin = performance.now();
    for (let round = 0; round < options.rounds; round += 1) {
      const agentId = agentIds[round % agentIds.length];
      const head = queuedChats.shift()!;
      const offered = harness.offered(head.chatUid);
      const begin = performance.now();
      await harness.close(held.get(agentId)!);
      slotLatencies.push((await offered) - begin);
      await harness.accept(head, agentId);
      held.set(agentId, head);
      // Keep the queue at its size: a new chat joins at the back.
      queuedChats.push((await harness.request(site.id)).chat);
    }
    const serviceMs = performance.now() - serviceBegin;

    const pure = pureDecisionsPerSecond(options.agents, options.queued);
    const slotFreedToOffer = summarize(slotLatencies);
    const intakeDecisionsPerSecond = ratePerSecond(options.queued, intakeMs);
    return {
      agents: options.agents,
      queued: options.queued,
      requestToOffer: summarize(requestLatencies),
      intakeDecisionsPerSecond,
      slotFreedToOffer,
      slotRoundsPerSecond: ratePerSecond(options.rounds, serviceMs),
      pureDecisionsPerSecond: pure,
      serviceToPureRatio: ratio(intakeDecisionsPerSecond, pure),
      targetMetP99Under50Ms: (slotFreedToOffer.p99Ms ?? Infinity) < 50,
    };
  } finally {
    await app.close();
    await dropMysqlDatabase(databaseUrl).catch(() => undefined);
    rmSync(dataDirectory, { recursive: true, force: true });
  }
}

export function printRoutingReport(report: RoutingBenchReport): void {
  console.log(
    `Routing (${report.agents} agents, ${report.queued} chats queued; MariaDB, in-memory cluster adapter):`,
  );
  console.log(
    `  request → offer (free agents)   p50 ${fmt(report.requestToOffer.p50Ms, 1)} ms, p99 ${fmt(report.requestToOffer.p99Ms, 1)} ms`,
  );
  console.log(
    `  slot freed → offer (full queue) p50 ${fmt(report.slotFreedToOffer.p50Ms, 1)} ms, p99 ${fmt(report.slotFreedToOffer.p99Ms, 1)} ms (target p99 < 50 ms: ${report.targetMetP99Under50Ms ? 'met' : 'NOT met'})`,
  );
  console.log(
    `  slot-freed rounds/s             ${fmt(report.slotRoundsPerSecond)} (close, offer, accept, new chat)`,
  );
  console.log(
    `  routing decisions/s, service (intake) vs pure planOffers: ${fmt(report.intakeDecisionsPerSecond)} vs ${fmt(report.pureDecisionsPerSecond)} (ratio ${fmt(report.serviceToPureRatio, 4)})`,
  );
  console.log('');
}
