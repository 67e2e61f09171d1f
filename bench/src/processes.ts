// The bench's processes: its progress log, the forked load generators and relays, CPU and memory
// read from /proc, and HAProxy's stats socket.
import { fork, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { GeneratorCommand, GeneratorReply } from './generator-protocol';
import { cpuShare } from './stats';

const startedAt = performance.now();
export function progress(text: string): void {
  console.log(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${text}`);
}

// --- processes -------------------------------------------------------------------------------------

export const children: ChildProcess[] = [];

export class Generator {
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

/** A relay process (bare-relay.ts); with a Redis URL it joins the Redis adapter under `redisKey`. */
export function startBareRelay(redis?: {
  url: string;
  key: string;
}): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(join(__dirname, 'bare-relay.js'), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: redis ? { ...process.env, REDIS_URL: redis.url, REDIS_KEY: redis.key } : process.env,
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) => resolve({ child, port: message.port }));
    child.once('exit', (code) => reject(new Error(`bare relay exited with ${code}`)));
  });
}

export function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), done(false)));
    socket.once('error', () => done(true));
  });
}

export async function freeBasePort(): Promise<number> {
  for (let base = 5700; base < 6990; base += 10) {
    const free = await Promise.all(Array.from({ length: 10 }, (_, offset) => isPortFree(base + offset)));
    if (free.every(Boolean)) return base;
  }
  throw new Error('no ten free ports between 5700 and 6999');
}

// --- /proc readings --------------------------------------------------------------------------------

let clockTicks = 100;

export function setClockTicks(ticks: number): void {
  clockTicks = ticks;
}

export function cpuTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime
  } catch {
    return 0;
  }
}

export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function pidsByName(names: string[]): number[] {
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

export type Watched = Record<string, number[]>;

/** Busy ticks of the whole machine (all cores, every process: other work on the box shows up here). */
function machineBusyTicks(): number {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = fields.slice(0, 8).reduce((sum, value) => sum + value, 0);
  return total - fields[3] - fields[4]; // minus idle and iowait
}

export function sampleCpu(watched: Watched): Record<string, number> {
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

export function cpuShares(before: Record<string, number>, after: Record<string, number>, windowMs: number) {
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
export async function sessionsPerNode(socketPaths: string[]): Promise<Record<string, number>> {
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
