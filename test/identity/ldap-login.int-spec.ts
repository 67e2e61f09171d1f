import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ParameterService } from '@switchboard/config';
import {
  DIRECTORY_ACCOUNTS,
  DIRECTORY_SUFFIX,
  LdapDirectory,
  readLdapSettings,
  startSlapd,
  type Slapd,
} from '@switchboard/identity/testing';
import { ClientMessengerModule } from '@switchboard/messaging';
import { TestSocket } from '@switchboard/messaging/testing';
import { appRepositories, hashPassword, type Repositories } from '@switchboard/persistence';
import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { AppLogger, PlatformModule } from '@switchboard/platform';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';

// LDAP log-ins through the console's real path (agent:login on the agent socket) against a real
// OpenLDAP slapd seeded from libs/identity/src/testing/directory.ldif; every log line is kept to
// show that no password ever reaches the log.
describe('LDAP log-ins against a real slapd', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-ldap-'));
  const logLines: string[] = [];
  const localPassword = 'planted-Local-hash-pw7';
  let slapd: Slapd;
  let app: INestApplication;
  let url: string;
  let repositories: Repositories;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    slapd = await startSlapd();
    @Module({
      imports: [
        PlatformModule.forRoot({
          service: 'client-messenger',
          defaultPort: 0,
          environment: {
            PORT: '0',
            HOST: '127.0.0.1',
            DATADIR: dataDirectory,
            SWITCHBOARD_CLUSTER: 'memory',
            SWITCHBOARD_LOG_FORMAT: 'json',
            SWITCHBOARD_LOG_LEVEL: 'trace',
            ...encryptionTestEnvironment(),
            ACD_CHAT_LDAP_ENABLED: 'true',
            ACD_CHAT_LDAP_URL: slapd.url,
            ACD_CHAT_LDAP_USERBIND: `uid={username},ou=people,${DIRECTORY_SUFFIX}`,
            ACD_CHAT_LDAP_SEARCHBASE: DIRECTORY_SUFFIX,
            ACD_CHAT_LDAP_BINDDN: DIRECTORY_ACCOUNTS.bind.dn,
            ACD_CHAT_LDAP_GROUPROLES: JSON.stringify({
              [`cn=chat-supervisors,ou=groups,${DIRECTORY_SUFFIX}`]: 'supervisor',
              'Chat Admins': 'administrator',
            }),
            ACD_CHAT_LDAP_TIMEOUT_MILLISECONDS: '2000',
            // The suite fails dozens of log-ins from 127.0.0.1 on purpose: the log-in limits would refuse them first.
            ACD_CHAT_RATELIMIT_LOGIN_FAILURESPERUSER_PER15MINUTES: '1000',
            ACD_CHAT_RATELIMIT_LOGIN_FAILURESPERADDRESS_PER15MINUTES: '100000',
          },
          logOutput: { write: (line: string) => logLines.push(line) },
        }),
        ClientMessengerModule,
      ],
    })
    class LdapNodeModule {}
    const moduleRef = await Test.createTestingModule({ imports: [LdapNodeModule] }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true });
    app.useLogger(app.get(AppLogger));
    app.flushLogs();
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    repositories = appRepositories(app);
    // The bind password goes through the parameter store, as the admin API stores it: encrypted.
    await app
      .get(ParameterService)
      .set('ACD.Chat.Ldap.BindPassword', DIRECTORY_ACCOUNTS.bind.password, 'test');
    for (const username of ['alice', 'sam', 'ada', 'dora'])
      await repositories.operators.create({
        username,
        displayName: username,
        authSource: 'ldap',
        disabled: username === 'dora',
        maxChats: 2,
      });
  }, 60_000);

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await app?.close();
    await slapd?.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  async function login(username: string, password: string) {
    const socket = await TestSocket.connect(url, 'agent');
    sockets.push(socket);
    return { socket, answer: await socket.request('agent:login', { username, password }) };
  }

  const refusal = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) as unknown });

  it('logs an LDAP user in with their directory password, through agent:login', async () => {
    const { socket, answer } = await login('alice', DIRECTORY_ACCOUNTS.alice);
    expect(answer).toMatchObject({ ok: true, agent: { username: 'alice' } });
    expect((await socket.ok('agent:status', { status: 1 })).agent.status).toBe(1);
    const [audit] = await repositories.adminAudit.list({ targetKind: 'session', targetKey: 'alice' });
    expect(audit).toMatchObject({ action: 'login' });
    expect(audit.newValue).toContain('"method":"ldap"');
  });

  it('refuses a wrong password with the same answer as an unknown user', async () => {
    const wrong = (await login('alice', 'not-the-password')).answer;
    const unknown = (await login('nobody-here', 'not-the-password')).answer;
    expect(wrong).toEqual(refusal('BAD_CREDENTIALS'));
    expect(wrong).toEqual(unknown);
  });

  it('refuses a user disabled in Switchboard, clearly, although the directory accepts them', async () => {
    expect((await login('dora', DIRECTORY_ACCOUNTS.dora)).answer).toEqual(refusal('ACCOUNT_DISABLED'));
  });

  it("gives the role of the user's directory groups (by DN and by CN), stored and audited", async () => {
    expect((await login('sam', DIRECTORY_ACCOUNTS.sam)).answer).toMatchObject({ ok: true });
    expect((await repositories.operators.findByUsername('sam'))?.role).toBe('supervisor');
    expect((await login('ada', DIRECTORY_ACCOUNTS.ada)).answer).toMatchObject({ ok: true });
    expect((await repositories.operators.findByUsername('ada'))?.role).toBe('administrator');
    const [change] = await repositories.adminAudit.list({ targetKind: 'user', targetKey: 'sam' });
    expect(change).toMatchObject({ action: 'user.role.directory', actor: 'ldap' });
    expect(change.newValue).toContain('"role":"supervisor"');

    // A user in no mapped group is an agent, whatever role they had.
    const alice = (await repositories.operators.findByUsername('alice'))!;
    await repositories.operators.update(alice.id, { role: 'administrator' });
    expect((await login('alice', DIRECTORY_ACCOUNTS.alice)).answer).toMatchObject({ ok: true });
    expect((await repositories.operators.findByUsername('alice'))?.role).toBe('agent');
  });

  it.each([
    '*',
    'alice*',
    'alice)(uid=*',
    '*)(|(uid=*',
    'alice,ou=people',
    'uid=alice',
    'al\\2aice',
    'alice\0',
  ])('refuses the injection %j in a typed username', async (username) => {
    expect((await login(username, DIRECTORY_ACCOUNTS.alice)).answer).toEqual(refusal('BAD_CREDENTIALS'));
  });

  it.each(['*', 'a*', 'x)(uid=*', `alice,ou=people,${DIRECTORY_SUFFIX}`, 'alice\\,ou=people'])(
    'refuses an LDAP user stored as %j without asking the directory',
    async (username) => {
      await repositories.operators.create({ username, displayName: 'odd', authSource: 'ldap', maxChats: 1 });
      expect((await login(username, DIRECTORY_ACCOUNTS.alice)).answer).toEqual(refusal('BAD_CREDENTIALS'));
    },
  );

  it('escapes the username in the group search filter: a * matches no one, not everyone', async () => {
    const settings = readLdapSettings(app.get(ParameterService));
    const attempt = app
      .get(LdapDirectory)
      .login(
        settings,
        { username: '*', bindName: `uid=alice,ou=people,${DIRECTORY_SUFFIX}` },
        DIRECTORY_ACCOUNTS.alice,
        true,
      );
    await expect(attempt).rejects.toThrow('found 0 entries for "*"');
  });

  it('refuses log-ins while the directory is down, with a clear error and no fallback to a local password', async () => {
    const alice = (await repositories.operators.findByUsername('alice'))!;
    // A local hash left behind (e.g. from before the user moved to LDAP) must never be used.
    await app
      .get(DataSource)
      .query('UPDATE operators SET password_hash = ? WHERE id = ?', [
        await hashPassword(localPassword),
        alice.id,
      ]);
    expect((await login('alice', localPassword)).answer).toEqual(refusal('BAD_CREDENTIALS'));

    await slapd.stop();
    try {
      for (const password of [localPassword, DIRECTORY_ACCOUNTS.alice]) {
        const { answer } = await login('alice', password);
        expect(answer).toEqual(refusal('DIRECTORY_UNAVAILABLE'));
        expect(JSON.stringify(answer)).toContain('cannot be reached: retry later or tell an administrator');
      }
      const [failure] = await repositories.adminAudit.list({ targetKind: 'session', targetKey: 'alice' });
      expect(failure.newValue).toContain('DIRECTORY_UNAVAILABLE');
    } finally {
      await slapd.start();
    }
    expect((await login('alice', DIRECTORY_ACCOUNTS.alice)).answer).toMatchObject({ ok: true });
  });

  it('refuses log-ins needing groups while the bind account is refused, and says why in the log', async () => {
    const parameters = app.get(ParameterService);
    await parameters.set('ACD.Chat.Ldap.BindPassword', 'a-wrong-Bind-pw0', 'test');
    try {
      expect((await login('sam', DIRECTORY_ACCOUNTS.sam)).answer).toEqual(refusal('DIRECTORY_UNAVAILABLE'));
      expect(logLines.join('\n')).toContain('(ACD.Chat.Ldap.BindDn) was refused');
    } finally {
      await parameters.set('ACD.Chat.Ldap.BindPassword', DIRECTORY_ACCOUNTS.bind.password, 'test');
    }
  });

  it('stores the bind password encrypted and never writes a password to the log or the audit trail', async () => {
    const database = app.get(DataSource);
    const [stored] = await database.query<Array<{ value: string }>>(
      "SELECT value FROM parameters WHERE name = 'ACD.Chat.Ldap.BindPassword'",
    );
    expect(stored.value).toMatch(/^sbenc1:/);
    expect(app.get(ParameterService).view('ACD.Chat.Ldap.BindPassword').value).toBe('***');
    const audits = JSON.stringify([
      await database.query('SELECT * FROM parameter_audit'),
      await database.query('SELECT * FROM admin_audit'),
    ]);
    const logs = logLines.join('\n');
    expect(logs).toContain('log-in of \\"alice\\"');
    const secrets = [
      DIRECTORY_ACCOUNTS.alice,
      DIRECTORY_ACCOUNTS.sam,
      DIRECTORY_ACCOUNTS.ada,
      DIRECTORY_ACCOUNTS.dora,
      DIRECTORY_ACCOUNTS.bind.password,
      'a-wrong-Bind-pw0',
      localPassword,
    ];
    for (const secret of secrets) {
      expect(logs).not.toContain(secret);
      expect(audits).not.toContain(secret);
    }
  });
});
