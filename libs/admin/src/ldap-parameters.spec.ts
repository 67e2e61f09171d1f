import type { INestApplication } from '@nestjs/common';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startAdminTestApp, TEST_AUTH } from './testing/admin-test-app';

const secret = 'svc-Bind-password-42';

describe('the LDAP parameters on the management API', () => {
  let dataDirectory: string;
  let app: INestApplication;
  let server: Server;
  const logLines: string[] = [];
  const put = (name: string, value: string | null) =>
    request(server).put(`/api/parameters/${name}?a=${TEST_AUTH}`).send({ value });

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-ldap-'));
    app = await startAdminTestApp(
      { DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory', SWITCHBOARD_LOG_LEVEL: 'trace' },
      undefined,
      { write: (line: string) => logLines.push(line) },
    );
    server = app.getHttpServer() as Server;
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('refuses a directory URL that is not ldap:// or ldaps:// with a 400 naming the rule', async () => {
    const answer = await put('ACD.Chat.Ldap.Url', 'http://dc1.example.com').expect(400);
    expect(JSON.stringify(answer.body)).toContain(
      'ACD.Chat.Ldap.Url must be empty or an absolute URL starting with ldap:// or ldaps://',
    );
    await put('ACD.Chat.Ldap.Url', 'ldaps://dc1.example.com:636').expect(200);
  });

  it('keeps the bind password write-only: stored encrypted, shown as ***, never in answers, audit or log', async () => {
    const set = await put('ACD.Chat.Ldap.BindPassword', secret).expect(200);
    expect(JSON.stringify(set.body)).not.toContain(secret);
    const listed = await request(server).get(`/api/parameters?a=${TEST_AUTH}`).expect(200);
    expect(listed.body).toContainEqual(
      expect.objectContaining({ name: 'ACD.Chat.Ldap.BindPassword', value: '***' }),
    );
    const tooLong = await put('ACD.Chat.Ldap.BindPassword', `${secret}${'x'.repeat(300)}`).expect(400);
    const audit = await request(server).get(`/api/audit?a=${TEST_AUTH}&kind=parameter`).expect(200);
    const database = app.get(DataSource);
    const [stored] = await database.query<Array<{ value: string }>>(
      "SELECT value FROM parameters WHERE name = 'ACD.Chat.Ldap.BindPassword'",
    );
    expect(stored.value).toMatch(/^sbenc1:/);
    const everything = JSON.stringify([
      listed.body,
      tooLong.body,
      audit.body,
      await database.query('SELECT * FROM parameters'),
      await database.query('SELECT * FROM parameter_audit'),
      logLines,
    ]);
    expect(everything).toContain('ACD.Chat.Ldap.BindPassword');
    expect(everything).not.toContain(secret);
  });
});
