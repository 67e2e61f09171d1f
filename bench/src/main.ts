// `npm run bench`: the full stack (HAProxy → 2 client-messenger nodes → Hazelcast + MariaDB) against a bare
// socket.io relay and a Redis-adapter relay pair, driven by the same forked load generator; see
// docs/benchmarks.md.
import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  generateKeyMaterial,
  KeyRing,
  parseDatabaseUrl,
  startColumnEncryption,
} from '@switchboard/persistence';
import { execFile, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'hazelcast-client';
import type { DataSource } from 'typeorm';
import {
  benchContactCenter,
  benchRelayPair,
  CHATS_PER_AGENT,
  CONTACT_CENTER_PHASES,
  printContactCenter,
  type ContactCenterSide,
  type ContactCenterSizes,
} from './contact-center';
import { topFunctions, type ProfileEntry } from './cpu-profile';
import type { IdleResult } from './generator-protocol';
import { phase, Probes, type PhaseReport, type ServerEvidence } from './line-phase';
import {
  children,
  freeBasePort,
  Generator,
  pidsByName,
  progress,
  rssBytes,
  sampleCpu,
  cpuShares,
  sessionsPerNode,
  setClockTicks,
  startBareRelay,
  type Watched,
} from './processes';
import { printRoutingReport, runRoutingBench, type RoutingBenchReport } from './routing-bench';
import { fmt, perItem, ratio } from './stats';
import { benchWhatsapp, type WhatsappBenchResult } from './whatsapp-bench';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const HAPROXY_BIN = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const SOURCE_ADDRESSES = 50;
const PER_GENERATOR_SOCKETS = 9000; // 20,000 open files per process: stay well under it.

const PHASES = [
  'routing',
  'bare',
  'full',
  'encryption',
  'idle',
  'whatsapp',
  ...CONTACT_CENTER_PHASES,
] as const;
const CLUSTER_PHASES = new Set<string>(['full', 'encryption', 'idle', 'whatsapp', ...CONTACT_CENTER_PHASES]);

const HELP = `Usage: npm run bench [-- --quick] [-- --phase NAME[,NAME…]] [-- options]

Starts its own local cluster (scripts/cluster.sh on free ports, own CLUSTER_DIR, database and
Hazelcast cluster name), seeds a site and agents, then measures through HAProxy's ws port. Every
phase runs by default; --phase picks some (repeat it or separate names with commas):
  routing      the routing module in this process on its own MariaDB database, 100 agents and 1,000
               queued chats: request → offer and slot freed → offer latency, decisions per second,
               against the pure planOffers decision over the same numbers (no cluster; about 30 s)
  bare         baseline: a bare socket.io relay (one process, no DB, no cluster), same generator,
               --pairs pairs, at --rate and closed loop
  full         full stack: --pairs visitor/agent pairs at --rate (open loop), closed loop, then open
               loop at half of what the closed loop carried
  encryption   the messenger nodes restart with SWITCHBOARD_ENCRYPTION=off, fresh pairs run --rate
               again (the cost of column encryption), and the nodes restart with it on
  idle         --connections idle visitor connections through HAProxy (a second HAProxy process shares
               the port past 9,000), memory per connection on the client-messenger nodes
  whatsapp     TynTec webhooks posted to HAProxy's /incoming by --webhook-concurrency senders, and an
               agent's replies timed to the fake TynTec's 202
 Contact center (agents with 3 chats on one console connection, status Chat, every slot taken;
 visitors spread over both nodes by HAProxy; every line persisted, innodb_flush_log_at_trx_commit=1),
 each beside the Redis-adapter relay pair at the same shape (two socket.io processes with
 @socket.io/redis-adapter on Redis 127.0.0.1:6379, no persistence, behind their own HAProxy):
  cc-1000      1,000 open chats at 3,000 lines/s
  cc-capacity  1,000 open chats: the highest rate delivered in full with p99 ≤ --p99-bound, from
               --capacity-start doubling, then halving the gap (at most --capacity-steps steps)
  cc-5000      5,000 open chats (1,667 agents, 10,000 connections with idle visitors) at 500 lines/s
  cc-slot      with the 5,000 chats open and their lines flowing: 20 probe agents full in status Chat
               and a queue; a chat closed → the next queued chat offered to that agent, p99
  cc-login     with the 5,000 chats open and their lines flowing: 1,000 agents log in within 60 s;
               every log-in answered?, its p99, and the lines' p99 meanwhile
Prints tables, writes .cache/bench/bench-<time>.json, stops and drops everything it started.

Options:
  --phase NAMES        the phases above to run (default: all)
  --quick              smaller and shorter everything (a smoke run: 100 pairs, 200/1,000 chats, …)
  --pairs N            visitor/agent pairs of bare/full/encryption (default 500, quick 100)
  --rate N             target lines/s of their open-loop phase (default 3000, quick 1000)
  --connections N      idle connections to hold (default 12000, quick 2000)
  --measure S          measuring window per phase in seconds (default 15, quick 3); warm-up is a third
  --p99-bound MS       p99 bound of the capacity search (default 100)
  --capacity-start N   first rate of the capacity search (default 1000, quick 500)
  --capacity-steps N   most steps of the capacity search (default 8, quick 4)
  --no-relay           contact-center phases without the Redis-adapter relay pair
  --cpu-prof           run the cluster's services with node --cpu-prof; after the run, print the top
                       functions (self time) of each client-messenger node and routing
  --routing-only       the same as --phase routing
  --webhook-concurrency N   webhooks in flight in the WhatsApp phase (default 32, quick 16)
  --help               this text`;

interface Options {
  quick: boolean;
  phases: Set<string>;
  pairs: number;
  rate: number;
  connections: number;
  measureMs: number;
  warmupMs: number;
  webhookConcurrency: number;
  cpuProf: boolean;
  contactCenter: ContactCenterSizes;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const numeric = ['--pairs', '--rate', '--connections', '--measure', '--webhook-concurrency'];
  numeric.push('--p99-bound', '--capacity-start', '--capacity-steps');
  const flags = ['--quick', '--routing-only', '--no-relay', '--cpu-prof', '--phase'];
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} needs a positive number`);
    return parsed;
  };
  for (const arg of argv)
    if (arg.startsWith('--') && !numeric.includes(arg) && !flags.includes(arg))
      throw new Error(`unknown option ${arg} (see --help)`);
  const phases = new Set<string>();
  argv.forEach((arg, index) => {
    if (arg !== '--phase') return;
    for (const name of (argv[index + 1] ?? '').split(',').filter(Boolean)) {
      if (!(PHASES as readonly string[]).includes(name))
        throw new Error(`unknown phase ${name}: one of ${PHASES.join(', ')}`);
      phases.add(name);
    }
  });
  if (argv.includes('--routing-only')) phases.add('routing');
  if (phases.size === 0) PHASES.forEach((name) => phases.add(name));
  const measureMs = value('--measure', quick ? 3 : 15) * 1000;
  const warmupMs = Math.round(measureMs / 3);
  return {
    quick,
    phases,
    pairs: value('--pairs', quick ? 100 : 500),
    rate: value('--rate', quick ? 1000 : 3000),
    connections: value('--connections', quick ? 2000 : 12000),
    measureMs,
    warmupMs,
    webhookConcurrency: value('--webhook-concurrency', quick ? 16 : 32),
    cpuProf: argv.includes('--cpu-prof'),
    contactCenter: {
      smallChats: quick ? 200 : 1000,
      smallRate: quick ? 1000 : 3000,
      largeChats: quick ? 1000 : 5000,
      largeRate: 500,
      largeConnections: quick ? 2000 : 10_000,
      loginAgents: quick ? 100 : 1000,
      loginSpreadMs: quick ? 10_000 : 60_000,
      slotSamples: quick ? 20 : 100,
      p99BoundMs: value('--p99-bound', 100),
      capacityStart: value('--capacity-start', quick ? 500 : 1000),
      capacitySteps: value('--capacity-steps', quick ? 4 : 8),
      stepTiming: { warmupMs: quick ? 1000 : 3000, measureMs: quick ? 3000 : 8000 },
      timing: { warmupMs, measureMs },
      relay: !argv.includes('--no-relay'),
    },
  };
}

// --- main ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const options = parseOptions(argv);
  const want = (name: string) => options.phases.has(name);
  const contactCenter = CONTACT_CENTER_PHASES.some(want);
  progress(`phases: ${[...options.phases].join(', ')}`);
  // The run's own encryption keys (in-process routing, the cluster's services, the seeding connection).
  const keys = `bench:${generateKeyMaterial()}`;
  delete process.env.SWITCHBOARD_ENCRYPTION_KEY_FILE;
  delete process.env.SWITCHBOARD_ENCRYPTION_KEY_COMMAND;
  delete process.env.SWITCHBOARD_ENCRYPTION;
  process.env.SWITCHBOARD_ENCRYPTION_KEYS = keys;
  // The bench drives thousands of lines a second from one address: lift the abuse limits (docs/security.md).
  process.env.ACD_CHAT_RATELIMIT_SEND_PER10SECONDS = '10000';
  process.env.ACD_CHAT_RATELIMIT_TYPING_PER10SECONDS = '10000';
  process.env.ACD_CHAT_RATELIMIT_START_PERMINUTE = '100000';
  // Routing, first: in this process, before any other load exists on the machine.
  const routing = want('routing')
    ? await runRoutingBench({ agents: 100, queued: 1000, rounds: options.quick ? 100 : 300 }, progress)
    : undefined;
  if (!want('bare') && ![...options.phases].some((name) => CLUSTER_PHASES.has(name))) {
    if (routing) printRoutingReport(routing);
    writeReport({ date: new Date().toISOString(), options, routing }, options);
    return;
  }
  setClockTicks(Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100);

  const basePort = await freeBasePort();
  const suffix = randomUUID().slice(0, 8);
  const clusterDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const profileDir = join(clusterDir, 'cpu-profiles');
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_bench_${suffix}`;
  const clusterName = `switchboard-bench-${suffix}`;
  const environment = {
    ...process.env,
    CLUSTER_BASE_PORT: String(basePort),
    CLUSTER_DIR: clusterDir,
    CLUSTER_DATABASE_URL: databaseUrl,
    CLUSTER_HAZELCAST_CLUSTER_NAME: clusterName,
    ...(options.cpuProf
      ? {
          CLUSTER_NODE_ARGS:
            `${process.env.CLUSTER_NODE_ARGS ?? ''} --cpu-prof --cpu-prof-dir=${profileDir}`.trim(),
        }
      : {}),
  };
  const wsUrl = `http://127.0.0.1:${basePort}`;
  const cluster = (args: string[], extra: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) => {
      const child = spawn('bash', [join(ROOT, 'scripts/cluster.sh'), ...args], {
        cwd: ROOT,
        env: { ...environment, ...extra },
        stdio: ['ignore', 'inherit', 'inherit'],
      });
      child.on('exit', (code) =>
        code === 0 ? resolve() : reject(new Error(`cluster.sh ${args[0]} exited ${code}`)),
      );
    });

  let dataSource: DataSource | undefined;
  let hazelcast: Client | undefined;
  let clusterStarted = false;
  let restoreFlush: (() => Promise<unknown>) | undefined;
  const cleanup = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await hazelcast?.shutdown().catch(() => undefined);
    await restoreFlush?.().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    if (clusterStarted) {
      progress('stopping the cluster');
      await cluster(['stop']).catch((error: Error) => console.error(error.message));
    }
    await dropMysqlDatabase(databaseUrl).catch(() => undefined);
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    progress('interrupted: cleaning up');
    void cleanup()
      .finally(() => rmSync(clusterDir, { recursive: true, force: true }))
      .finally(() => process.exit(130));
  });

  const phases: PhaseReport[] = [];
  const ratios: Record<string, number | undefined> = {};
  let relayPair: ContactCenterSide | undefined;
  let stack: ContactCenterSide | undefined;
  let innodbFlushLogAtTrxCommit: number | undefined;
  let pairSessions: Record<string, number> | undefined;
  let idle: IdleReport | undefined;
  let whatsapp: WhatsappBenchResult | undefined;
  let profiles: Record<string, ProfileEntry[]> | undefined;
  const servicePids: Record<string, number> = {};
  try {
    // Baselines first, before the cluster exists: a bare socket.io process, the same generator.
    if (want('bare')) {
      const generator = new Generator('generator');
      const bare = await startBareRelay();
      const bareWatched: Watched = { generator: [generator.child.pid!], 'bare relay': [bare.child.pid!] };
      progress(`bare relay on port ${bare.port}: opening ${options.pairs} pairs`);
      await generator.ask({
        type: 'setup-bare',
        url: `http://127.0.0.1:${bare.port}`,
        pairs: options.pairs,
        sourceAddresses: SOURCE_ADDRESSES,
      });
      phases.push(await phase('bare relay, target rate', generator, 'rate', options, bareWatched));
      phases.push(await phase('bare relay, closed loop', generator, 'closed', options, bareWatched));
      await generator.ask({ type: 'close' });
      generator.stop();
      bare.child.kill('SIGTERM');
    }
    // The Redis-adapter relay pair at the contact-center shapes that were picked.
    if (contactCenter && options.contactCenter.relay)
      relayPair = await benchRelayPair(options.phases, options.contactCenter, clusterDir, HAPROXY_BIN);

    progress(`starting a local cluster on ports ${basePort}-${basePort + 9} (CLUSTER_DIR ${clusterDir})`);
    clusterStarted = true;
    await cluster(['start', '--no-build']);
    const pidOf = (name: string) => Number(readFileSync(join(clusterDir, 'run', `${name}.pid`), 'utf8'));
    const nodes = ['client-messenger-1', 'client-messenger-2'];

    dataSource = createDataSource(parseDatabaseUrl(databaseUrl));
    await dataSource.initialize();
    // Every acknowledged line on disk: innodb_flush_log_at_trx_commit=1 (a global variable in MariaDB,
    // no session scope). The run sets it when the server has another value and puts that back after.
    const flushRows: Array<{ value: string }> = await dataSource.query(
      'SELECT @@GLOBAL.innodb_flush_log_at_trx_commit AS value',
    );
    innodbFlushLogAtTrxCommit = Number(flushRows[0].value);
    if (innodbFlushLogAtTrxCommit !== 1) {
      const before = innodbFlushLogAtTrxCommit;
      progress(`innodb_flush_log_at_trx_commit is ${before}: SET GLOBAL to 1 for this run`);
      await dataSource.query('SET GLOBAL innodb_flush_log_at_trx_commit = 1');
      restoreFlush = () => dataSource!.query(`SET GLOBAL innodb_flush_log_at_trx_commit = ${before}`);
      innodbFlushLogAtTrxCommit = 1;
    }
    await startColumnEncryption(dataSource, KeyRing.fromEnvironmentValue(keys, 'bench keys'), true);
    await dataSource.query(
      'CREATE TABLE bench_probe (id INT AUTO_INCREMENT PRIMARY KEY, at BIGINT NOT NULL)',
    );
    const repositories = createRepositories(dataSource);
    const siteKey = `bench-${suffix}`;
    const site = await repositories.sites.create({ siteKey, name: 'Bench site', domain: 'bench.test' });
    const password = `bench-password-${suffix}`;
    const seedAgents = async (list: ReadonlyArray<{ username: string; password: string }>) => {
      for (let index = 0; index < list.length; index += 200) {
        const created = await Promise.all(
          list.slice(index, index + 200).map(({ username, password: secret }) =>
            repositories.operators.create({
              username,
              displayName: 'Bench Agent',
              password: secret,
              maxChats: CHATS_PER_AGENT,
            }),
          ),
        );
        await Promise.all(created.map((operator) => repositories.operators.setStatus(operator.id, 1)));
      }
    };
    const agentsNamed = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, index) => ({
        username: `bench-${prefix}-${suffix}-${index}`,
        password,
      }));
    hazelcast = await Client.newHazelcastClient({
      clusterName,
      network: { clusterMembers: [`127.0.0.1:${basePort + 7}`, `127.0.0.1:${basePort + 8}`] },
      properties: { 'hazelcast.logging.level': 'ERROR' },
    });
    progress(`seeded site ${siteKey}; innodb_flush_log_at_trx_commit=${innodbFlushLogAtTrxCommit}`);

    const mariadb = pidsByName(['mariadbd', 'mysqld']);
    const watched: Watched = {
      'client-messenger': nodes.map(pidOf),
      routing: [pidOf('routing')],
      'whatsapp+admin': [pidOf('whatsapp-connector'), pidOf('admin-api')],
      hazelcast: [pidOf('hazelcast-1'), pidOf('hazelcast-2')],
      haproxy: [pidOf('haproxy')],
      mariadb,
    };
    const probes = new Probes(dataSource, hazelcast);
    const evidence: ServerEvidence = {
      dataSource,
      nodeUrls: [`http://127.0.0.1:${basePort + 1}`, `http://127.0.0.1:${basePort + 2}`],
    };
    const haproxySockets = [join(clusterDir, 'run', 'haproxy.sock')];
    // One HAProxy process holds at most 9,984 connections (maxconn); a second one shares the port
    // (SO_REUSEPORT) with its own stats socket, so that more can be held.
    const haproxyRoom = async (connections: number) => {
      if (connections <= 9000 || haproxySockets.length > 1) return;
      const config = readFileSync(join(clusterDir, 'haproxy.cfg'), 'utf8');
      const second = join(clusterDir, 'run', 'haproxy-bench-2.sock');
      writeFileSync(
        join(clusterDir, 'haproxy-bench-2.cfg'),
        config.replace(join(clusterDir, 'run', 'haproxy.sock'), second),
      );
      const child = spawn(HAPROXY_BIN, ['-db', '-f', join(clusterDir, 'haproxy-bench-2.cfg')], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      haproxySockets.push(second);
      watched.haproxy.push(child.pid!);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      progress(`second HAProxy process (pid ${child.pid}) shares port ${basePort}`);
    };

    // Full stack: pairs, at the target rate, closed loop, half of the closed loop.
    if (want('full')) {
      const agents = agentsNamed('agent', Math.ceil(options.pairs / CHATS_PER_AGENT));
      await seedAgents(agents);
      const generator = new Generator('generator');
      progress(`full stack: opening ${options.pairs} pairs through HAProxy ${wsUrl}`);
      const setupFull = await generator.ask<{ sockets: number; elapsedMs: number }>({
        type: 'setup-switchboard',
        url: wsUrl,
        pairs: options.pairs,
        agents,
        chatsPerAgent: CHATS_PER_AGENT,
        siteKey,
        sourceAddresses: SOURCE_ADDRESSES,
      });
      pairSessions = await sessionsPerNode(haproxySockets);
      progress(
        `full stack: ${setupFull.sockets} sockets in ${(setupFull.elapsedMs / 1000).toFixed(1)} s; HAProxy sessions per node ${JSON.stringify(pairSessions)}`,
      );
      const fullWatched = { generator: [generator.child.pid!], ...watched };
      const fullRate = await phase(
        'full stack, target rate',
        generator,
        'rate',
        options,
        fullWatched,
        probes,
        evidence,
      );
      const fullClosed = await phase(
        'full stack, closed loop',
        generator,
        'closed',
        options,
        fullWatched,
        probes,
        evidence,
      );
      // Half of what the closed loop carried, open loop: the latency at a load the stack can hold.
      const sustainable = Math.max(1, Math.round(fullClosed.deliveredPerSecond / 2));
      const fullHalf = await phase(
        'full stack, half capacity',
        generator,
        'rate',
        options,
        fullWatched,
        probes,
        evidence,
        sustainable,
      );
      phases.push(fullRate, fullClosed, fullHalf);
      await generator.ask({ type: 'close' });
      generator.stop();
      const bareClosed = phases.find((report) => report.name === 'bare relay, closed loop');
      const bareRate = phases.find((report) => report.name === 'bare relay, target rate');
      ratios.closedLoopDelivered = ratio(fullClosed.deliveredPerSecond, bareClosed?.deliveredPerSecond);
      ratios.targetRateDelivered = ratio(fullRate.deliveredPerSecond, bareRate?.deliveredPerSecond);
    }

    // The cost of column encryption: the messenger nodes (which write every line) restart with it off,
    // fresh pairs run the target rate again, and the nodes restart with it on for the phases after.
    if (want('encryption')) {
      const restartMessengers = async (encryption: 'on' | 'off') => {
        for (const node of nodes) await cluster(['restart', node], { SWITCHBOARD_ENCRYPTION: encryption });
        watched['client-messenger'] = nodes.map(pidOf);
      };
      progress('encryption off: restarting the messenger nodes with SWITCHBOARD_ENCRYPTION=off');
      await restartMessengers('off');
      const agentsOff = agentsNamed('agent-off', Math.ceil(options.pairs / CHATS_PER_AGENT));
      await seedAgents(agentsOff);
      const generatorOff = new Generator('generator-off');
      await generatorOff.ask({
        type: 'setup-switchboard',
        url: wsUrl,
        pairs: options.pairs,
        agents: agentsOff,
        chatsPerAgent: CHATS_PER_AGENT,
        siteKey,
        sourceAddresses: SOURCE_ADDRESSES,
      });
      const fullRateOff = await phase(
        'full stack, encryption off',
        generatorOff,
        'rate',
        options,
        { ...watched, generator: [generatorOff.child.pid!] },
        probes,
        evidence,
      );
      phases.push(fullRateOff);
      await generatorOff.ask({ type: 'close' });
      generatorOff.stop();
      progress('encryption on again: restarting the messenger nodes');
      await restartMessengers('on');
      const fullRate = phases.find((report) => report.name === 'full stack, target rate');
      ratios.encryptionOnOffDelivered = ratio(fullRate?.deliveredPerSecond, fullRateOff.deliveredPerSecond);
      ratios.encryptionOnOffP99 = ratio(fullRate?.endToEnd.p99Ms, fullRateOff.endToEnd.p99Ms);
    }

    // Idle connections.
    if (want('idle')) {
      await haproxyRoom(options.connections);
      idle = await benchIdle(options, wsUrl, nodes.map(pidOf), nodes, watched, haproxySockets);
    }

    // The contact-center phases, each with every process of the cluster watched on its own.
    if (contactCenter) {
      const perProcess: Watched = { haproxy: watched.haproxy, mariadb };
      for (const name of [
        ...nodes,
        'routing',
        'whatsapp-connector',
        'admin-api',
        'hazelcast-1',
        'hazelcast-2',
      ])
        perProcess[name] = [pidOf(name)];
      stack = await benchContactCenter(options.phases, options.contactCenter, {
        wsUrl,
        siteKey,
        watched: perProcess,
        evidence,
        probes,
        seedAgents: async (prefix, count) => {
          const agents = agentsNamed(prefix, count);
          await seedAgents(agents);
          return agents;
        },
        haproxyRoom: async (connections) => {
          await haproxyRoom(connections);
          perProcess.haproxy = watched.haproxy;
        },
        sessionsPerNode: () => sessionsPerNode(haproxySockets),
      });
    }

    if (want('whatsapp')) {
      progress(`whatsapp: posting webhooks to ${wsUrl}/incoming, ${options.webhookConcurrency} in flight`);
      whatsapp = await benchWhatsapp({
        wsUrl,
        tyntecUrl: `http://127.0.0.1:${basePort + 9}`,
        clusterDir,
        dataSource,
        repositories,
        siteId: site.id,
        measureMs: options.measureMs,
        concurrency: options.webhookConcurrency,
        replies: options.quick ? 50 : 200,
      });
    }
  } finally {
    for (const name of ['client-messenger-1', 'client-messenger-2', 'routing'])
      try {
        servicePids[name] = Number(readFileSync(join(clusterDir, 'run', `${name}.pid`), 'utf8'));
      } catch {
        // not started
      }
    if (!interrupted) await cleanup();
  }
  // The services wrote their CPU profiles when they stopped; kept beside the report.
  if (options.cpuProf) {
    profiles = topFunctions(profileDir, servicePids, ROOT);
    const kept = join(ROOT, '.cache', 'bench', `cpu-profiles-${suffix}`);
    mkdirSync(kept, { recursive: true });
    cpSync(profileDir, kept, { recursive: true });
    progress(`CPU profiles of the services in ${kept} (open them in Chrome DevTools' Performance panel)`);
  }

  const report = {
    date: new Date().toISOString(),
    command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    machine: {
      cores: cpus().length,
      cpuModel: cpus()[0]?.model,
      memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
      node: process.version,
      openFilesLimit: Number((await run('bash', ['-c', 'ulimit -n'])).stdout.trim()),
      ephemeralPorts: readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim(),
      innodbFlushLogAtTrxCommit,
    },
    options: { ...options, phases: [...options.phases] },
    pairs: pairSessions && { count: options.pairs, haproxySessionsPerNode: pairSessions },
    phases,
    ratios,
    idle,
    contactCenter: stack && { stack, relayPair },
    cpuProfiles: profiles,
    routing,
    whatsapp,
  };
  printReport(report);
  if (stack) printContactCenter(stack, relayPair, options.contactCenter.p99BoundMs);
  if (profiles) printProfiles(profiles);
  if (routing) printRoutingReport(routing);
  writeReport(report, options);
  rmSync(clusterDir, { recursive: true, force: true });
  progress('done');
}

interface IdleReport {
  target: number;
  held: number;
  failures: number;
  errorSamples: string[];
  openSeconds: number;
  haproxyProcesses: number;
  perNode: Array<{
    node: string;
    sessions: number;
    rssBeforeMiB: number;
    rssAfterMiB: number;
    bytesPerConnection?: number;
  }>;
  nodesBytesPerConnection?: number;
  haproxyBytesPerConnection?: number;
  cpuWhileOpening: Record<string, number>;
}

/** Idle visitor connections held through HAProxy; the nodes' RSS before and after. */
async function benchIdle(
  options: Options,
  wsUrl: string,
  nodePids: number[],
  nodes: string[],
  watched: Watched,
  sockets: string[],
): Promise<IdleReport> {
  const rssBefore = nodePids.map(rssBytes);
  const haproxyRssBefore = watched.haproxy.reduce((sum, pid) => sum + rssBytes(pid), 0);
  const generatorCount = Math.ceil(options.connections / PER_GENERATOR_SOCKETS);
  const idleGenerators = Array.from(
    { length: generatorCount },
    (_, index) => new Generator(`idle-${index + 1}`),
  );
  const idleWatched: Watched = { ...watched, generator: idleGenerators.map((g) => g.child.pid!) };
  progress(`idle connections: opening ${options.connections} with ${generatorCount} generator process(es)`);
  const idleCpuBefore = sampleCpu(idleWatched);
  const idleStart = performance.now();
  const idleResults = await Promise.all(
    idleGenerators.map((g, index) =>
      g.ask<IdleResult>({
        type: 'open-idle',
        url: wsUrl,
        count:
          Math.floor(options.connections / generatorCount) +
          (index < options.connections % generatorCount ? 1 : 0),
        concurrency: 100,
        sourceAddresses: SOURCE_ADDRESSES,
      }),
    ),
  );
  const idleCpu = cpuShares(idleCpuBefore, sampleCpu(idleWatched), performance.now() - idleStart);
  await new Promise((resolve) => setTimeout(resolve, options.quick ? 1000 : 3000));
  const held = idleResults.reduce((sum, result) => sum + result.opened, 0);
  const idleSessions = await sessionsPerNode(sockets);
  const rssAfter = nodePids.map(rssBytes);
  const haproxyRssAfter = watched.haproxy.reduce((sum, pid) => sum + rssBytes(pid), 0);
  const perNode = nodes.map((node, index) => ({
    node,
    sessions: idleSessions[node] ?? 0,
    rssBeforeMiB: rssBefore[index] / 2 ** 20,
    rssAfterMiB: rssAfter[index] / 2 ** 20,
    bytesPerConnection: perItem(rssBefore[index], rssAfter[index], idleSessions[node] ?? 0),
  }));
  progress(
    `idle connections: held ${held} of ${options.connections}; sessions per node ${JSON.stringify(idleSessions)}`,
  );
  await Promise.all(idleGenerators.map((g) => g.ask({ type: 'close' })));
  idleGenerators.forEach((g) => g.stop());
  const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
  return {
    target: options.connections,
    held,
    failures: idleResults.reduce((total, result) => total + result.failures, 0),
    errorSamples: [...new Set(idleResults.flatMap((result) => result.errorSamples))],
    openSeconds: Math.max(...idleResults.map((result) => result.elapsedMs)) / 1000,
    haproxyProcesses: sockets.length,
    perNode,
    nodesBytesPerConnection: perItem(
      sum(rssBefore),
      sum(rssAfter),
      sum(nodes.map((node) => idleSessions[node] ?? 0)),
    ),
    haproxyBytesPerConnection: perItem(haproxyRssBefore, haproxyRssAfter, held),
    cpuWhileOpening: idleCpu,
  };
}

function printProfiles(profiles: Record<string, ProfileEntry[]>): void {
  console.log('CPU profiles (--cpu-prof, the whole life of each process), top functions by self time:');
  for (const [process, functions] of Object.entries(profiles)) {
    console.log(`  ${process}:`);
    for (const entry of functions)
      console.log(
        `    ${(entry.share * 100).toFixed(1).padStart(5)} %  ${fmt(entry.selfMs).padStart(7)} ms  ${entry.name}`,
      );
  }
  console.log('');
}

function writeReport(
  report: { date: string; routing?: RoutingBenchReport; options: unknown },
  options: Options,
): void {
  const outDir = join(ROOT, '.cache', 'bench');
  mkdirSync(outDir, { recursive: true });
  const all = options.phases.size === PHASES.length;
  const kind = `${all ? '' : `-${[...options.phases].join('-')}`}${options.quick ? '-quick' : ''}`;
  const file = join(outDir, `bench-${report.date.replace(/[:.]/g, '-')}${kind}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${file}`);
}

function printReport(report: {
  machine: { cores: number; node: string; cpuModel?: string };
  pairs?: { count: number; haproxySessionsPerNode: Record<string, number> };
  phases: PhaseReport[];
  ratios: {
    closedLoopDelivered?: number;
    targetRateDelivered?: number;
    encryptionOnOffDelivered?: number;
    encryptionOnOffP99?: number;
  };
  idle?: {
    target: number;
    held: number;
    failures: number;
    errorSamples: string[];
    haproxyProcesses: number;
    perNode: Array<{
      node: string;
      sessions: number;
      rssBeforeMiB: number;
      rssAfterMiB: number;
      bytesPerConnection?: number;
    }>;
    haproxyBytesPerConnection?: number;
    nodesBytesPerConnection?: number;
  };
  whatsapp?: WhatsappBenchResult;
}): void {
  const line = (cells: string[], widths: number[]) =>
    cells
      .map((cell, index) => (index === 0 ? cell.padEnd(widths[index]) : cell.padStart(widths[index])))
      .join('  ');
  const widths = [26, 8, 8, 9, 9, 9, 9, 9, 7];
  console.log('');
  console.log(
    `Machine: ${report.machine.cores} cores (${report.machine.cpuModel ?? '?'}), Node ${report.machine.node}`,
  );
  if (report.pairs)
    console.log(
      `Pairs: ${report.pairs.count}; HAProxy sessions per node: ${JSON.stringify(report.pairs.haproxySessionsPerNode)}`,
    );
  console.log('');
  if (report.phases.length === 0) return printRest(report);
  console.log(
    line(
      ['phase', 'target/s', 'sent/s', 'acked/s', 'deliv/s', 'p50 ms', 'p99 ms', 'ack p99', 'err+to'],
      widths,
    ),
  );
  for (const phase of report.phases)
    console.log(
      line(
        [
          phase.name,
          phase.targetLinesPerSecond === null ? 'max' : String(phase.targetLinesPerSecond),
          fmt(phase.sentPerSecond),
          fmt(phase.ackedPerSecond),
          fmt(phase.deliveredPerSecond),
          fmt(phase.endToEnd.p50Ms, 1),
          fmt(phase.endToEnd.p99Ms, 1),
          fmt(phase.ack.p99Ms, 1),
          String(phase.errors + phase.timeouts),
        ],
        widths,
      ),
    );
  console.log('');
  console.log(`CPU (cores busy, of ${report.machine.cores}) during each window:`);
  for (const phase of report.phases)
    console.log(
      `  ${phase.name.padEnd(26)} ${Object.entries(phase.cpu)
        .map(([name, share]) => `${name} ${share.toFixed(2)}`)
        .join(', ')}`,
    );
  for (const phase of report.phases)
    if (phase.probes)
      console.log(
        `  ${phase.name.padEnd(26)} MariaDB insert+commit p50/p99 ${fmt(phase.probes.commit.p50Ms, 1)}/${fmt(phase.probes.commit.p99Ms, 1)} ms, Hazelcast put p50/p99 ${fmt(phase.probes.hazelcast.p50Ms, 1)}/${fmt(phase.probes.hazelcast.p99Ms, 1)} ms`,
      );
  for (const phase of report.phases) {
    if (phase.mariadbPerSecond)
      console.log(
        `  ${phase.name.padEnd(26)} MariaDB per s: ${Object.entries(phase.mariadbPerSecond)
          .map(([name, value]) => `${name} ${fmt(value)}`)
          .join(', ')}`,
      );
    if (phase.nodes)
      console.log(
        `  ${phase.name.padEnd(26)} nodes: ${phase.nodes
          .map(
            (node, index) =>
              `#${index + 1} event-loop lag p99 ${fmt(node.eventLoopLagP99Ms, 1)} ms, stream delay ${fmt(node.meanLineStreamDelayMs, 1)} ms`,
          )
          .join('; ')}`,
      );
  }
  console.log('');
  printRest(report);
}

function printRest(report: Parameters<typeof printReport>[0]): void {
  console.log(
    `Full stack / bare, lines delivered per second: closed loop ${fmt(report.ratios.closedLoopDelivered, 3)}, at the target rate ${fmt(report.ratios.targetRateDelivered, 3)}`,
  );
  console.log(
    `Encryption on / off at the target rate: lines delivered per second ${fmt(report.ratios.encryptionOnOffDelivered, 3)}, p99 ${fmt(report.ratios.encryptionOnOffP99, 3)}`,
  );
  const idle = report.idle;
  if (idle) {
    console.log(
      `Idle connections through ${idle.haproxyProcesses} HAProxy process(es): held ${idle.held} of ${idle.target} (failures ${idle.failures}${idle.errorSamples.length ? `: ${idle.errorSamples.join('; ')}` : ''})`,
    );
    for (const node of idle.perNode)
      console.log(
        `  ${node.node}: ${node.sessions} sessions, RSS ${fmt(node.rssBeforeMiB)} → ${fmt(node.rssAfterMiB)} MiB, ${fmt((node.bytesPerConnection ?? NaN) / 1024, 1)} KiB per connection`,
      );
    console.log(
      `  both nodes: ${fmt((idle.nodesBytesPerConnection ?? NaN) / 1024, 1)} KiB RSS per connection; HAProxy: ${fmt((idle.haproxyBytesPerConnection ?? NaN) / 1024, 1)} KiB`,
    );
  }
  const whatsapp = report.whatsapp;
  if (whatsapp) {
    console.log(
      `WhatsApp webhooks through HAProxy: ${whatsapp.webhooks} posted (${whatsapp.errors} not 200), ${fmt(whatsapp.answeredPerSecond)}/s answered, p50 ${fmt(whatsapp.answer.p50Ms, 1)} ms, p99 ${fmt(whatsapp.answer.p99Ms, 1)} ms to the 2xx; stored and routed ${fmt(whatsapp.storedAndRoutedPerSecond)}/s (all processed after ${fmt(whatsapp.drainSeconds, 1)} s)`,
    );
    console.log(
      `WhatsApp replies: agent's chat:send → fake TynTec's 202: p50 ${fmt(whatsapp.replyToAccept.p50Ms, 1)} ms, p99 ${fmt(whatsapp.replyToAccept.p99Ms, 1)} ms (${whatsapp.replyToAccept.count} replies)`,
    );
  }
  console.log('');
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
