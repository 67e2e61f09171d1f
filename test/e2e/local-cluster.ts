import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

function isPortFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      done(false);
    });
    socket.once('error', () => done(true));
  });
}

/** A whole cluster started as a user would (`npm run cluster`), on its own ports, state and database. */
export class LocalCluster {
  private constructor(
    readonly basePort: number,
    readonly directory: string,
    readonly databaseUrl: string,
    private readonly environment: NodeJS.ProcessEnv,
  ) {}

  get wsUrl(): string {
    return `http://127.0.0.1:${this.basePort}`;
  }

  get wssUrl(): string {
    return `https://127.0.0.1:${this.basePort + 3}`;
  }

  get adminUrl(): string {
    return `http://127.0.0.1:${this.basePort + 6}`;
  }

  /** The fake TynTec's root (its API is under /chat-api/v2, its control API under /__fake). */
  get tyntecUrl(): string {
    return `http://127.0.0.1:${this.basePort + 9}`;
  }

  /**
   * A secret the cluster script made: the admin auth string (in DATADIR, as npm start keeps it), the
   * webhook secret and the fake TynTec's API key (in its folder).
   */
  secret(name: 'admin-auth' | 'whatsapp-webhook-secret' | 'tyntec-api-key'): string {
    const file = name === 'admin-auth' ? join('data', 'admin-auth.txt') : name;
    return readFileSync(join(this.directory, file), 'utf8').trim();
  }

  /** Runs a built command of tools/ (e.g. whatsapp-webhooks/main.js) against this cluster's database. */
  async tool(script: string, args: string[], environment: Record<string, string> = {}): Promise<string> {
    const { stdout } = await run(
      'node',
      ['-r', './tools/register-aliases.js', `dist/tools/${script}`, ...args],
      {
        cwd: ROOT,
        env: { ...this.environment, SWITCHBOARD_DATABASE_URL: this.databaseUrl, ...environment },
      },
    );
    return stdout;
  }

  /** Starts the cluster on the first base port whose ten ports are free (from 4700). */
  static async start(): Promise<LocalCluster> {
    let basePort = 4700;
    for (; basePort < 4990; basePort += 10) {
      const free = await Promise.all(
        Array.from({ length: 10 }, (_, offset) => isPortFree(basePort + offset)),
      );
      if (free.every(Boolean)) break;
    }
    const directory = mkdtempSync(join(tmpdir(), 'switchboard-e2e-'));
    const suffix = randomUUID().slice(0, 8);
    const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_e2e_${suffix}`;
    const environment = {
      ...process.env,
      CLUSTER_BASE_PORT: String(basePort),
      CLUSTER_DIR: directory,
      CLUSTER_DATABASE_URL: databaseUrl,
      CLUSTER_HAZELCAST_CLUSTER_NAME: `switchboard-e2e-${suffix}`,
      // The load scripts write 10 lines/s per connection and start every chat from 127.0.0.1: over the
      // abuse limits (docs/security.md), which are not what these suites test.
      ACD_CHAT_RATELIMIT_SEND_PER10SECONDS: '10000',
      ACD_CHAT_RATELIMIT_TYPING_PER10SECONDS: '10000',
      ACD_CHAT_RATELIMIT_START_PERMINUTE: '100000',
    };
    const cluster = new LocalCluster(basePort, directory, databaseUrl, environment);
    await cluster.script('start', '--no-provision');
    return cluster;
  }

  pidOf(component: string): number {
    return Number(readFileSync(join(this.directory, 'run', `${component}.pid`), 'utf8'));
  }

  kill(component: string, signal: NodeJS.Signals): void {
    process.kill(this.pidOf(component), signal);
  }

  /** `npm run cluster -- restart <service>`: graceful stop (drain) when running, start, wait ready. */
  async restart(service: string): Promise<void> {
    await this.script('restart', service);
  }

  /**
   * deploy/rolling-update.sh on this cluster, as docs/operations.md ("Update") shows for the local
   * cluster: both members, routing, then both nodes through HAProxy's runtime API; each stop and
   * start done by scripts/cluster.sh; `updateCommand` runs between them.
   */
  async rollingUpdate(updateCommand: string): Promise<string> {
    const local = (offset: number) => `127.0.0.1:${this.basePort + offset}`;
    const { stdout } = await run(
      'bash',
      [
        join(ROOT, 'deploy/rolling-update.sh'),
        ...['--member', `hazelcast-1=${local(7)}`, '--member', `hazelcast-2=${local(8)}`],
        ...['--service', `routing=http://${local(4)}`],
        ...[
          '--node',
          `client-messenger-1=http://${local(1)}`,
          '--node',
          `client-messenger-2=http://${local(2)}`,
        ],
        ...['--haproxy-socket', join(this.directory, 'run/haproxy.sock')],
        ...['--stop-command', 'bash scripts/cluster.sh stop-service {name}'],
        ...['--start-command', 'bash scripts/cluster.sh start-service {name}'],
        ...['--update-command', updateCommand],
      ],
      { cwd: ROOT, env: this.environment, maxBuffer: 10_000_000 },
    ).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`deploy/rolling-update.sh failed:\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
    });
    return stdout;
  }

  async stop(): Promise<void> {
    await this.script('stop');
    rmSync(this.directory, { recursive: true, force: true });
  }

  private async script(...args: string[]): Promise<string> {
    try {
      const { stdout } = await run('bash', [join(ROOT, 'scripts/cluster.sh'), ...args], {
        cwd: ROOT,
        env: this.environment,
        maxBuffer: 10_000_000,
      });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`scripts/cluster.sh ${args.join(' ')} failed:\n${stdout}\n${stderr}`);
    }
  }
}
