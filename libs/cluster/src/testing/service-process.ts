import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT_DIR = resolve(__dirname, '../../../..');

/** A service that runs as its own process (apps/<service>/src/main.ts). */
export type ServiceName = 'routing' | 'client-messenger' | 'whatsapp-connector' | 'admin-api';

/** A service started as its own process from the sources (apps/<service>/src/main.ts), without a build. */
export class ServiceProcess {
  private output = '';

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  /** Starts it with `environment` added to this process's, and waits for its "ready" line. */
  static async start(
    service: ServiceName,
    name: string,
    environment: NodeJS.ProcessEnv,
    timeoutMs = 60_000,
  ): Promise<ServiceProcess> {
    const child = spawn(
      process.execPath,
      ['-r', join(ROOT_DIR, 'tools/register-ts.js'), `apps/${service}/src/main.ts`],
      {
        cwd: ROOT_DIR,
        env: { ...process.env, ...environment, SWITCHBOARD_NODE_ID: name, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = new ServiceProcess(name, child);
    process.once('exit', () => started.kill());
    const deadline = Date.now() + timeoutMs;
    while (!started.output.includes(`${service} ready on`)) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`${service} process ${name} did not start:\n${started.output.slice(-3000)}`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
    return started;
  }

  /** The URL its ready line names (`http://localhost:<port>`). */
  get url(): string {
    const match = /ready on (http:\/\/\S+)/.exec(this.output);
    if (!match) throw new Error(`${this.name} has not said where it listens`);
    return match[1].replace('localhost', '127.0.0.1');
  }

  /** How often its log holds `text`. */
  count(text: string): number {
    return this.output.split(text).length - 1;
  }

  /** SIGSTOP: the whole process freezes (a long event-loop stall) until `resume`. */
  pause(): void {
    this.child.kill('SIGSTOP');
  }

  resume(): void {
    this.child.kill('SIGCONT');
  }

  /** The last `characters` of what it logged, for a failure message. */
  log(characters = 4000): string {
    return this.output.slice(-characters);
  }

  /** SIGKILL: gone at once, with whatever it held (its cluster lock, a pass half done). */
  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** SIGTERM, then waits for the exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}
