import { findFreePorts } from '@switchboard/cluster/testing';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseTopology, type TopologyFile } from '../haproxy-topology';
import { renderHaproxyConfig } from '../render-haproxy-config';

const run = promisify(execFile);

/** The haproxy binary the integration tests run. */
export const HAPROXY = process.env.HAPROXY_BIN ?? '/usr/sbin/haproxy';

/** A self-signed certificate and its key in one PEM under `directory`, as `bind … ssl crt` wants it. */
export async function selfSignedCertificate(directory: string): Promise<string> {
  const certificate = join(directory, 'haproxy.pem');
  const [key, cert] = [join(directory, 'key.pem'), join(directory, 'cert.pem')];
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  await writeFile(certificate, (await readFile(cert, 'utf8')) + (await readFile(key, 'utf8')), {
    mode: 0o600,
  });
  return certificate;
}

/** Runs haproxy in the foreground on `configFile`; kill the process to stop it. */
export function startHaproxy(configFile: string): ChildProcess {
  return spawn(HAPROXY, ['-db', '-f', configFile], { stdio: 'ignore' });
}

/** `fetch`, retried while haproxy is still starting (connection refused). */
export async function fetchThroughHaproxy(url: string, init?: RequestInit): Promise<Response> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

export type TestTopology = Omit<TopologyFile, 'certificate' | 'statsSocket'>;

/** Renders a topology with the test's certificate and a runtime API socket under `directory`. */
export function renderForTest(directory: string, certificate: string, topology: TestTopology): string {
  return renderHaproxyConfig(
    parseTopology({ ...topology, certificate, statsSocket: join(directory, 'admin.sock') }),
  );
}

/** A real HAProxy on free ports (ws, wss, internal) bound to 127.0.0.1, its log (stdout) kept. */
export interface RunningHaproxy {
  readonly wsPort: number;
  readonly wssPort: number;
  readonly internalPort: number;
  readonly statsSocket: string;
  /** Everything HAProxy wrote so far: its request log and its own messages. */
  log(): string;
  /** Resolves once HAProxy answers on the ws frontend. */
  ready(): Promise<void>;
  stop(): void;
}

/** Renders the configuration for `servers` and runs HAProxy on it. */
export async function startRenderedHaproxy(
  directory: string,
  certificate: string,
  servers: Pick<TestTopology, 'clientMessengers' | 'whatsappConnectors'>,
): Promise<RunningHaproxy> {
  const [wsPort, wssPort, internalPort] = await findFreePorts(3, 20000, 30000);
  const file = join(directory, `haproxy-${wsPort}.cfg`);
  const topology = { ...servers, wsPort, wssPort, internalPort, bindAddress: '127.0.0.1', log: 'stdout' };
  await writeFile(file, renderForTest(directory, certificate, topology));
  const haproxy = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => (output += chunk.toString());
  haproxy.stdout.on('data', keep);
  haproxy.stderr.on('data', keep);
  return {
    wsPort,
    wssPort,
    internalPort,
    statsSocket: join(directory, 'admin.sock'),
    log: () => output,
    ready: async () => void (await fetchThroughHaproxy(`http://127.0.0.1:${wsPort}/health`)),
    stop: () => haproxy.kill(),
  };
}
