import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  ServiceProcess,
  startHazelcastTestCluster,
  type HazelcastTestCluster,
} from '@switchboard/cluster/testing';
import { ParameterService } from '@switchboard/config';
import { dropMysqlDatabase } from '@switchboard/persistence';
import { PlatformModule } from '@switchboard/platform';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { eventOrderViolations, StressDriver } from './testing';

// Two routing services as real processes, on real Hazelcast members and a throwaway MariaDB
// database, routing hundreds of chats to dozens of agents who accept, decline, ignore, race for a
// chat by hand, flip status and capacity, transfer and close, while one routing process is killed
// with SIGKILL. The
// assertions are invariants over what the database stored, including an audit table that MariaDB
// triggers fill at the moment of every assignment and transfer.
const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_routing_stress_${randomUUID().slice(0, 8)}`;
const CHATS = 300;
const AGENTS = 30;
const CHAT_INTERVAL_MS = 40;
const REFUSAL_CODES = ['OF', 'CQM', 'CQT', 'QTO', 'OO'];
const OFFER_CODES = ['AC', 'ACR', 'QAC', 'QALL', 'QON'];

const AUDIT_SQL = [
  `CREATE TABLE routing_audit (
     id INT AUTO_INCREMENT PRIMARY KEY, kind VARCHAR(16) NOT NULL, chat_id INT NOT NULL,
     operator_id INT NOT NULL, active_count INT NOT NULL, max_chats INT NOT NULL)`,
  // Fires inside the assigning transaction: the operator's row is locked by the capacity claim, so
  // the count is exactly what the agent holds at that instant.
  `CREATE TRIGGER routing_audit_assignment AFTER UPDATE ON chats FOR EACH ROW
   BEGIN
     IF NEW.operator_id IS NOT NULL AND NEW.state = 'active'
        AND (OLD.operator_id IS NULL OR OLD.operator_id <> NEW.operator_id) THEN
       INSERT INTO routing_audit (kind, chat_id, operator_id, active_count, max_chats)
       SELECT IF(OLD.operator_id IS NULL, 'assign', 'transfer'), NEW.id, NEW.operator_id,
              (SELECT COUNT(*) FROM chats c WHERE c.operator_id = NEW.operator_id AND c.state = 'active'),
              (SELECT o.max_chats FROM operators o WHERE o.id = NEW.operator_id);
     END IF;
   END`,
];

async function startDriver(cluster: HazelcastTestCluster): Promise<INestApplication> {
  const environment = {
    ...clusterEnvironment(cluster),
    ...encryptionTestEnvironment(),
    SWITCHBOARD_NODE_ID: 'stress-driver',
    PORT: '0',
  };
  @Module({ imports: [PlatformModule.forRoot({ service: 'stress-driver', defaultPort: 0, environment })] })
  class DriverModule {}
  const moduleRef = await Test.createTestingModule({ imports: [DriverModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}

function clusterEnvironment(cluster: HazelcastTestCluster): NodeJS.ProcessEnv {
  return {
    SWITCHBOARD_CLUSTER: 'hazelcast',
    SWITCHBOARD_HAZELCAST_MEMBERS: cluster.addresses.join(','),
    SWITCHBOARD_HAZELCAST_CLUSTER_NAME: cluster.clusterName,
    SWITCHBOARD_DATABASE_URL: databaseUrl,
    SWITCHBOARD_DRAIN_MS: '0',
  };
}

interface ChatRow {
  id: number;
  state: string;
  skill_id: number | null;
  priority: number;
  close_reason: string | null;
  queued_at: Date | null;
}
interface EventRow {
  id: number;
  chat_id: number;
  code: string;
  created_at: Date;
}

describe('routing under stress: two routing processes, one killed', () => {
  let cluster: HazelcastTestCluster;
  let driverApp: INestApplication;
  let driver: StressDriver;
  let dataSource: DataSource;
  const routers: ServiceProcess[] = [];

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    driverApp = await startDriver(cluster);
    dataSource = driverApp.get(DataSource);
    for (const statement of AUDIT_SQL) await dataSource.query(statement);
    driver = new StressDriver(driverApp, {
      acceptProbability: 0.75,
      declineProbability: 0.15,
      raceProbability: 0.15,
      pickProbability: 0.2,
      answerDelayMs: [20, 400],
      holdMs: [500, 3000],
    });
  }, 180_000);

  afterAll(async () => {
    await driver?.stop();
    await Promise.all(routers.map((router) => router.stop()));
    await driverApp?.close();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
  }, 120_000);

  it('assigns every chat once or refuses it with a code, never over capacity, first in first out', async () => {
    const { repositories } = driver;
    const site = await repositories.sites.create({
      siteKey: 'stress',
      name: 'Stress site',
      domain: 'stress.test',
    });
    const skills = [await repositories.skills.create('sales'), await repositories.skills.create('support')];
    for (let index = 0; index < AGENTS; index += 1) {
      const agent = await repositories.operators.create({
        username: `stress-agent-${index}`,
        displayName: `Stress agent ${index}`,
        password: 'stress-password',
        maxChats: 1 + (index % 3),
        skillIds: index % 3 === 0 ? [skills[0].id, skills[1].id] : [skills[index % 2].id],
      });
      await repositories.operators.setStatus(agent.id, 1);
    }
    await driver.load();
    const parameters = driverApp.get(ParameterService);
    for (const [name, value] of [
      ['ACD.Chat.AutoPickup.AcceptTimeout.Seconds', '3'],
      ['ACD.Chat.AutoPickup.MaxRetries', '2'],
      ['ACD.Chat.Queue.MaxLength', '15'],
      ['ACD.Chat.Queue.MaxExpectedWait.Seconds', '0'],
      ['ACD.Chat.Queue.MaxTime.Seconds', '20'],
    ] as const)
      await parameters.set(name, value, 'stress-test');

    // Two routers on one machine: each takes any free HTTP port (the default, 3100, fits one).
    for (const name of ['routing-a', 'routing-b'])
      routers.push(
        await ServiceProcess.start('routing', name, { ...clusterEnvironment(cluster), PORT: '0' }),
      );

    driver.every(150, () => driver.flipStatus(driver.randomAgentId()));
    driver.every(400, () => driver.setCapacity(driver.randomAgentId(), 1 + Math.floor(Math.random() * 3)));
    driver.every(300, () => driver.transferOne());
    const skillChoices = [skills[0].id, skills[1].id, null];
    for (let index = 0; index < CHATS; index += 1) {
      if (index === Math.floor(CHATS * 0.4)) routers[0].kill();
      await driver.requestChat(site.id, skillChoices[index % 3], Math.random() < 0.2 ? 1 : 0);
      await new Promise((wake) => setTimeout(wake, CHAT_INTERVAL_MS));
    }
    // Everyone back in Chat status so the queue drains; then the simulation keeps answering offers.
    await driver.stop();
    const restart = new StressDriver(driverApp, {
      acceptProbability: 1,
      declineProbability: 0,
      raceProbability: 0,
      answerDelayMs: [10, 50],
      holdMs: [100, 300],
    });
    await restart.load();
    for (const agent of await repositories.operators.list()) await restart.flipStatus(agent.id, true);
    const deadline = Date.now() + 60_000;
    while ((await repositories.chatRouting.routable()).length > 0) {
      if (Date.now() > deadline)
        throw new Error(`chats left unrouted after 60 s\n--- routing-b log ---\n${routers[1].log()}`);
      await new Promise((wake) => setTimeout(wake, 250));
    }
    await restart.stop();
    expect([...driver.failures, ...restart.failures]).toEqual([]);

    const chats = await dataSource.query<ChatRow[]>(
      `SELECT c.id, c.state, c.skill_id, c.priority, c.close_reason, r.queued_at
         FROM chats c LEFT JOIN chat_routing r ON r.chat_id = c.id ORDER BY c.id`,
    );
    const events = await dataSource.query<EventRow[]>(
      'SELECT id, chat_id, code, created_at FROM chat_events ORDER BY id',
    );
    const audit = await dataSource.query<
      Array<{ kind: string; chat_id: number; active_count: number; max_chats: number }>
    >('SELECT kind, chat_id, active_count, max_chats FROM routing_audit');
    const eventsOf = new Map<number, EventRow[]>();
    for (const event of events) eventsOf.set(event.chat_id, [...(eventsOf.get(event.chat_id) ?? []), event]);

    const codeCounts: Record<string, number> = {};
    for (const event of events) codeCounts[event.code] = (codeCounts[event.code] ?? 0) + 1;
    // The run went through the paths it is meant to: queueing, retries, drains, transfers, refusals.
    for (const code of ['AC', 'ACR', 'CQ', 'QAC', 'TFER', 'CQM'])
      expect({ code, stored: (codeCounts[code] ?? 0) > 0 }).toEqual({ code, stored: true });
    // No lost chat: every request ended assigned, or refused with a stored code.
    expect(chats).toHaveLength(CHATS);
    const outcomes = chats.map((chat) => {
      const codes = (eventsOf.get(chat.id) ?? []).map((event) => event.code);
      const assignments = audit.filter((row) => row.kind === 'assign' && row.chat_id === chat.id).length;
      if (chat.state === 'missed')
        return REFUSAL_CODES.includes(chat.close_reason ?? '') &&
          codes.includes(chat.close_reason!) &&
          assignments === 0
          ? 'refused'
          : `chat ${chat.id} missed with ${chat.close_reason}, codes ${codes.join(' ')}, ${assignments} assignments`;
      const ops = codes.filter((code) => code === 'OP').length;
      return ['active', 'closed'].includes(chat.state) && assignments === 1 && ops === 1
        ? 'assigned'
        : `chat ${chat.id} ${chat.state} with ${assignments} assignments and ${ops} OP`;
    });
    expect(outcomes.filter((outcome) => outcome !== 'assigned' && outcome !== 'refused')).toEqual([]);
    expect(outcomes.filter((outcome) => outcome === 'assigned').length).toBeGreaterThan(CHATS / 3);

    // Never over capacity, at the moment of each assignment and transfer.
    expect(audit.length).toBeGreaterThan(CHATS / 3);
    expect(audit.filter((row) => row.active_count > row.max_chats)).toEqual([]);

    // First in first out per skill and priority: of two chats of one skill, the one ahead in the
    // queue (higher priority, then queued first) got its first offer first, whenever it was still
    // waiting in the queue when the other got its first offer.
    const firstOffer = new Map<number, EventRow>();
    const end = new Map<number, number>();
    for (const event of events) {
      if (OFFER_CODES.includes(event.code) && !firstOffer.has(event.chat_id))
        firstOffer.set(event.chat_id, event);
      if (REFUSAL_CODES.includes(event.code) || event.code === 'OP') end.set(event.chat_id, event.id);
    }
    const offered = chats.filter((chat) => firstOffer.has(chat.id) && chat.queued_at !== null);
    const unfair: string[] = [];
    for (const ahead of offered)
      for (const behind of offered) {
        if (ahead.id === behind.id || ahead.skill_id !== behind.skill_id) continue;
        const aheadInQueue =
          ahead.priority > behind.priority ||
          (ahead.priority === behind.priority &&
            (ahead.queued_at!.getTime() < behind.queued_at!.getTime() ||
              (ahead.queued_at!.getTime() === behind.queued_at!.getTime() && ahead.id < behind.id)));
        const behindOffer = firstOffer.get(behind.id)!;
        const aheadWaiting =
          ahead.queued_at!.getTime() <= behindOffer.created_at.getTime() &&
          (end.get(ahead.id) ?? Number.POSITIVE_INFINITY) > behindOffer.id;
        if (aheadInQueue && aheadWaiting && firstOffer.get(ahead.id)!.id > behindOffer.id)
          unfair.push(`chat ${behind.id} offered before ${ahead.id}`);
      }
    expect(unfair).toEqual([]);

    // The event log reads in the order things happened: each move's codes were stored in its own
    // transaction, so no intake or queue code lands after the pickup, nothing after the end.
    expect(
      eventOrderViolations(events.map((event) => ({ chatId: event.chat_id, code: event.code }))),
    ).toEqual([]);
  }, 240_000);
});
