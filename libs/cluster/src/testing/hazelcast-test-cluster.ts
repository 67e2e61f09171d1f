import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { findFreePorts } from './free-port';

const ROOT_DIR = resolve(__dirname, '../../../..');
const SCRIPT = join(ROOT_DIR, 'scripts/hazelcast.sh');
const RUN_DIR = join(ROOT_DIR, '.cache/hazelcast/run');
const run = promisify(execFile);

export interface HazelcastTestClusterOptions {
  /** @default 2 */
  readonly memberCount?: number;
  /** First port tried; the range avoids the 5701.. ports a developer's own cluster uses. @default 5751 */
  readonly firstPort?: number;
  /** @default 5799 */
  readonly lastPort?: number;
  /** How long the members may take to start and see each other. @default 90000 */
  readonly formationTimeoutMs?: number;
}

export interface TestMember {
  readonly name: string;
  readonly port: number;
  /** `127.0.0.1:<port>`, for `HazelcastConnectionOptions.members`. */
  readonly address: string;
}

/** Real Hazelcast members started through scripts/hazelcast.sh, on free ports, in their own cluster. */
export class HazelcastTestCluster {
  private readonly killOnExit = (): void => this.members.forEach((member) => this.killMember(member.name));

  constructor(
    readonly clusterName: string,
    readonly members: readonly TestMember[],
  ) {
    // A crashed or interrupted test run must not leave JVMs behind.
    process.once('exit', this.killOnExit);
  }

  get addresses(): string[] {
    return this.members.map((member) => member.address);
  }

  /** What a service's environment needs to join this cluster as a client. */
  clientEnvironment(): Record<string, string> {
    return {
      SWITCHBOARD_CLUSTER: 'hazelcast',
      SWITCHBOARD_HAZELCAST_MEMBERS: this.addresses.join(','),
      SWITCHBOARD_HAZELCAST_CLUSTER_NAME: this.clusterName,
    };
  }

  /** Graceful shutdown (SIGTERM): the member hands its partitions over first. */
  async stopMember(name: string): Promise<void> {
    await runScript('stop', '--name', name);
  }

  /** (Re)starts a member on its port, e.g. after `stopMember`; it joins whichever members run. */
  async startMember(name: string): Promise<void> {
    const member = this.members.find((candidate) => candidate.name === name);
    if (member === undefined) throw new Error(`no member ${name} in ${this.clusterName}`);
    await startMember(member, this.clusterName, this.addresses.join(','));
  }

  /** SIGKILL: the member vanishes with whatever it owned, as in a crash. */
  killMember(name: string): void {
    this.signalMember(name, 'SIGKILL');
  }

  /** SIGSTOP: the member freezes (a long GC pause, a half-partition) until `resumeMember`. */
  pauseMember(name: string): void {
    this.signalMember(name, 'SIGSTOP');
  }

  resumeMember(name: string): void {
    this.signalMember(name, 'SIGCONT');
  }

  private signalMember(name: string, signal: NodeJS.Signals): void {
    try {
      process.kill(Number(readFileSync(join(RUN_DIR, `${name}.pid`), 'utf8')), signal);
    } catch {
      // Already gone (stopped, killed, or never started): nothing to signal.
    }
  }

  async stopAll(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    await Promise.all(this.members.map((member) => this.stopMember(member.name)));
  }
}

/** Starts `memberCount` members with a unique cluster name and waits until they form one cluster. */
export async function startHazelcastTestCluster(
  options: HazelcastTestClusterOptions = {},
): Promise<HazelcastTestCluster> {
  const { memberCount = 2, firstPort = 5751, lastPort = 5799, formationTimeoutMs = 90_000 } = options;
  await runScript('fetch');
  const clusterName = `switchboard-test-${randomUUID().slice(0, 8)}`;
  const ports = await findFreePorts(memberCount, firstPort, lastPort);
  const members = ports.map((port, index) => ({
    name: `${clusterName}-${index + 1}`,
    port,
    address: `127.0.0.1:${port}`,
  }));
  const cluster = new HazelcastTestCluster(clusterName, members);
  const memberList = cluster.addresses.join(',');
  try {
    await Promise.all(members.map((member) => startMember(member, clusterName, memberList)));
    await waitForFormation(members, formationTimeoutMs);
  } catch (error) {
    await cluster.stopAll();
    throw error;
  }
  return cluster;
}

function startMember(member: TestMember, clusterName: string, memberList: string): Promise<void> {
  const { port, name } = member;
  return runScript(
    'start',
    '--port',
    `${port}`,
    '--cluster-name',
    clusterName,
    '--members',
    memberList,
    '--name',
    name,
  );
}

async function runScript(...args: string[]): Promise<void> {
  try {
    await run('bash', [SCRIPT, ...args], {
      cwd: ROOT_DIR,
      env: { ...process.env, HAZELCAST_STOP_TIMEOUT: '15' },
    });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`scripts/hazelcast.sh ${args.join(' ')} failed: ${String(error)}\n${stderr}`);
  }
}

/** Every member's latest membership list (printed in its log) must have `members.length` entries. */
async function waitForFormation(members: readonly TestMember[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sizes = await Promise.all(members.map((member) => latestClusterSize(member.name)));
    if (sizes.every((size) => size === members.length)) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `members did not form one cluster within ${timeoutMs} ms (sizes seen: ${sizes.join(', ')})`,
      );
    }
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

async function latestClusterSize(name: string): Promise<number> {
  const log = await readFile(join(RUN_DIR, `${name}.log`), 'utf8');
  const sizes = [...log.matchAll(/Members \{size:(\d+)/g)].map((match) => Number(match[1]));
  return sizes.at(-1) ?? 0;
}
