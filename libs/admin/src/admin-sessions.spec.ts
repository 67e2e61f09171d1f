import type { INestApplication } from '@nestjs/common';
import { IdentityException, SessionService, type IssuedSession } from '@switchboard/identity';
import { appRepositories, type OperatorRecord, type Repositories } from '@switchboard/persistence';
import { ClusterEventBus } from '@switchboard/platform';
import type { ClusterEventOf } from '@switchboard/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startAdminTestApp, TEST_AUTH } from './testing/admin-test-app';

const origin = { remoteAddress: '127.0.0.1' };
const password = 'admin password 1';

describe("the management API on an administrator's session", () => {
  let dataDirectory: string;
  let app: INestApplication;
  let server: Server;
  let repositories: Repositories;
  let sessions: SessionService;
  const revoked: Array<ClusterEventOf<'session.revoked'>> = [];
  const issued: IssuedSession[] = [];

  const signIn = async (operator: OperatorRecord) => {
    const session = await sessions.open(operator, { remember: false, method: 'local' }, origin);
    issued.push(session);
    return session;
  };
  const makeUser = (username: string, role: OperatorRecord['role']) =>
    repositories.operators.create({ username, displayName: username, password, role });
  const bearer = (session: IssuedSession) => ({ authorization: `Bearer ${session.token}` });
  const endedWith = (session: IssuedSession) =>
    sessions.authenticate(session.token).then(
      () => 'still valid',
      (error: IdentityException) => error.code,
    );

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-admin-sessions-'));
    app = await startAdminTestApp({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' });
    server = app.getHttpServer() as Server;
    repositories = appRepositories(app);
    sessions = app.get(SessionService);
    app.get(ClusterEventBus).on('session.revoked', (event) => void revoked.push(event));
  });

  afterAll(async () => {
    await app?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('lets an administrator in on /api/* with their token; an agent or a supervisor is refused', async () => {
    const admin = await signIn(await makeUser('root-admin', 'administrator'));
    await request(server).get('/api/sites').set(bearer(admin)).expect(200);
    for (const role of ['agent', 'supervisor'] as const) {
      const other = await signIn(await makeUser(`a-${role}`, role));
      await request(server).get('/api/sites').set(bearer(other)).expect(403);
    }
    await request(server).get('/api/sites').set({ authorization: 'Bearer 1.00.forged' }).expect(403);
  });

  it('keeps the WhosOn endpoints on the auth string only', async () => {
    const admin = await signIn(await makeUser('whoson-admin', 'administrator'));
    await request(server).get('/status.json').set(bearer(admin)).expect(403);
    await request(server).get(`/status.json?a=${TEST_AUTH}`).expect(200);
  });

  it('audits changes under the administrator name, and refuses a token once logged out', async () => {
    const admin = await signIn(await makeUser('audited-admin', 'administrator'));
    await request(server).post('/api/skills').set(bearer(admin)).send({ name: 'sessions-skill' }).expect(201);
    const [row] = await repositories.adminAudit.list({ targetKind: 'skill' });
    expect(JSON.parse(row.newValue ?? '{}')).toMatchObject({ name: 'sessions-skill' });
    expect(row.actor).toBe('audited-admin');
    await sessions.logout(admin, origin);
    await request(server).get('/api/sites').set(bearer(admin)).expect(403);
  });

  it('creates directory users without a local password, and refuses one for them', async () => {
    const refused = await request(server)
      .post(`/api/users?a=${TEST_AUTH}`)
      .send({ username: 'dir-user', displayName: 'Dir', authSource: 'ldap', password: 'a secret password' })
      .expect(400);
    expect((refused.body as { message: string }).message).toContain(
      'LDAP and OIDC users have no local password',
    );
    expect(refused.text).not.toContain('a secret password');
    expect(await repositories.operators.findByUsername('dir-user')).toBeNull();
    const created = await request(server)
      .post(`/api/users?a=${TEST_AUTH}`)
      .send({ username: 'dir-user', displayName: 'Dir', authSource: 'ldap', role: 'supervisor' })
      .expect(201);
    expect((created.body as { value: unknown }).value).toMatchObject({
      authSource: 'ldap',
      role: 'supervisor',
      disabled: false,
    });
    await request(server)
      .post(`/api/users?a=${TEST_AUTH}`)
      .send({ username: 'no-password', displayName: 'Local' })
      .expect(400);
    await request(server)
      .patch(`/api/users/dir-user?a=${TEST_AUTH}`)
      .send({ password: 'another secret' })
      .expect(400);
  });

  it('ends every session of a user disabled, on every node (event), and audits it', async () => {
    const admin = await signIn(await makeUser('disabling-admin', 'administrator'));
    const user = await makeUser('to-disable', 'agent');
    const [first, second] = [await signIn(user), await signIn(user)];
    await request(server)
      .patch('/api/users/to-disable')
      .set(bearer(admin))
      .send({ disabled: true })
      .expect(200);
    expect([await endedWith(first), await endedWith(second)]).toEqual(['SESSION_ENDED', 'SESSION_ENDED']);
    await expect(sessions.refresh(first.refreshToken, origin)).rejects.toMatchObject({
      code: 'SESSION_ENDED',
    });
    expect(revoked).toContainEqual(
      expect.objectContaining({ username: 'to-disable', sessionKey: null, reason: 'disabled' }),
    );
    const [audit] = await repositories.adminAudit.list({ targetKind: 'session', targetKey: 'to-disable' });
    expect(audit).toMatchObject({ action: 'session.revoked', actor: 'to-disable' });
    expect(JSON.parse(audit.newValue ?? '{}')).toMatchObject({
      reason: 'disabled',
      by: 'disabling-admin',
      sessions: '2',
    });
    await expect(sessions.login({ username: 'to-disable', password }, origin)).rejects.toMatchObject({
      code: 'ACCOUNT_DISABLED',
    });
  });

  it('ends the sessions of a user whose role changes, or who is deleted', async () => {
    const promoted = await makeUser('promoted', 'agent');
    const before = await signIn(promoted);
    await request(server)
      .patch(`/api/users/promoted?a=${TEST_AUTH}`)
      .send({ role: 'supervisor' })
      .expect(200);
    expect(await endedWith(before)).toBe('SESSION_ENDED');
    const deleted = await signIn(await makeUser('deleted', 'agent'));
    await request(server).get(`/deleteuser.htm?a=${TEST_AUTH}&username=deleted`).expect(200);
    expect(await endedWith(deleted)).toBe('SESSION_ENDED');
    expect(revoked.map((event) => [event.username, event.reason])).toEqual(
      expect.arrayContaining([
        ['promoted', 'role-changed'],
        ['deleted', 'deleted'],
      ]),
    );
  });

  it('never writes a token or a password to the log or the audit trail', async () => {
    const log = (await request(server).get(`/getlog.txt?a=${TEST_AUTH}`).expect(200)).text;
    const audit = JSON.stringify(await repositories.adminAudit.list({ limit: 1000 }));
    for (const session of issued)
      for (const secret of [session.token, session.refreshToken, password]) {
        expect(log).not.toContain(secret);
        expect(audit).not.toContain(secret);
      }
  });
});
