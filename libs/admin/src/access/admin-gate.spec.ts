import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAdminTestApp, TEST_AUTH } from '../testing/admin-test-app';

/** One admin-api process listening on a real port, every log line (trace and up) kept in `lines`. */
async function listeningAdmin(
  environment: Record<string, string>,
  lines: string[],
): Promise<{ app: INestApplication; url: string }> {
  const app = await startAdminTestApp({ SWITCHBOARD_LOG_LEVEL: 'trace', ...environment }, undefined, {
    write: (line: string) => lines.push(line) > 0,
  });
  await app.listen(0, '127.0.0.1');
  const port = ((app.getHttpServer() as Server).address() as AddressInfo).port;
  return { app, url: `http://127.0.0.1:${port}` };
}

async function get(url: string): Promise<{ status: number; body: string; headers: string }> {
  const response = await fetch(url, { redirect: 'manual' });
  return {
    status: response.status,
    body: await response.text(),
    headers: JSON.stringify([...response.headers]),
  };
}

describe('admin port: whitelist and auth string before routing', () => {
  const secret = encodeURIComponent(TEST_AUTH);
  const lines: string[] = [];
  let dataDirectory: string;
  let allowed: { app: INestApplication; url: string };
  let outsider: { app: INestApplication; url: string };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-gate-'));
    const common = { DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' };
    allowed = await listeningAdmin({ ...common, SWITCHBOARD_ADMIN_WHITELIST: '127.0.0.1,::1' }, lines);
    // Requests come from 127.0.0.1, outside this one's whitelist.
    outsider = await listeningAdmin(
      {
        ...common,
        SWITCHBOARD_DATABASE_URL: `sqlite:${join(dataDirectory, 'outsider.db')}`,
        SWITCHBOARD_ADMIN_WHITELIST: '10.0.0.0/8',
      },
      lines,
    );
  });

  afterAll(async () => {
    await allowed?.app.close();
    await outsider?.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it.each([
    `/status.json?a=${secret}`,
    `/nosuch.htm?a=${secret}`,
    `/api/openapi.json?a=${secret}`,
    `/health`,
    `/metrics`,
    `/socket.io/?EIO=4&transport=polling&a=${secret}`,
  ])('a host outside the whitelist gets the bare 403 for %s', async (path) => {
    const answer = await get(`${outsider.url}${path}`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 403, body: 'Forbidden\n' });
  });

  it.each(['/nosuch.htm', `/nosuch.htm?a=${secret}x`, '/status.json', `/chat.json?a=wrong`])(
    'a whitelisted host without the right auth string gets the bare 403 for %s',
    async (path) => {
      const answer = await get(`${allowed.url}${path}`);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: 403, body: 'Forbidden\n' });
    },
  );

  it('a whitelisted host with the auth string gets the route, or a 404 that echoes nothing', async () => {
    expect((await get(`${allowed.url}/status.json?a=${secret}`)).status).toBe(200);
    const unknown = await get(`${allowed.url}/nosuch.htm?a=${secret}`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).not.toContain('nosuch');
  });

  it('monitoring routes need the whitelist but not the auth string', async () => {
    expect((await get(`${allowed.url}/health`)).status).toBe(200);
    expect((await get(`${allowed.url}/metrics`)).status).toBe(200);
  });

  it('no answer and no log line holds the auth string', async () => {
    const answers = await Promise.all(
      [allowed.url, outsider.url].flatMap((url) =>
        [`/nosuch.htm?a=${secret}`, `/status.json?a=${secret}`, `/chat.json?a=${secret}&chatuid=x`].map(
          (path) => get(`${url}${path}`),
        ),
      ),
    );
    for (const answer of answers) {
      expect(answer.body).not.toContain(TEST_AUTH);
      expect(answer.headers).not.toContain(TEST_AUTH);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.filter((line) => line.includes(TEST_AUTH) || line.includes(secret))).toEqual([]);
  });
});
