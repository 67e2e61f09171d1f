import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

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
