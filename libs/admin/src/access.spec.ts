import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { AddressList } from '@switchboard/platform';
import { ADMIN_ENDPOINTS, type AdminEndpoint } from './admin-endpoints';
import { startAdminTestApp, TEST_AUTH } from './testing/admin-test-app';

// A concrete URL for each catalogued route (path parameters filled in).
const urlOf = (endpoint: AdminEndpoint, query: string): string =>
  `${endpoint.path.replace(/\{\w+\}/g, '1')}${query}`;

function send(server: Server, endpoint: AdminEndpoint, query: string) {
  const url = urlOf(endpoint, query);
  const agent = request(server);
  switch (endpoint.method) {
    case 'GET':
      return agent.get(url);
    case 'POST':
      return agent.post(url).send({});
    case 'PUT':
      return agent.put(url).send({});
    case 'PATCH':
      return agent.patch(url).send({});
    case 'DELETE':
      return agent.delete(url);
  }
}

describe('AddressList', () => {
  const whitelist = AddressList.parse('127.0.0.1, 10.0.0.0/8, ::1, fd00::/8');

  it.each([
    ['127.0.0.1', true],
    ['::ffff:127.0.0.1', true],
    ['10.200.3.4', true],
    ['11.0.0.1', false],
    ['::1', true],
    ['fd12::5', true],
    ['fe80::1', false],
    ['not-an-address', false],
  ])('%s allowed: %s', (address, allowed) => {
    expect(whitelist.allows(address)).toBe(allowed);
  });

  it('refuses entries that are neither addresses nor ranges, naming them', () => {
    expect(() => AddressList.parse('10.0.0.0/33,localhost')).toThrow('"10.0.0.0/33", "localhost"');
  });
});

describe('admin interface access (every endpoint)', () => {
  let dataDirectory: string;
  let allowed: INestApplication;
  let outsider: INestApplication;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-access-'));
    // Every endpoint is refused several times from localhost: over the failure limit (docs/security.md,
    // admin-limits.spec.ts), which this suite does not test.
    const common = {
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      ACD_CHAT_RATELIMIT_ADMIN_AUTHFAILURES_PER15MINUTES: '100000',
    };
    allowed = await startAdminTestApp({ ...common, SWITCHBOARD_ADMIN_WHITELIST: '127.0.0.1,::1' });
    // The same process seen from a host outside its whitelist (supertest connects from localhost).
    outsider = await startAdminTestApp({
      ...common,
      SWITCHBOARD_DATABASE_URL: `sqlite:${join(dataDirectory, 'outsider.db')}`,
      SWITCHBOARD_ADMIN_WHITELIST: '10.0.0.0/8',
    });
  });

  afterAll(async () => {
    await allowed?.close();
    await outsider?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe.each(
    ADMIN_ENDPOINTS.map((endpoint) => [`${endpoint.method} ${endpoint.path}`, endpoint] as const),
  )('%s', (_name, endpoint) => {
    it('answers 403 without the auth string, with no detail', async () => {
      const response = await send(allowed.getHttpServer() as Server, endpoint, '');
      expect(response.status).toBe(403);
      expect(response.text).not.toMatch(/auth|whitelist|a=/i);
    });

    it('answers 403 with a wrong auth string', async () => {
      const response = await send(allowed.getHttpServer() as Server, endpoint, `?a=${TEST_AUTH}x`);
      expect(response.status).toBe(403);
    });

    it('answers 403 to a host outside the whitelist, even with the right auth string', async () => {
      const response = await send(outsider.getHttpServer() as Server, endpoint, `?a=${TEST_AUTH}`);
      expect(response.status).toBe(403);
    });

    it('lets a whitelisted host with the auth string through', async () => {
      const response = await send(
        allowed.getHttpServer() as Server,
        endpoint,
        `?a=${encodeURIComponent(TEST_AUTH)}`,
      );
      expect(response.status).not.toBe(403);
      expect(response.status).toBeLessThan(500);
    });
  });
});
