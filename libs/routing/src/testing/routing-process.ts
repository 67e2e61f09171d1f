import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT_DIR = resolve(__dirname, '../../../..');

/** A routing service started as its own process from the sources (apps/routing/src/main.ts). */
export class RoutingProcess {
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
    name: string,
    environment: NodeJS.ProcessEnv,
    timeoutMs = 60_000,
  ): Promise<RoutingProcess> {
    const child = spawn(
      process.execPath,
      ['-r', join(ROOT_DIR, 'tools/register-ts.js'), 'apps/routing/src/main.ts'],
      {
        cwd: ROOT_DIR,
        env: { ...process.env, ...environment, SWITCHBOARD_NODE_ID: name, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const started = new RoutingProcess(name, child);
    process.once('exit', () => started.kill());
    const deadline = Date.now() + timeoutMs;
    while (!started.output.includes('routing ready on')) {
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`routing process ${name} did not start:\n${started.output.slice(-3000)}`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
    return started;
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
