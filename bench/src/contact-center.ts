// The contact-center phases (issue 18): agents holding 3 chats each on one console connection, visitors
// spread over both nodes by HAProxy, every line persisted; and the same shapes on the Redis-adapter relay
// pair (two socket.io processes, @socket.io/redis-adapter, no persistence, behind their own HAProxy),
// measured by the same generator in the same run as the baseline. See docs/benchmarks.md.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LoginStormResult, SlotProbeResult } from './generator-protocol';
import { phase, type PhaseReport, type PhaseTiming, type Probes, type ServerEvidence } from './line-phase';
import {
  children,
  Generator,
  isPortFree,
  pidsByName,
  progress,
  startBareRelay,
  type Watched,
} from './processes';
import { fmt, summarize, type LatencySummary } from './stats';

export const CONTACT_CENTER_PHASES = ['cc-1000', 'cc-capacity', 'cc-5000', 'cc-slot', 'cc-login'] as const;
export type ContactCenterPhase = (typeof CONTACT_CENTER_PHASES)[number];

export const CHATS_PER_AGENT = 3;
const SOURCE_ADDRESSES = 50;

export interface ContactCenterSizes {
  /** cc-1000 and cc-capacity: open chats, and the rate of cc-1000. */
  readonly smallChats: number;
  readonly smallRate: number;
  /** cc-5000, cc-slot and cc-login: open chats, their line rate and the connections held in all. */
  readonly largeChats: number;
  readonly largeRate: number;
  readonly largeConnections: number;
  readonly loginAgents: number;
  readonly loginSpreadMs: number;
  readonly slotSamples: number;
  /** Capacity: the highest rate delivered in full with p99 at most this, searched from capacityStart. */
  readonly p99BoundMs: number;
  readonly capacityStart: number;
  readonly capacitySteps: number;
  readonly stepTiming: Omit<PhaseTiming, 'rate'>;
  readonly timing: Omit<PhaseTiming, 'rate'>;
  /** Skip the Redis-adapter relay pair (a quicker run that measures the stack alone). */
  readonly relay: boolean;
}

export interface CapacityStep {
  readonly rate: number;
  readonly passed: boolean;
  readonly report: PhaseReport;
}

export interface CapacityResult {
  readonly p99BoundMs: number;
  /** The highest rate that passed (delivered ≥ 98 % of it, no error or time-out, p99 ≤ the bound). */
  readonly linesPerSecond: number | undefined;
  readonly steps: CapacityStep[];
}

export interface ContactCenterSide {
  readonly setup?: Record<string, { chats: number; sockets: number; seconds: number }>;
  readonly cc1000?: PhaseReport;
  readonly capacity?: CapacityResult;
  readonly cc5000?: PhaseReport;
  readonly slot?: {
    readonly offer: LatencySummary;
    readonly closeAck: LatencySummary;
    readonly missed: number;
    readonly samples: number;
    readonly errorSamples: string[];
    readonly lines: PhaseReport;
  };
  readonly login?: {
    readonly attempted: number;
    readonly ok: number;
    readonly refused: number;
    readonly unanswered: number;
    readonly errorSamples: string[];
    readonly login: LatencySummary;
    readonly connect: LatencySummary;
    readonly seconds: number;
    readonly lines: PhaseReport;
  };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Open loop from capacityStart, doubling while a step passes, then halving the gap to the first failure. */
async function findCapacity(
  name: string,
  generator: Generator,
  watched: Watched,
  sizes: ContactCenterSizes,
  evidence?: ServerEvidence,
): Promise<CapacityResult> {
  const steps: CapacityStep[] = [];
  let best: number | undefined;
  let failed: number | undefined;
  let rate = sizes.capacityStart;
  for (let step = 0; step < sizes.capacitySteps; step += 1) {
    const report = await phase(
      `${name} @${rate}/s`,
      generator,
      'rate',
      { rate, ...sizes.stepTiming },
      watched,
      undefined,
      evidence,
      rate,
    );
    const passed =
      report.deliveredPerSecond >= 0.98 * rate &&
      report.errors + report.timeouts === 0 &&
      (report.endToEnd.p99Ms ?? Infinity) <= sizes.p99BoundMs;
    steps.push({ rate, passed, report });
    if (passed) best = Math.max(best ?? 0, rate);
    else failed = Math.min(failed ?? Infinity, rate);
    if (failed === undefined) rate *= 2;
    else if (best === undefined) {
      if (rate <= 100) break;
      rate = Math.round(rate / 2);
    } else {
      if (failed - best <= best * 0.1) break;
      rate = Math.round((best + failed) / 2);
    }
  }
  progress(`${name}: capacity ${fmt(best)} lines/s with p99 ≤ ${sizes.p99BoundMs} ms`);
  return { p99BoundMs: sizes.p99BoundMs, linesPerSecond: best, steps };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    if (!(await isPortFree(port))) return;
    await wait(100);
  }
  throw new Error(`nothing listens on port ${port}`);
}

/** Two relay processes on the machine's Redis behind one HAProxy process (leastconn, as the cluster's). */
async function startRelayPair(
  directory: string,
  haproxyBin: string,
  redisUrl: string,
): Promise<{ url: string; watched: Watched; stop: () => void }> {
  const key = `switchboard-bench-${process.pid}-${Date.now()}`;
  const relays = await Promise.all([
    startBareRelay({ url: redisUrl, key }),
    startBareRelay({ url: redisUrl, key }),
  ]);
  const port = await freePort();
  const config = join(directory, 'haproxy-relay-pair.cfg');
  writeFileSync(
    config,
    [
      'global',
      '    maxconn 9000',
      'defaults',
      '    mode http',
      '    timeout connect 5s',
      '    timeout client 1h',
      '    timeout server 1h',
      '    timeout tunnel 1h',
      'frontend relay',
      `    bind 127.0.0.1:${port}`,
      '    default_backend relays',
      'backend relays',
      '    balance leastconn',
      ...relays.map((relay, index) => `    server relay-${index + 1} 127.0.0.1:${relay.port}`),
      '',
    ].join('\n'),
  );
  const haproxy: ChildProcess = spawn(haproxyBin, ['-db', '-f', config], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(haproxy);
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    watched: {
      'relay-1': [relays[0].child.pid!],
      'relay-2': [relays[1].child.pid!],
      'redis-server': pidsByName(['redis-server']),
      haproxy: [haproxy.pid!],
    },
    stop: () => {
      for (const child of [haproxy, ...relays.map((relay) => relay.child)]) child.kill('SIGTERM');
    },
  };
}

/** The Redis-adapter relay pair at the shapes of the selected contact-center phases. */
export async function benchRelayPair(
  selected: ReadonlySet<string>,
  sizes: ContactCenterSizes,
  directory: string,
  haproxyBin: string,
): Promise<ContactCenterSide> {
  const pair = await startRelayPair(
    directory,
    haproxyBin,
    process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379',
  );
  progress(`Redis-adapter relay pair behind HAProxy at ${pair.url}`);
  const result: {
    setup: NonNullable<ContactCenterSide['setup']>;
    cc1000?: PhaseReport;
    capacity?: CapacityResult;
    cc5000?: PhaseReport;
  } = { setup: {} };
  const shape = async (chats: number, run: (generator: Generator, watched: Watched) => Promise<void>) => {
    const generator = new Generator(`relay-generator-${chats}`);
    const begin = Date.now();
    const setup = await generator.ask<{ sockets: number; elapsedMs: number }>({
      type: 'setup-bare',
      url: pair.url,
      pairs: chats,
      chatsPerAgent: CHATS_PER_AGENT,
      sourceAddresses: SOURCE_ADDRESSES,
    });
    result.setup[String(chats)] = { chats, sockets: setup.sockets, seconds: (Date.now() - begin) / 1000 };
    progress(`relay pair: ${chats} chats on ${setup.sockets} sockets`);
    await run(generator, { generator: [generator.child.pid!], ...pair.watched });
    await generator.ask({ type: 'close' });
    generator.stop();
  };
  try {
    if (selected.has('cc-1000') || selected.has('cc-capacity'))
      await shape(sizes.smallChats, async (generator, watched) => {
        if (selected.has('cc-1000'))
          result.cc1000 = await phase(
            `relay pair, ${sizes.smallChats} chats`,
            generator,
            'rate',
            { rate: sizes.smallRate, ...sizes.timing },
            watched,
          );
        if (selected.has('cc-capacity'))
          result.capacity = await findCapacity(
            `relay pair capacity, ${sizes.smallChats} chats`,
            generator,
            watched,
            sizes,
          );
      });
    if (selected.has('cc-5000') || selected.has('cc-login'))
      await shape(sizes.largeChats, async (generator, watched) => {
        result.cc5000 = await phase(
          `relay pair, ${sizes.largeChats} chats`,
          generator,
          'rate',
          { rate: sizes.largeRate, ...sizes.timing },
          watched,
        );
      });
  } finally {
    pair.stop();
  }
  return result;
}

/** What the contact-center phases need of the running cluster. */
export interface StackContext {
  readonly wsUrl: string;
  readonly siteKey: string;
  /** Every process of the cluster, one entry each. */
  readonly watched: Watched;
  readonly evidence: ServerEvidence;
  readonly probes: Probes;
  /** Creates agents (maxChats CHATS_PER_AGENT, status Chat) named `<prefix>-<i>`. */
  seedAgents(prefix: string, count: number): Promise<Array<{ username: string; password: string }>>;
  /** Makes room in HAProxy for this many connections in all (a second process past one's maxconn). */
  haproxyRoom(connections: number): Promise<void>;
  /** HAProxy sessions per client-messenger node now. */
  sessionsPerNode(): Promise<Record<string, number>>;
}

async function openChats(
  context: StackContext,
  name: string,
  chats: number,
): Promise<{ generator: Generator; sockets: number; seconds: number }> {
  const agents = await context.seedAgents(`${name}-agent`, Math.ceil(chats / CHATS_PER_AGENT));
  const generator = new Generator(`${name}-generator`);
  progress(`${name}: opening ${chats} chats, ${agents.length} agents with ${CHATS_PER_AGENT} each`);
  const setup = await generator.ask<{ sockets: number; elapsedMs: number }>({
    type: 'setup-switchboard',
    url: context.wsUrl,
    pairs: chats,
    agents,
    chatsPerAgent: CHATS_PER_AGENT,
    siteKey: context.siteKey,
    sourceAddresses: SOURCE_ADDRESSES,
    concurrency: 40,
    finalStatus: 1,
  });
  progress(
    `${name}: ${chats} chats on ${setup.sockets} sockets in ${(setup.elapsedMs / 1000).toFixed(1)} s; HAProxy sessions per node ${JSON.stringify(await context.sessionsPerNode())}`,
  );
  return { generator, sockets: setup.sockets, seconds: setup.elapsedMs / 1000 };
}

/** The contact-center phases on the full stack. */
export async function benchContactCenter(
  selected: ReadonlySet<string>,
  sizes: ContactCenterSizes,
  context: StackContext,
): Promise<ContactCenterSide> {
  const result: {
    setup: NonNullable<ContactCenterSide['setup']>;
    cc1000?: PhaseReport;
    capacity?: CapacityResult;
    cc5000?: PhaseReport;
    slot?: ContactCenterSide['slot'];
    login?: ContactCenterSide['login'];
  } = { setup: {} };
  if (selected.has('cc-1000') || selected.has('cc-capacity')) {
    const { generator, sockets, seconds } = await openChats(context, 'cc-small', sizes.smallChats);
    result.setup[String(sizes.smallChats)] = { chats: sizes.smallChats, sockets, seconds };
    const watched = { generator: [generator.child.pid!], ...context.watched };
    if (selected.has('cc-1000'))
      result.cc1000 = await phase(
        `full stack, ${sizes.smallChats} chats`,
        generator,
        'rate',
        { rate: sizes.smallRate, ...sizes.timing },
        watched,
        context.probes,
        context.evidence,
      );
    if (selected.has('cc-capacity'))
      result.capacity = await findCapacity(
        `full stack capacity, ${sizes.smallChats} chats`,
        generator,
        watched,
        sizes,
        context.evidence,
      );
    await generator.ask({ type: 'close' });
    generator.stop();
    await wait(3000); // the nodes notice the closed sockets before the next chats open
  }
  if (!['cc-5000', 'cc-slot', 'cc-login'].some((name) => selected.has(name))) return result;

  const loginAgents = selected.has('cc-login') ? sizes.loginAgents : 0;
  await context.haproxyRoom(sizes.largeConnections + loginAgents + 200);
  const { generator, sockets, seconds } = await openChats(context, 'cc-large', sizes.largeChats);
  result.setup[String(sizes.largeChats)] = { chats: sizes.largeChats, sockets, seconds };
  // Visitors on the site without a chat, up to the connections a contact center of this size holds.
  const idleCount = Math.max(0, sizes.largeConnections - sockets);
  const idleGenerator = new Generator('cc-idle');
  if (idleCount > 0) {
    const idle = await idleGenerator.ask<{ opened: number; failures: number }>({
      type: 'open-idle',
      url: context.wsUrl,
      count: idleCount,
      concurrency: 100,
      sourceAddresses: SOURCE_ADDRESSES,
    });
    progress(
      `cc-large: ${idle.opened} idle visitor connections besides the chats (${idle.failures} failed); HAProxy sessions per node ${JSON.stringify(await context.sessionsPerNode())}`,
    );
  }
  const watched = { generator: [generator.child.pid!], ...context.watched };
  const during = async <T>(
    name: string,
    measureMs: number,
    task: () => Promise<T>,
  ): Promise<{ lines: PhaseReport; outcome: T }> => {
    const [lines, outcome] = await Promise.all([
      phase(
        name,
        generator,
        'rate',
        { rate: sizes.largeRate, warmupMs: sizes.timing.warmupMs, measureMs },
        watched,
        context.probes,
        context.evidence,
      ),
      wait(sizes.timing.warmupMs).then(task),
    ]);
    return { lines, outcome };
  };
  try {
    if (selected.has('cc-5000'))
      result.cc5000 = await phase(
        `full stack, ${sizes.largeChats} chats`,
        generator,
        'rate',
        { rate: sizes.largeRate, ...sizes.timing },
        watched,
        context.probes,
        context.evidence,
      );
    if (selected.has('cc-slot')) {
      const probeAgents = await context.seedAgents('cc-slot-agent', 20);
      const probe = new Generator('cc-slot');
      const samples = sizes.slotSamples;
      // The probe's own chats and queue open before the window; the samples run inside it.
      const { lines, outcome } = await during(
        `full stack, ${sizes.largeChats} chats, slot freed → offer`,
        Math.max(sizes.timing.measureMs, samples * 400 + 30_000),
        () =>
          probe.ask<SlotProbeResult>({
            type: 'slot-probe',
            url: context.wsUrl,
            siteKey: context.siteKey,
            agents: probeAgents,
            chatsPerAgent: CHATS_PER_AGENT,
            queued: samples + 10,
            samples,
            intervalMs: 200,
            sourceAddresses: SOURCE_ADDRESSES,
          }),
      );
      await probe.ask({ type: 'close' });
      probe.stop();
      result.slot = {
        offer: summarize(outcome.offerMs),
        closeAck: summarize(outcome.closeAckMs),
        missed: outcome.missed,
        samples: outcome.samples,
        errorSamples: outcome.errorSamples,
        lines,
      };
      progress(
        `cc-slot: slot freed → offer p50 ${fmt(result.slot.offer.p50Ms, 1)} ms, p99 ${fmt(result.slot.offer.p99Ms, 1)} ms (${outcome.offerMs.length} of ${samples}, ${outcome.missed} missed)`,
      );
    }
    if (selected.has('cc-login')) {
      const agents = await context.seedAgents('cc-login-agent', sizes.loginAgents);
      const storm = new Generator('cc-login');
      const { lines, outcome } = await during(
        `full stack, ${sizes.largeChats} chats, ${sizes.loginAgents} log-ins`,
        sizes.loginSpreadMs + 25_000,
        () =>
          storm.ask<LoginStormResult>({
            type: 'login-storm',
            url: context.wsUrl,
            agents,
            spreadMs: sizes.loginSpreadMs,
            sourceAddresses: SOURCE_ADDRESSES,
          }),
      );
      await storm.ask({ type: 'close' });
      storm.stop();
      result.login = {
        attempted: outcome.attempted,
        ok: outcome.ok,
        refused: outcome.refused,
        unanswered: outcome.unanswered,
        errorSamples: outcome.errorSamples,
        login: summarize(outcome.loginMs),
        connect: summarize(outcome.connectMs),
        seconds: outcome.elapsedMs / 1000,
        lines,
      };
      progress(
        `cc-login: ${outcome.ok} of ${outcome.attempted} log-ins answered ok (${outcome.refused} refused, ${outcome.unanswered} unanswered) in ${(outcome.elapsedMs / 1000).toFixed(1)} s; p99 ${fmt(result.login.login.p99Ms, 1)} ms`,
      );
    }
  } finally {
    await idleGenerator.ask({ type: 'close' }).catch(() => undefined);
    idleGenerator.stop();
    await generator.ask({ type: 'close' }).catch(() => undefined);
    generator.stop();
  }
  return result;
}

/** The contact-center table: each shape on the stack beside the relay pair. */
export function printContactCenter(
  stack: ContactCenterSide,
  relay: ContactCenterSide | undefined,
  bound: number,
) {
  const row = (name: string, report: PhaseReport | undefined) =>
    report &&
    console.log(
      `  ${name.padEnd(46)} ${String(report.targetLinesPerSecond ?? 'max').padStart(6)} ${fmt(report.deliveredPerSecond).padStart(7)} ${fmt(report.endToEnd.p50Ms, 1).padStart(8)} ${fmt(report.endToEnd.p99Ms, 1).padStart(8)} ${String(report.errors + report.timeouts).padStart(6)} ${report.loadAverage.toFixed(2).padStart(6)}`,
    );
  const cpuLine = (name: string, report: PhaseReport | undefined) =>
    report &&
    console.log(
      `  ${name.padEnd(46)} ${Object.entries(report.cpuMsPerLine)
        .filter(([process]) => process !== 'whole machine' && process !== 'other processes')
        .map(([process, ms]) => `${process} ${fmt(ms, 3)}`)
        .join(', ')} (other processes ${fmt(report.cpu['other processes'], 2)} cores)`,
    );
  console.log('');
  console.log(
    'Contact center (3 chats per agent console, every line persisted) and the Redis-adapter relay pair:',
  );
  console.log(`  ${'phase'.padEnd(46)} target  deliv/s   p50 ms   p99 ms err+to   load`);
  row('relay pair, small', relay?.cc1000);
  row('full stack, small', stack.cc1000);
  row('relay pair, large', relay?.cc5000);
  row('full stack, large', stack.cc5000);
  row('full stack, large, during the slot probe', stack.slot?.lines);
  row('full stack, large, during the log-ins', stack.login?.lines);
  for (const [name, capacity] of [
    ['relay pair', relay?.capacity],
    ['full stack', stack.capacity],
  ] as const)
    if (capacity)
      console.log(
        `  capacity (p99 ≤ ${bound} ms), ${name}: ${fmt(capacity.linesPerSecond)} lines/s; steps ${capacity.steps
          .map((step) => `${step.rate}${step.passed ? '✓' : '✗'}(p99 ${fmt(step.report.endToEnd.p99Ms, 0)})`)
          .join(' ')}`,
      );
  if (stack.capacity?.linesPerSecond && relay?.capacity?.linesPerSecond)
    console.log(
      `  capacity full stack / relay pair: ${(stack.capacity.linesPerSecond / relay.capacity.linesPerSecond).toFixed(3)}`,
    );
  if (stack.slot)
    console.log(
      `  slot freed → next queued chat offered: p50 ${fmt(stack.slot.offer.p50Ms, 1)} ms, p99 ${fmt(stack.slot.offer.p99Ms, 1)} ms, max ${fmt(stack.slot.offer.maxMs, 1)} ms (${stack.slot.offer.count} of ${stack.slot.samples}; ${stack.slot.missed} missed${stack.slot.errorSamples.length ? `: ${stack.slot.errorSamples.join('; ')}` : ''})`,
    );
  if (stack.login)
    console.log(
      `  log-ins: ${stack.login.ok} of ${stack.login.attempted} ok, ${stack.login.refused} refused, ${stack.login.unanswered} unanswered in ${fmt(stack.login.seconds, 1)} s; log-in p50 ${fmt(stack.login.login.p50Ms, 1)} ms, p99 ${fmt(stack.login.login.p99Ms, 1)} ms, max ${fmt(stack.login.login.maxMs, 1)} ms${stack.login.errorSamples.length ? ` (${stack.login.errorSamples.join('; ')})` : ''}`,
    );
  console.log('  CPU per line delivered (ms), per process:');
  cpuLine('relay pair, small', relay?.cc1000);
  cpuLine('full stack, small', stack.cc1000);
  const topRelay = relay?.capacity?.steps.filter((step) => step.passed).at(-1)?.report;
  const topStack = stack.capacity?.steps.filter((step) => step.passed).at(-1)?.report;
  cpuLine('relay pair, at its capacity', topRelay);
  cpuLine('full stack, at its capacity', topStack);
  cpuLine('relay pair, large', relay?.cc5000);
  cpuLine('full stack, large', stack.cc5000);
  console.log('');
}
