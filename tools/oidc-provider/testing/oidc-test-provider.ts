import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { TenantClient, TenantUser } from '../azure-like-tenant';

const ROOT_DIR = resolve(__dirname, '../../..');

export interface OidcTestProviderOptions {
  readonly tenant?: string;
  readonly client: Omit<TenantClient, 'idTokenAudience'>;
  readonly otherClients?: readonly TenantClient[];
  readonly users: readonly TenantUser[];
}

/**
 * The Azure-like test tenant (tools/oidc-provider) as its own process on a free loopback port, started
 * the way a developer starts it (`npm run oidc-provider`), from the sources.
 */
export class OidcTestProvider {
  private constructor(
    private readonly child: ChildProcess,
    /** `http://127.0.0.1:<port>/<tenant>/v2.0` */
    readonly issuer: string,
  ) {}

  static async start(options: OidcTestProviderOptions, timeoutMs = 30_000): Promise<OidcTestProvider> {
    const { client } = options;
    const child = spawn(
      process.execPath,
      [
        '-r',
        join(ROOT_DIR, 'tools/register-ts.js'),
        'tools/oidc-provider/main.ts',
        '--port=0',
        ...(options.tenant ? [`--tenant=${options.tenant}`] : []),
        `--client-id=${client.clientId}`,
        `--client-secret=${client.clientSecret}`,
        ...client.redirectUris.map((uri) => `--redirect-uri=${uri}`),
        `--users=${JSON.stringify(options.users)}`,
        `--clients=${JSON.stringify(options.otherClients ?? [])}`,
      ],
      { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    process.once('exit', () => child.kill());
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const issuer = /listening, issuer (\S+)/.exec(output)?.[1];
      if (issuer) return new OidcTestProvider(child, issuer);
      if (child.exitCode !== null || Date.now() > deadline)
        throw new Error(`the test OIDC provider did not start:\n${output.slice(-3000)}`);
      await new Promise((wake) => setTimeout(wake, 100));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((done) => this.child.once('exit', done));
    this.child.kill('SIGTERM');
    await exited;
  }
}
