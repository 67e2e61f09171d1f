import type { INestApplication } from '@nestjs/common';
import { azureTemplate } from '@switchboard/identity/testing';
import { appRepositories, dropMysqlDatabase, type Repositories } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { startAdminTestApp, TEST_AUTH } from '../testing/admin-test-app';

// OpenID Connect providers through the management API on the real MariaDB.
describe('/api/oidcproviders (MariaDB)', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  const clientSecret = 'azure-secret-Value~8Qm3nP0xL2vR';
  const newSecret = 'azure-secret-Rotated~5Tt7Yy9Uu1';
  let admin: INestApplication;
  let repositories: Repositories;
  const logLines: string[] = [];
  const server = () => admin.getHttpServer() as Server;
  const withAuth = (path: string) => `${path}?a=${TEST_AUTH}`;

  const template = (properties: Record<string, unknown> = {}) =>
    azureTemplate({ CLIENTSECRET: clientSecret, ...properties });

  beforeAll(async () => {
    admin = await startAdminTestApp(
      { SWITCHBOARD_CLUSTER: 'memory', SWITCHBOARD_DATABASE_URL: databaseUrl },
      undefined,
      { write: (line: string) => logLines.push(line) > 0 },
    );
    repositories = appRepositories(admin);
  });

  afterAll(async () => {
    await admin?.close();
    await dropMysqlDatabase(databaseUrl);
  });

  it('refuses settings with a 400 that names the field', async () => {
    const noSecret = await request(server())
      .post(withAuth('/api/oidcproviders'))
      .send(template({ CLIENTSECRET: undefined }))
      .expect(400);
    expect(JSON.stringify(noSecret.body)).toContain('Properties.CLIENTSECRET: is required');
    const badDomain = await request(server())
      .post(withAuth('/api/oidcproviders'))
      .send({ ...template(), IdDomain: 'contoso' })
      .expect(400);
    expect(JSON.stringify(badDomain.body)).toContain('IdDomain: must be a domain name like contoso.com');
    const plainHttp = await request(server())
      .post(withAuth('/api/oidcproviders'))
      .send(template({ TENANT: undefined, ISSUER: 'http://idp.contoso.com' }))
      .expect(400);
    expect(JSON.stringify(plainHttp.body)).toContain('Properties.ISSUER: must be an https:// URL');
  });

  it('stores the secret encrypted, never shows it, keeps it on a change without one', async () => {
    const created = await request(server()).post(withAuth('/api/oidcproviders')).send(template()).expect(201);
    const { id } = (created.body as { value: { id: number } }).value;
    expect((created.body as { value: unknown }).value).toEqual({
      id,
      IdDomain: 'contoso.com',
      IsEnabled: true,
      Name: 'Azure AD',
      Properties: { TENANT: '72f988bf-86f1-41af-91ab-2d7cd011db47', CLIENTID: 'app-id' },
    });
    const renamed = await request(server())
      .put(withAuth(`/api/oidcproviders/${id}`))
      .send({ ...template({ CLIENTSECRET: undefined }), Name: 'Contoso' })
      .expect(200);
    expect((renamed.body as { value: { Name: string } }).value.Name).toBe('Contoso');
    expect(await repositories.oidcProviders.revealClientSecret(id)).toBe(clientSecret);
    await request(server())
      .put(withAuth(`/api/oidcproviders/${id}`))
      .send({ ...template({ CLIENTSECRET: newSecret }), Name: 'Contoso' })
      .expect(200);
    expect(await repositories.oidcProviders.revealClientSecret(id)).toBe(newSecret);

    const listed = await request(server()).get(withAuth('/api/oidcproviders')).expect(200);
    const rows = await admin.get(DataSource).query<unknown[]>('SELECT * FROM oidc_providers');
    const audit = await request(server()).get(withAuth('/api/audit')).expect(200);
    for (const text of [
      JSON.stringify([created.body, renamed.body, listed.body]),
      JSON.stringify(rows),
      JSON.stringify(audit.body),
      logLines.join(''),
    ]) {
      expect(text).not.toContain(clientSecret);
      expect(text).not.toContain(newSecret);
    }
    expect(JSON.stringify(audit.body)).toContain('oidcprovider.update');
  });

  it('answers a duplicate name with a conflict and an unknown id with a 404', async () => {
    await request(server())
      .post(withAuth('/api/oidcproviders'))
      .send({ ...template(), Name: 'Twice' })
      .expect(201);
    const again = await request(server())
      .post(withAuth('/api/oidcproviders'))
      .send({ ...template(), Name: 'Twice' });
    expect(again.status).toBe(409);
    await request(server()).delete(withAuth('/api/oidcproviders/999999')).expect(404);
  });

  it('refuses a local password for an SSO user', async () => {
    await repositories.operators.create({
      username: 'alice@contoso.com',
      displayName: 'Alice',
      authSource: 'oidc',
    });
    const refused = await request(server())
      .patch(withAuth('/api/users/alice@contoso.com'))
      .send({ password: 'a password for alice' })
      .expect(400);
    expect(JSON.stringify(refused.body)).toMatch(/no local password/);
  });
});
