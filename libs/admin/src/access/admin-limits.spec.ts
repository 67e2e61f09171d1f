import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminTestApp, TEST_AUTH } from '../testing/admin-test-app';

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly retryAfter: string | undefined;
  readonly raw: string;
}

describe('admin port: requests limited per client address (429 with Retry-After)', () => {
  const secret = encodeURIComponent(TEST_AUTH);
  const lines: string[] = [];
  let dataDirectory: string;
  let app: INestApplication;
  let port: number;

  /** A GET from `from` (a loopback address of its own: each is another client address to the server). */
  const get = (path: string, from: string) =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path, localAddress: from }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          const retryAfter = response.headers['retry-after'];
          resolve({
            status: response.statusCode ?? 0,
            body,
            retryAfter,
            raw: JSON.stringify([response.headers, body]),
          });
        });
      });
      outgoing.on('error', reject).end();
    });

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-limits-'));
    app = await startAdminTestApp(
      {
        DATADIR: dataDirectory,
        SWITCHBOARD_CLUSTER: 'memory',
        SWITCHBOARD_ADMIN_WHITELIST: '127.0.0.0/8,::1',
        SWITCHBOARD_LOG_LEVEL: 'trace',
        ACD_CHAT_RATELIMIT_ADMIN_AUTHFAILURES_PER15MINUTES: '3',
        ACD_CHAT_RATELIMIT_ADMIN_REQUESTS_PERMINUTE: '20',
      },
      undefined,
      { write: (line: string) => lines.push(line) > 0 },
    );
    await app.listen(0, '127.0.0.1');
    port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const expectTooMany = (answer: Answer, atMostSeconds: number) => {
    expect({ status: answer.status, body: answer.body }).toEqual({
      status: 429,
      body: 'Too Many Requests\n',
    });
    expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(answer.retryAfter)).toBeLessThanOrEqual(atMostSeconds);
    expect(answer.raw).not.toContain(TEST_AUTH);
  };

  it('answers 429 to every request of an address after 3 wrong a=, the right one included; other addresses and the monitoring routes are served', async () => {
    const guesser = '127.0.0.2';
    for (const guess of ['guess-1', 'guess-2', 'guess-3'])
      expect((await get(`/status.json?a=${guess}`, guesser)).status).toBe(403);
    expectTooMany(await get(`/status.json?a=guess-4`, guesser), 15 * 60);
    // Guessing right now tells nothing: the answer is the same 429.
    expectTooMany(await get(`/status.json?a=${secret}`, guesser), 15 * 60);
    expectTooMany(await get(`/nosuch.htm?a=${secret}`, guesser), 15 * 60);
    // Load balancers and scrapers keep their routes.
    for (const path of ['/health', '/health/ready', '/metrics'])
      expect((await get(path, guesser)).status).toBe(200);
    expect((await get(`/status.json?a=${secret}`, '127.0.0.3')).status).toBe(200);
  });

  it('answers 429 beyond 20 requests a minute from one address, even with the right a=', async () => {
    const busy = '127.0.0.4';
    for (let index = 0; index < 20; index += 1)
      expect((await get(`/status.json?a=${secret}`, busy)).status).toBe(200);
    expectTooMany(await get(`/status.json?a=${secret}`, busy), 60);
    // The monitoring routes are not counted.
    expect((await get('/health', busy)).status).toBe(200);
    expect((await get(`/status.json?a=${secret}`, '127.0.0.5')).status).toBe(200);
  });

  it('counts a bad session token on /api/* as a failure', async () => {
    const forger = '127.0.0.6';
    for (let index = 0; index < 3; index += 1) expect((await get('/api/sites', forger)).status).toBe(403);
    expectTooMany(await get(`/api/sites?a=${secret}`, forger), 15 * 60);
  });

  it('logs the refused address once per window, and no line holds the auth string', () => {
    const warnings = lines.filter((line) => line.includes('refused with 429'));
    expect(warnings.some((line) => line.includes('127.0.0.2'))).toBe(true);
    expect(warnings.filter((line) => line.includes('127.0.0.2'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes(TEST_AUTH) || line.includes(secret))).toEqual([]);
  });
});
