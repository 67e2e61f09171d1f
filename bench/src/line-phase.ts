// One measuring window of lines between the generator's chat sides: open loop at a rate or closed loop,
// with the CPU of the watched processes and, for the full stack, the server-side evidence.
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import type { Client } from 'hazelcast-client';
import type { DataSource } from 'typeorm';
import type { PhaseResult } from './generator-protocol';
import { cpuShares, progress, sampleCpu, type Generator, type Watched } from './processes';
import { fmt, ratePerSecond, ratio, summarize, type LatencySummary } from './stats';

/** Rate of the open loop, warm-up and measuring window of a phase. */
export interface PhaseTiming {
  readonly rate: number;
  readonly warmupMs: number;
  readonly measureMs: number;
}

/** The machine's 1-minute load average (other people's work shows here too). */
export function loadAverage(): number {
  return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
}

// --- probes: MariaDB commit and Hazelcast round trips while the full stack is loaded ----------------

export class Probes {
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

export interface ServerEvidence {
  readonly dataSource: DataSource;
  readonly nodeUrls: string[];
}

// --- phases ----------------------------------------------------------------------------------------

export interface PhaseReport {
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
  /** Milliseconds of CPU per line delivered in the window, per watched process (or group). */
  readonly cpuMsPerLine: Record<string, number>;
  /** The machine's 1-minute load average when the phase started. */
  readonly loadAverage: number;
  readonly probes?: { commit: LatencySummary; hazelcast: LatencySummary };
  /** Per second over the window: commits, row-lock waits and their total wait (ms), fsyncs, statements. */
  readonly mariadbPerSecond?: Record<string, number>;
  /** Per node: event-loop lag p99 at the end of the window, mean stream delay of the window's lines. */
  readonly nodes?: Array<{ eventLoopLagP99Ms: number; meanLineStreamDelayMs: number | undefined }>;
}

export async function phase(
  name: string,
  generator: Generator,
  mode: 'rate' | 'closed',
  options: PhaseTiming,
  watched: Watched,
  probes?: Probes,
  evidence?: ServerEvidence,
  rate = options.rate,
): Promise<PhaseReport> {
  progress(
    `${name}: ${mode === 'rate' ? `${rate} lines/s open loop` : 'closed loop'}, warm-up ${options.warmupMs / 1000} s, measuring ${options.measureMs / 1000} s`,
  );
  const load = loadAverage();
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
  const cpu = cpuShares(cpuBefore, cpuAfter, cpuWindow);
  const deliveredPerSecond = ratePerSecond(result.delivered, result.windowMs);
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
    cpu,
    cpuMsPerLine: Object.fromEntries(
      Object.entries(cpu).map(([name, share]) => [
        name,
        deliveredPerSecond > 0 ? Number(((share * 1000) / deliveredPerSecond).toFixed(4)) : NaN,
      ]),
    ),
    loadAverage: load,
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
    `${name}: delivered ${fmt(report.deliveredPerSecond)} lines/s of ${mode === 'rate' ? rate : 'max'} (load ${load.toFixed(2)} before), acked ${fmt(report.ackedPerSecond)}/s, p50 ${fmt(report.endToEnd.p50Ms, 1)} ms, p99 ${fmt(report.endToEnd.p99Ms, 1)} ms, errors ${report.errors}, timeouts ${report.timeouts}, skipped ${fmt(report.skippedPerSecond)}/s (backlog cap)`,
  );
  return report;
}
