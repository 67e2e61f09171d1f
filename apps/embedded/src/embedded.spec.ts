import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdminListener } from '@switchboard/admin';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OperatorRepository, SiteRepository } from '@switchboard/persistence';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DEMO_AGENT_USERNAME, DEMO_SITE_KEY, DemoSeeder } from './demo-seeder';
import { EmbeddedAppModule } from './embedded-app.module';

async function startEmbedded(
  dataDirectory: string,
  environment: Record<string, string> = {},
): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [EmbeddedAppModule.forRoot({ DATADIR: dataDirectory, PORT: '0', ...environment })],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.init();
  return app;
}

describe('embedded mode', () => {
  let dataDirectory: string;
  let app: INestApplication | undefined;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-embedded-'));
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('answers liveness and readiness with the database and the in-memory cluster up', async () => {
    app = await startEmbedded(dataDirectory);
    await request(app.getHttpServer() as Server)
      .get('/health')
      .expect(200)
      .expect((response) => {
        expect(response.body).toMatchObject({ status: 'ok', service: 'embedded' });
      });
    const ready = await request(app.getHttpServer() as Server)
      .get('/health/ready')
      .expect(200);
    expect((ready.body as { checks: Array<{ name: string; ok: boolean }> }).checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'database', ok: true }),
        expect.objectContaining({ name: 'cluster', ok: true }),
      ]),
    );
  });

  it('gates every path of its admin listener by the whitelist, and only the admin routes of its own port', async () => {
    app = await startEmbedded(dataDirectory, {
      SWITCHBOARD_ADMIN_PORT: '0',
      SWITCHBOARD_ADMIN_WHITELIST: '10.0.0.0/8',
    });
    await app.listen(0, '127.0.0.1');
    const listener = app.get(AdminListener);
    // The admin listener opens once the main one listens.
    for (let wait = 0; listener.port() === null && wait < 100; wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 10));
    const adminPort = listener.port();
    const mainPort = ((app.getHttpServer() as Server).address() as AddressInfo).port;
    const status = async (port: number | null, path: string) =>
      (await fetch(`http://127.0.0.1:${port}${path}`)).status;
    expect(adminPort).not.toBeNull();
    expect(await status(adminPort, '/health')).toBe(403);
    expect(await status(adminPort, '/nosuch.htm?a=anything')).toBe(403);
    expect(await status(mainPort, '/health')).toBe(200);
    expect(await status(mainPort, '/nosuch.htm')).toBe(404);
    expect(await status(mainPort, '/status.json')).toBe(403);
  });

  it('limits the admin routes of its own port as the admin port does: 429 with Retry-After after the refused ones', async () => {
    app = await startEmbedded(dataDirectory, {
      SWITCHBOARD_ADMIN_PORT: 'off',
      ACD_CHAT_RATELIMIT_ADMIN_AUTHFAILURES_PER15MINUTES: '2',
    });
    const server = app.getHttpServer() as Server;
    const auth = readFileSync(join(dataDirectory, 'admin-auth.txt'), 'utf8').trim();
    await request(server).get('/status.json?a=wrong-1').expect(403);
    await request(server).get('/status.json?a=wrong-2').expect(403);
    const limited = await request(server)
      .get(`/status.json?a=${encodeURIComponent(auth)}`)
      .expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(JSON.stringify([limited.headers, limited.text])).not.toContain(auth);
    // The rest of the port is not the admin interface: not limited.
    await request(server).get('/health').expect(200);
  });

  it('answers an unknown path with a 404 that echoes nothing of the request (no auth string, no secret)', async () => {
    app = await startEmbedded(dataDirectory);
    const server = app.getHttpServer() as Server;
    for (const path of ['/nosuch.htm?a=auth-string-0123456789', '/incoming/webhook-secret-0123456789/x']) {
      const answer = await request(server).get(path).expect(404);
      expect(answer.text).not.toContain('auth-string-0123456789');
      expect(answer.text).not.toContain('webhook-secret-0123456789');
      expect(answer.body).toEqual({ statusCode: 404, error: 'Not Found', message: 'No such route.' });
    }
  });

  it('seeds a demo site and a demo agent who can log in with the printed password', async () => {
    app = await startEmbedded(dataDirectory);
    const login = app.get(DemoSeeder).demoLogin();
    expect(await app.get(SiteRepository).findByKey(DEMO_SITE_KEY)).toMatchObject({
      siteKey: DEMO_SITE_KEY,
    });
    const agent = await app.get(OperatorRepository).verifyCredentials(DEMO_AGENT_USERNAME, login!.password!);
    expect(agent).toMatchObject({ username: DEMO_AGENT_USERNAME, skills: ['general'] });
    expect(agent!.maxChats).toBeGreaterThan(0);
    expect(readFileSync(join(dataDirectory, 'demo-credentials.txt'), 'utf8')).toContain(login!.password!);
  });

  it('keeps the data of an earlier start and does not seed twice', async () => {
    app = await startEmbedded(dataDirectory);
    const firstPassword = app.get(DemoSeeder).demoLogin()!.password;
    await app.close();
    app = await startEmbedded(dataDirectory);
    expect(app.get(DemoSeeder).demoLogin()!.password).toBe(firstPassword);
    expect(await app.get(SiteRepository).list()).toHaveLength(1);
  });
});
