import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The test directory's suffix, seeded from directory.ldif. */
export const DIRECTORY_SUFFIX = 'dc=example,dc=org';

/** The users and service account of directory.ldif, with their directory passwords (test fixtures). */
export const DIRECTORY_ACCOUNTS = {
  alice: 'alice-Directory-pw1',
  sam: 'sam-Directory-pw2',
  ada: 'ada-Directory-pw3',
  dora: 'dora-Directory-pw4',
  bind: { dn: `cn=switchboard,ou=services,${DIRECTORY_SUFFIX}`, password: 'bind-Account-pw9' },
} as const;

/** A real OpenLDAP slapd (Debian's package, scripts/provision.sh) on a loopback port, in a temporary directory. */
export interface Slapd {
  readonly url: string;
  /** Starts it again (on the same port) after {@link stop}. */
  start(): Promise<void>;
  /** Stops it: the port refuses connections until {@link start}. */
  stop(): Promise<void>;
  /** Stops it and removes its files. */
  close(): Promise<void>;
}

const SLAPD = '/usr/sbin/slapd';

/**
 * A slapd of our own, never the Debian service: its configuration, database, pid file under a new
 * temporary directory, seeded offline (slapadd) from directory.ldif, serving ldap://127.0.0.1:<free port>.
 * Anonymous users may only bind; a bound user reads the tree.
 */
export async function startSlapd(): Promise<Slapd> {
  const directory = mkdtempSync(join(tmpdir(), 'switchboard-slapd-'));
  const config = join(directory, 'slapd.conf');
  mkdirSync(join(directory, 'data'));
  writeFileSync(config, slapdConf(directory));
  const seeded = spawnSync('/usr/sbin/slapadd', ['-f', config, '-l', join(__dirname, 'directory.ldif')], {
    encoding: 'utf8',
  });
  if (seeded.error || seeded.status !== 0)
    throw new Error(
      `slapadd failed (is slapd installed? scripts/provision.sh): ${seeded.error?.message ?? seeded.stderr}`,
    );
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;

  const start = async () => {
    const output: string[] = [];
    // -d 0: stay in the foreground (so the child is slapd itself), with no debug output.
    child = spawn(SLAPD, ['-f', config, '-h', `${url}/`, '-d', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await waitForPort(port, child, () => output.join(''));
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    start,
    stop,
    close: async () => {
      await stop();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

function slapdConf(directory: string): string {
  return [
    ...['core', 'cosine', 'inetorgperson', 'nis'].map(
      (schema) => `include /etc/ldap/schema/${schema}.schema`,
    ),
    `pidfile ${join(directory, 'slapd.pid')}`,
    `argsfile ${join(directory, 'slapd.args')}`,
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'database mdb',
    'maxsize 16777216',
    `suffix "${DIRECTORY_SUFFIX}"`,
    `rootdn "cn=admin,${DIRECTORY_SUFFIX}"`,
    `directory ${join(directory, 'data')}`,
    'access to attrs=userPassword by anonymous auth by self read by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`slapd exited with ${child.exitCode}: ${output()}`);
    if (await accepts(port)) return;
    if (Date.now() > deadline) throw new Error(`slapd did not listen on ${port} within 10 s: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
