// `npm run bench`: the full stack (HAProxy → 2 client-messenger nodes → Hazelcast + MariaDB) against a bare
// socket.io relay, driven by the same forked load generator; see docs/benchmarks.md.
import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  generateKeyMaterial,
  KeyRing,
  parseDatabaseUrl,
  startColumnEncryption,
} from '@switchboard/persistence';
import { execFile, fork, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { Client } from 'hazelcast-client';
import type { DataSource } from 'typeorm';
import type { GeneratorCommand, GeneratorReply, IdleResult, PhaseResult } from './generator-protocol';
import { printRoutingReport, runRoutingBench, type RoutingBenchReport } from './routing-bench';
import { cpuShare, fmt, perItem, ratePerSecond, ratio, summarize, type LatencySummary } from './stats';
import { benchWhatsapp, type WhatsappBenchResult } from './whatsapp-bench';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..', '..');
const HAPROXY_BIN = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';
const SOURCE_ADDRESSES = 50;
const PER_GENERATOR_SOCKETS = 9000;
const CHATS_PER_AGENT = 3; // 20,000 open files per process: stay well under it.

const HELP = `Usage: npm run bench [-- --quick] [-- options]

Starts its own local cluster (scripts/cluster.sh on free ports, own CLUSTER_DIR, database and
Hazelcast cluster name), seeds a site and an agent, then measures through HAProxy's ws port:
  1. full stack: N visitor/agent pairs exchange lines, at a target rate (open loop) and as fast as
     acknowledgements allow (closed loop: each side sends its next line when the last is acked),
     then open loop at half of what the closed loop carried; column encryption is on (the default)
     throughout, then the messenger nodes restart with SWITCHBOARD_ENCRYPTION=off and fresh pairs
     run the target rate again (the cost of encryption), and the nodes restart with it on;
  2. idle visitor connections held through HAProxy (a second HAProxy process shares the port),
     memory per connection on the client-messenger nodes;
  3. baseline: a bare socket.io relay (one process, no DB, no cluster), same generator, same pairs;
  4. routing: the routing module in this process on its own MariaDB database, 100 agents and 1,000
     queued chats: request → offer and slot freed → offer latency, decisions per second, against the
     pure planOffers decision over the same numbers as its baseline.
  5. WhatsApp: TynTec webhooks posted to HAProxy's /incoming (answered, stored, routed into chats)
     by --webhook-concurrency senders, and an agent's replies timed to the fake TynTec's 202.
Prints a table, writes .cache/bench/bench-<time>.json, stops and drops everything it started.

Options:
  --quick              ≤ 1 minute: fewer pairs, connections and shorter windows
  --pairs N            visitor/agent pairs (default 500, quick 100)
  --rate N             target lines/s of the open-loop phase (default 3000, quick 1000)
  --connections N      idle connections to hold (default 12000, quick 2000)
  --measure S          measuring window per phase in seconds (default 15, quick 2); warm-up is a third
  --routing-only       only the routing part (no cluster, no HAProxy; about 30 s)
  --webhook-concurrency N   webhooks in flight in the WhatsApp phase (default 32, quick 16)
  --help               this text`;

interface Options {
  quick: boolean;
  routingOnly: boolean;
  pairs: number;
  rate: number;
  connections: number;
  measureMs: number;
  warmupMs: number;
  webhookConcurrency: number;
}

function parseOptions(argv: string[]): Options {
  const quick = argv.includes('--quick');
  const value = (name: string, fallback: number) => {
    const index = argv.indexOf(name);
    if (index < 0) return fallback;
    const parsed = Number(argv[index + 1]);
    if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name} needs a positive number`);
    return parsed;
  };
  for (const arg of argv)
    if (
      arg.startsWith('--') &&
      ![
        '--quick',
        '--routing-only',
        '--pairs',
        '--rate',
        '--connections',
        '--measure',
        '--webhook-concurrency',
      ].includes(arg)
    )
      throw new Error(`unknown option ${arg} (see --help)`);
  const measureMs = value('--measure', quick ? 2 : 15) * 1000;
  return {
    quick,
    routingOnly: argv.includes('--routing-only'),
    pairs: value('--pairs', quick ? 100 : 500),
    rate: value('--rate', quick ? 1000 : 3000),
    connections: value('--connections', quick ? 2000 : 12000),
    measureMs,
    warmupMs: Math.round(measureMs / 3),
    webhookConcurrency: value('--webhook-concurrency', quick ? 16 : 32),
  };
}

const startedAt = performance.now();
function progress(text: string): void {
  console.log(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${text}`);
}

// --- processes -------------------------------------------------------------------------------------

const children: ChildProcess[] = [];

class Generator {
  private pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  readonly child: ChildProcess;

  constructor(readonly name: string) {
    this.child = fork(join(__dirname, 'generator.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children.push(this.child);
    this.child.on('message', (message: GeneratorReply) => {
      if (message.type === 'progress') return progress(`${name}: ${message.text}`);
      const pending = this.pending;
      this.pending = undefined;
      if (message.type === 'done') pending?.resolve(message.result);
      else pending?.reject(new Error(`${name}: ${message.message}`));
    });
    this.child.on('exit', (code) => this.pending?.reject(new Error(`${name} exited with ${code}`)));
  }

  ask<T>(command: GeneratorCommand): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending = { resolve: resolve as (value: unknown) => void, reject };
      this.child.send(command);
    });
  }

  stop(): void {
    this.child.kill('SIGTERM');
  }
}

function startBareRelay(): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'bare-relay.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`bare relay exited with ${code}`)));
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(false)));
    socket.once('error', () => done(true));
  });
}

async function freeBasePort(): Promise<number> {
  for (let base = 5700; base < 6990; base += 10) {
    const free = await Promise.all(Array.from({ length: 10 }, (_, offset) => isPortFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no ten free ports between 5700 and 6999');
}

// --- /proc readings --------------------------------------------------------------------------------

let clockTicks = 100;

function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function pidsByName(names: string[]): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (names.includes(readFileSync(`/proc/${entry}/comm`, 'utf8').trim())) found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

type Watched = Record<string, number[]>;

/** Busy ticks of the whole machine (all cores, every process: other work on the box shows up here). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return total - fields[3] - fields[4]; // minus idle and iowait
}

function sampleCpu(watched: Watched): Record<string, number> {
  return {
    ...Object.fromEntries(
      Object.entries(watched).map(([name, pids]) => [
        name,
        pids.reduce((sum, pid) => sum + cpuTicks(pid), 0),
      ]),
    ),
    'whole machine': machineBusyTicks(),
  };
}

function cpuShares(before: Record<string, number>, after: Record<string, number>, windowMs: number) {
  const shares: Record<string, number> = Object.fromEntries(
    Object.keys(before).map((name) => [
      name,
      Number(cpuShare(before[name], after[name], windowMs, clockTicks).toFixed(3)),
    ]),
  );
  // Everything else on the box (other people's test runs, the kernel): whole machine minus the watched.
  const watchedSum = Object.entries(shares)
    .filter(([name]) => name !== 'whole machine')
    .reduce((sum, [, share]) => sum + share, 0);
  shares['other processes'] = Number(Math.max(0, shares['whole machine'] - watchedSum).toFixed(3));
  return shares;
}

// --- HAProxy stats socket --------------------------------------------------------------------------

function haproxyCommand(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let output = '';
    socket.on('data', (chunk) => (output += chunk.toString()));
    socket.on('end', () => resolve(output));
    socket.on('error', reject);
    socket.write(`${command}\n`);
  });
}

/** Current sessions per client-messenger server, summed over the HAProxy processes. */
async function sessionsPerNode(socketPaths: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const path of socketPaths) {
    const csv = await haproxyCommand(path, 'show stat');
    const rows = csv.split('\n').filter((row) => row && !row.startsWith('#'));
    for (const row of rows) {
      const fields = row.split(',');
      if (fields[1].startsWith('client-messenger-'))
        counts[fields[1]] = (counts[fields[1]] ?? 0) + Number(fields[4]);
    }
  }
  return counts;
}

// --- probes: MariaDB commit and Hazelcast round trips while the full stack is loaded ----------------

class Probes {
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  commitMs: number[] = [];
  hazelcastMs: number[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly hazelcast: Client,
  ) {}

  start(): void {
    this.commitMs = [];
    this.hazelcastMs = [];
    const map = this.hazelcast.getMap<string, number>('bench-probe');
    this.timer = setInterval(() => {
      if (this.busy) return;
      this.busy = true;
      void (async () => {
        try {
          let begin = performance.now();
          await this.dataSource.query('INSERT INTO bench_probe (at) VALUES (?)', [Date.now()]);
          this.commitMs.push(performance.now() - begin);
          const probeMap = await map;
          begin = performance.now();
          await probeMap.put('probe', Date.now());
          this.hazelcastMs.push(performance.now() - begin);
        } finally {
          this.busy = false;
        }
      })();
    }, 100);
  }

  stop(): { commit: LatencySummary; hazelcast: LatencySummary } {
    clearInterval(this.timer);
    return { commit: summarize(this.commitMs), hazelcast: summarize(this.hazelcastMs) };
  }
}

// --- server-side evidence: MariaDB status counters and the nodes' /metrics --------------------------

const DB_COUNTERS = [
  'Com_commit',
  'Innodb_row_lock_waits',
  'Innodb_row_lock_time',
  'Innodb_data_fsyncs',
  'Questions',
];

async function dbCounters(dataSource: DataSource): Promise<Record<string, number>> {
  const rows: Array<{ Variable_name: string; Value: string }> = await dataSource.query(
    `SHOW GLOBAL STATUS WHERE Variable_name IN (${DB_COUNTERS.map(() => '?').join(',')})`,
    DB_COUNTERS,
  );
  return Object.fromEntries(rows.map((row) => [row.Variable_name, Number(row.Value)]));
}

/** Reads a node's Prometheus text: the event-loop lag p99 and the cluster stream's delay (sum, count) for lines. */
async function nodeMetrics(
  url: string,
): Promise<{ eventLoopLagP99Ms: number; lineDelaySum: number; lineDelayCount: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? NaN);
  return {
    eventLoopLagP99Ms: value(/^nodejs_eventloop_lag_p99_seconds\{[^}]*\} ([\d.e+-]+)$/m) * 1000,
    lineDelaySum: value(
      /^switchboard_cluster_event_delay_seconds_sum\{[^}]*type="chat\.line"[^}]*\} ([\d.e+-]+)$/m,
    ),
    lineDelayCount: value(
      /^switchboard_cluster_event_delay_seconds_count\{[^}]*type="chat\.line"[^}]*\} ([\d.e+-]+)$/m,
    ),
  };
}

interface ServerEvidence {
  readonly dataSource: DataSource;
  readonly nodeUrls: string[];
}

// --- phases ----------------------------------------------------------------------------------------

interface PhaseReport {
  readonly name: string;
  readonly mode: 'rate' | 'closed';
  readonly targetLinesPerSecond: number | null;
  readonly windowMs: number;
  readonly sentPerSecond: number;
  readonly ackedPerSecond: number;
  readonly deliveredPerSecond: number;
  readonly endToEnd: LatencySummary;
  readonly ack: LatencySummary;
  readonly errors: number;
  readonly timeouts: number;
  readonly skippedPerSecond: number;
  readonly errorSamples: string[];
  readonly cpu: Record<string, number>;
  readonly probes?: { commit: LatencySummary; hazelcast: LatencySummary };
  /** Per second over the window: commits, row-lock waits and their total wait (ms), fsyncs, statements. */
  readonly mariadbPerSecond?: Record<string, number>;
  /** Per node: event-loop lag p99 at the end of the window, mean stream delay of the window's lines. */
  readonly nodes?: Array<{ eventLoopLagP99Ms: number; meanLineStreamDelayMs: number | undefined }>;
}

async function phase(
  name: string,
  generator: Generator,
  mode: 'rate' | 'closed',
  options: Options,
  watched: Watched,
  probes?: Probes,
  evidence?: ServerEvidence,
  rate = options.rate,
): Promise<PhaseReport> {
  progress(
    `${name}: ${mode === 'rate' ? `${rate} lines/s open loop` : 'closed loop'}, warm-up ${options.warmupMs / 1000} s, measuring ${options.measureMs / 1000} s`,
  );
  const running = generator.ask<PhaseResult>({
    type: 'run',
    mode,
    linesPerSecond: rate,
    warmupMs: options.warmupMs,
    measureMs: options.measureMs,
  });
  await new Promise((resolve) => setTimeout(resolve, options.warmupMs));
  const cpuBefore = sampleCpu(watched);
  const cpuStart = performance.now();
  probes?.start();
  const dbBefore = evidence && (await dbCounters(evidence.dataSource));
  const nodesBefore = evidence && (await Promise.all(evidence.nodeUrls.map(nodeMetrics)));
  await new Promise((resolve) => setTimeout(resolve, options.measureMs - (performance.now() - cpuStart)));
  const cpuAfter = sampleCpu(watched);
  const cpuWindow = performance.now() - cpuStart;
  const dbAfter = evidence && (await dbCounters(evidence.dataSource));
  const nodesAfter = evidence && (await Promise.all(evidence.nodeUrls.map(nodeMetrics)));
  const probed = probes?.stop();
  const result = await running;
  const report: PhaseReport = {
    name,
    mode,
    targetLinesPerSecond: mode === 'rate' ? rate : null,
    windowMs: Math.round(result.windowMs),
    sentPerSecond: ratePerSecond(result.sent, result.windowMs),
    ackedPerSecond: ratePerSecond(result.acked, result.windowMs),
    deliveredPerSecond: ratePerSecond(result.delivered, result.windowMs),
    endToEnd: summarize(result.latenciesMs),
    ack: summarize(result.ackLatenciesMs),
    errors: result.errors,
    timeouts: result.timeouts,
    skippedPerSecond: ratePerSecond(result.skipped, result.windowMs),
    errorSamples: result.errorSamples,
    cpu: cpuShares(cpuBefore, cpuAfter, cpuWindow),
    probes: probed,
    mariadbPerSecond:
      dbBefore &&
      dbAfter &&
      Object.fromEntries(
        DB_COUNTERS.map((name) => [
          name,
          Number(ratePerSecond(dbAfter[name] - dbBefore[name], cpuWindow).toFixed(1)),
        ]),
      ),
    nodes:
      nodesBefore &&
      nodesAfter?.map((after, index) => ({
        eventLoopLagP99Ms: Number(after.eventLoopLagP99Ms.toFixed(1)),
        meanLineStreamDelayMs: ratio(
          (after.lineDelaySum - nodesBefore[index].lineDelaySum) * 1000,
          after.lineDelayCount - nodesBefore[index].lineDelayCount,
        ),
      })),
  };
  progress(
    `${name}: delivered ${fmt(report.deliveredPerSecond)} lines/s, acked ${fmt(report.ackedPerSecond)}/s, p50 ${fmt(report.endToEnd.p50Ms, 1)} ms, p99 ${fmt(report.endToEnd.p99Ms, 1)} ms, errors ${report.errors}, timeouts ${report.timeouts}, skipped ${fmt(report.skippedPerSecond)}/s (backlog cap)`,
  );
  return report;
}

// --- main ------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const options = parseOptions(argv);
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
  // 4. Routing, first: in this process, before any other load exists on the machine.
  const routing = await runRoutingBench(
    { agents: 100, queued: 1000, rounds: options.quick ? 100 : 300 },
    progress,
  );
  if (options.routingOnly) {
    printRoutingReport(routing);
    writeReport({ date: new Date().toISOString(), options, routing }, options);
    return;
  }
  clockTicks = Number((await run('getconf', ['CLK_TCK'])).stdout.trim()) || 100;

  const basePort = await freeBasePort();
  const suffix = randomUUID().slice(0, 8);
  const clusterDir = mkdtempSync(join(tmpdir(), 'switchboard-bench-'));
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_bench_${suffix}`;
  const clusterName = `switchboard-bench-${suffix}`;
  const environment = {
    ...process.env,
    CLUSTER_BASE_PORT: String(basePort),
    CLUSTER_DIR: clusterDir,
    CLUSTER_DATABASE_URL: databaseUrl,
    CLUSTER_HAZELCAST_CLUSTER_NAME: clusterName,
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
  const cleanup = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
    await hazelcast?.shutdown().catch(() => undefined);
    await dataSource?.destroy().catch(() => undefined);
    if (clusterStarted) {
      progress('stopping the cluster');
      await cluster(['stop']).catch((error: Error) => console.error(error.message));
    }
    await dropMysqlDatabase(databaseUrl).catch(() => undefined);
    rmSync(clusterDir, { recursive: true, force: true });
  };
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    progress('interrupted: cleaning up');
    void cleanup().finally(() => process.exit(130));
  });

  try {
    // 3. Baseline first, before the cluster exists: one bare socket.io process, the same generator.
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
    const bareRate = await phase('bare relay, target rate', generator, 'rate', options, bareWatched);
    const bareClosed = await phase('bare relay, closed loop', generator, 'closed', options, bareWatched);
    await generator.ask({ type: 'close' });
    bare.child.kill('SIGTERM');

    progress(`starting a local cluster on ports ${basePort}-${basePort + 8} (CLUSTER_DIR ${clusterDir})`);
    clusterStarted = true;
    await cluster(['start', '--no-build']);
    const pidOf = (name: string) => Number(readFileSync(join(clusterDir, 'run', `${name}.pid`), 'utf8'));
    const nodes = ['client-messenger-1', 'client-messenger-2'];

    dataSource = createDataSource(parseDatabaseUrl(databaseUrl));
    await dataSource.initialize();
    await startColumnEncryption(dataSource, KeyRing.fromEnvironmentValue(keys, 'bench keys'), true);
    await dataSource.query(
      'CREATE TABLE bench_probe (id INT AUTO_INCREMENT PRIMARY KEY, at BIGINT NOT NULL)',
    );
    const repositories = createRepositories(dataSource);
    const siteKey = `bench-${suffix}`;
    const site = await repositories.sites.create({ siteKey, name: 'Bench site', domain: 'bench.test' });
    // Agents as in a contact center: one console connection each, holding CHATS_PER_AGENT chats.
    const agents = Array.from({ length: Math.ceil(options.pairs / CHATS_PER_AGENT) }, (_, index) => ({
      username: `bench-agent-${suffix}-${index}`,
      password: `bench-password-${suffix}`,
    }));
    const seedAgents = async (list: ReadonlyArray<{ username: string; password: string }>) => {
      const created = await Promise.all(
        list.map(({ username, password }) =>
          repositories.operators.create({
            username,
            displayName: 'Bench Agent',
            password,
            maxChats: CHATS_PER_AGENT,
          }),
        ),
      );
      await Promise.all(created.map((operator) => repositories.operators.setStatus(operator.id, 1)));
    };
    await seedAgents(agents);
    hazelcast = await Client.newHazelcastClient({
      clusterName,
      network: { clusterMembers: [`127.0.0.1:${basePort + 7}`, `127.0.0.1:${basePort + 8}`] },
      properties: { 'hazelcast.logging.level': 'ERROR' },
    });
    progress(`seeded site ${siteKey} and ${agents.length} agents (status Chat, maxChats ${CHATS_PER_AGENT})`);

    const mariadb = pidsByName(['mariadbd', 'mysqld']);
    const watched: Watched = {
      generator: [generator.child.pid!],
      'client-messenger': nodes.map(pidOf),
      routing: [pidOf('routing')],
      'whatsapp+admin': [pidOf('whatsapp-connector'), pidOf('admin-api')],
      hazelcast: [pidOf('hazelcast-1'), pidOf('hazelcast-2')],
      haproxy: [pidOf('haproxy')],
      mariadb,
    };

    // 1. Full stack.
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
    const pairSessions = await sessionsPerNode([join(clusterDir, 'run', 'haproxy.sock')]);
    progress(
      `full stack: ${setupFull.sockets} sockets in ${(setupFull.elapsedMs / 1000).toFixed(1)} s; HAProxy sessions per node ${JSON.stringify(pairSessions)}`,
    );
    const probes = new Probes(dataSource, hazelcast);
    const evidence: ServerEvidence = {
      dataSource,
      nodeUrls: [`http://127.0.0.1:${basePort + 1}`, `http://127.0.0.1:${basePort + 2}`],
    };
    const fullRate = await phase(
      'full stack, target rate',
      generator,
      'rate',
      options,
      watched,
      probes,
      evidence,
    );
    const fullClosed = await phase(
      'full stack, closed loop',
      generator,
      'closed',
      options,
      watched,
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
      watched,
      probes,
      evidence,
      sustainable,
    );
    await generator.ask({ type: 'close' });
    generator.stop();

    // 1b. The cost of column encryption: the messenger nodes (which write every line) restart with it
    // off, fresh pairs (fresh agents: the first ones are full) run the target rate again, and the nodes
    // restart with it on for the phases after.
    const restartMessengers = async (encryption: 'on' | 'off') => {
      for (const node of nodes) await cluster(['restart', node], { SWITCHBOARD_ENCRYPTION: encryption });
      watched['client-messenger'] = nodes.map(pidOf);
    };
    progress('encryption off: restarting the messenger nodes with SWITCHBOARD_ENCRYPTION=off');
    await restartMessengers('off');
    const agentsOff = agents.map(({ username, password }) => ({ username: `${username}-off`, password }));
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
    await generatorOff.ask({ type: 'close' });
    generatorOff.stop();
    progress('encryption on again: restarting the messenger nodes');
    await restartMessengers('on');

    // 2. Idle connections. One HAProxy process holds at most 9,984 (maxconn); a second one shares the
    //    port (SO_REUSEPORT) with its own stats socket, so that more can be held.
    const sockets = [join(clusterDir, 'run', 'haproxy.sock')];
    if (options.connections > 9000) {
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
      sockets.push(second);
      watched.haproxy.push(child.pid!);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      progress(`second HAProxy process (pid ${child.pid}) shares port ${basePort}`);
    }
    const rssBefore = Object.fromEntries(nodes.map((node) => [node, rssBytes(pidOf(node))]));
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
    const rssAfter = Object.fromEntries(nodes.map((node) => [node, rssBytes(pidOf(node))]));
    const haproxyRssAfter = watched.haproxy.reduce((sum, pid) => sum + rssBytes(pid), 0);
    const perNode = nodes.map((node) => ({
      node,
      sessions: idleSessions[node] ?? 0,
      rssBeforeMiB: rssBefore[node] / 2 ** 20,
      rssAfterMiB: rssAfter[node] / 2 ** 20,
      bytesPerConnection: perItem(rssBefore[node], rssAfter[node], idleSessions[node] ?? 0),
    }));
    const idle = {
      target: options.connections,
      held,
      failures: idleResults.reduce((sum, result) => sum + result.failures, 0),
      errorSamples: [...new Set(idleResults.flatMap((result) => result.errorSamples))],
      openSeconds: Math.max(...idleResults.map((result) => result.elapsedMs)) / 1000,
      haproxyProcesses: sockets.length,
      perNode,
      nodesBytesPerConnection: perItem(
        nodes.reduce((sum, node) => sum + rssBefore[node], 0),
        nodes.reduce((sum, node) => sum + rssAfter[node], 0),
        nodes.reduce((sum, node) => sum + (idleSessions[node] ?? 0), 0),
      ),
      haproxyBytesPerConnection: perItem(haproxyRssBefore, haproxyRssAfter, held),
      cpuWhileOpening: idleCpu,
    };
    progress(
      `idle connections: held ${held} of ${options.connections}; sessions per node ${JSON.stringify(idleSessions)}`,
    );
    await Promise.all(idleGenerators.map((g) => g.ask({ type: 'close' })));
    idleGenerators.forEach((g) => g.stop());

    // 4. WhatsApp.
    progress(`whatsapp: posting webhooks to ${wsUrl}/incoming, ${options.webhookConcurrency} in flight`);
    const whatsapp = await benchWhatsapp({
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

    // Report.
    const report = {
      date: new Date().toISOString(),
      command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
      machine: {
        cores: cpus().length,
        cpuModel: cpus()[0]?.model,
        memoryGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
        node: process.version,
        openFilesLimit: Number((await run('bash', ['-c', 'ulimit -n'])).stdout.trim()),
      },
      options,
      pairs: { count: options.pairs, haproxySessionsPerNode: pairSessions },
      phases: [bareRate, bareClosed, fullRate, fullClosed, fullHalf, fullRateOff],
      ratios: {
        closedLoopDelivered: ratio(fullClosed.deliveredPerSecond, bareClosed.deliveredPerSecond),
        targetRateDelivered: ratio(fullRate.deliveredPerSecond, bareRate.deliveredPerSecond),
        encryptionOnOffDelivered: ratio(fullRate.deliveredPerSecond, fullRateOff.deliveredPerSecond),
        encryptionOnOffP99: ratio(fullRate.endToEnd.p99Ms, fullRateOff.endToEnd.p99Ms),
      },
      idle,
      routing,
      whatsapp,
    };
    printReport(report);
    printRoutingReport(routing);
    writeReport(report, options);
  } finally {
    if (!interrupted) await cleanup();
  }
  progress('done');
}

function writeReport(
  report: { date: string; routing: RoutingBenchReport; options: Options },
  options: Options,
): void {
  const outDir = join(ROOT, '.cache', 'bench');
  mkdirSync(outDir, { recursive: true });
  const kind = options.routingOnly ? '-routing' : options.quick ? '-quick' : '';
  const file = join(outDir, `bench-${report.date.replace(/[:.]/g, '-')}${kind}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  progress(`wrote ${file}`);
}

function printReport(report: {
  machine: { cores: number; node: string; cpuModel?: string };
  pairs: { count: number; haproxySessionsPerNode: Record<string, number> };
  phases: PhaseReport[];
  ratios: {
    closedLoopDelivered?: number;
    targetRateDelivered?: number;
    encryptionOnOffDelivered?: number;
    encryptionOnOffP99?: number;
  };
  idle: {
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
  whatsapp: WhatsappBenchResult;
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
  console.log(
    `Pairs: ${report.pairs.count}; HAProxy sessions per node: ${JSON.stringify(report.pairs.haproxySessionsPerNode)}`,
  );
  console.log('');
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
  console.log(
    `Full stack / bare, lines delivered per second: closed loop ${fmt(report.ratios.closedLoopDelivered, 3)}, at the target rate ${fmt(report.ratios.targetRateDelivered, 3)}`,
  );
  console.log(
    `Encryption on / off at the target rate: lines delivered per second ${fmt(report.ratios.encryptionOnOffDelivered, 3)}, p99 ${fmt(report.ratios.encryptionOnOffP99, 3)}`,
  );
  const idle = report.idle;
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
  const whatsapp = report.whatsapp;
  console.log(
    `WhatsApp webhooks through HAProxy: ${whatsapp.webhooks} posted (${whatsapp.errors} not 200), ${fmt(whatsapp.answeredPerSecond)}/s answered, p50 ${fmt(whatsapp.answer.p50Ms, 1)} ms, p99 ${fmt(whatsapp.answer.p99Ms, 1)} ms to the 2xx; stored and routed ${fmt(whatsapp.storedAndRoutedPerSecond)}/s (all processed after ${fmt(whatsapp.drainSeconds, 1)} s)`,
  );
  console.log(
    `WhatsApp replies: agent's chat:send → fake TynTec's 202: p50 ${fmt(whatsapp.replyToAccept.p50Ms, 1)} ms, p99 ${fmt(whatsapp.replyToAccept.p99Ms, 1)} ms (${whatsapp.replyToAccept.count} replies)`,
  );
  console.log('');
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
