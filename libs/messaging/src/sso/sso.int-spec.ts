import { Logger, type LoggerService } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  oidcSettingsSchema,
  SessionService,
  withoutSecret,
  type OidcSettingsInput,
} from '@switchboard/identity';
import { OidcTestProvider, RedirectFollowingBrowser } from '@switchboard/oidc-provider/testing';
import type { Repositories } from '@switchboard/persistence';
import request from 'supertest';
import { startTwoMessengerNodes, type MessengerNode, type TwoMessengerNodes } from '../testing';

// OpenID Connect single sign-on end to end: a real OpenID provider (oidc-provider, shaped like an
// Azure AD tenant) in its own process, two ClientMessenger nodes over real Hazelcast and MariaDB (the
// browser identifies on node 1 and comes back on node 2).
describe('OIDC single sign-on (oidc-provider as an Azure-like tenant, two nodes, MariaDB)', () => {
  const clientSecret = 'sb-client-secret-Q7f9Zr2LmX0pWv4';
  const otherSecret = 'other-client-secret-Hh3Kk8Nn1Bb6';
  const tenant = 'a2e0c0de-0000-4000-8000-000000000001';
  let nodes: TwoMessengerNodes;
  let identifyNode: MessengerNode;
  let callbackNode: MessengerNode;
  let repositories: Repositories;
  let provider: OidcTestProvider;
  const logged: string[] = [];

  const capture: LoggerService = {
    log: (message: unknown) => logged.push(String(message)),
    warn: (message: unknown) => logged.push(String(message)),
    error: (message: unknown) => logged.push(String(message)),
  };

  beforeAll(async () => {
    nodes = await startTwoMessengerNodes();
    ({ visitorNode: identifyNode, agentNode: callbackNode } = nodes);
    Logger.overrideLogger(capture);
    repositories = identifyNode.repositories;
    const callbackUrl = `${callbackNode.url}/auth/oidc/callback`;
    provider = await OidcTestProvider.start({
      tenant,
      client: { clientId: 'switchboard-app', clientSecret, redirectUris: [callbackUrl] },
      otherClients: [
        {
          clientId: 'misissuing-app',
          clientSecret: otherSecret,
          redirectUris: [callbackUrl],
          idTokenAudience: 'another-app',
        },
      ],
      users: [
        {
          sub: 'alice-oid',
          preferred_username: 'alice@contoso.com',
          email: 'alice@contoso.com',
          groups: ['sb-supervisors'],
        },
        { sub: 'bob-oid', preferred_username: 'bob.b@contoso.com', email: 'bob@contoso.com' },
        { sub: 'carol-oid', preferred_username: 'carol@contoso.com', email: 'carol@contoso.com' },
        { sub: 'dave-oid', preferred_username: 'dave@contoso.com' },
        { sub: 'erin-oid', preferred_username: 'erin@fabrikam.com' },
        { sub: 'local-oid', preferred_username: 'lou@contoso.com' },
      ],
    });
    // Production needs wss://; these loopback tests say explicitly that plain http is fine.
    for (const node of [identifyNode, callbackNode]) {
      const parameters = node.app.get(ParameterService);
      await parameters.set('ACD.Chat.Server.Base.URL', callbackNode.url.replace('http:', 'ws:'), 'test');
      await parameters.set('ACD.Chat.Sso.AllowLoopbackHttp', 'true', 'test');
    }
    await addProvider({
      IdDomain: 'contoso.com',
      IsEnabled: 'true',
      Name: 'Contoso Azure AD',
      Properties: {
        ISSUER: provider.issuer,
        CLIENTID: 'switchboard-app',
        CLIENTSECRET: clientSecret,
        GROUPROLES: { 'sb-supervisors': 'supervisor' },
      },
    });
    await addProvider({
      IdDomain: 'fabrikam.com',
      IsEnabled: true,
      Name: 'Fabrikam (misissuing)',
      Properties: { ISSUER: provider.issuer, CLIENTID: 'misissuing-app', CLIENTSECRET: otherSecret },
    });
    const operators = repositories.operators;
    await operators.create({ username: 'alice@contoso.com', displayName: 'Alice', authSource: 'oidc' });
    await operators.create({
      username: 'bob',
      displayName: 'Bob',
      authSource: 'oidc',
      email: 'bob@contoso.com',
    });
    await operators.create({
      username: 'dave@contoso.com',
      displayName: 'Dave',
      authSource: 'oidc',
      disabled: true,
    });
    await operators.create({ username: 'erin@fabrikam.com', displayName: 'Erin', authSource: 'oidc' });
    await operators.create({ username: 'lou@contoso.com', displayName: 'Lou', password: 'a local password' });
  });

  afterAll(async () => {
    Logger.overrideLogger(['error']);
    await provider?.stop();
    await nodes?.stop();
  });

  async function addProvider(input: OidcSettingsInput) {
    const settings = oidcSettingsSchema.parse(input);
    await repositories.oidcProviders.create({
      name: settings.Name,
      settings: withoutSecret(settings),
      clientSecret: settings.Properties.CLIENTSECRET ?? '',
    });
  }

  async function identify(username: string, node = identifyNode) {
    const answer = await request(node.url).post('/auth/identify').send({ username }).expect(200);
    return answer.body as { step: 'password' } | { step: 'sso'; provider: string; authorizationUrl: string };
  }

  async function authorizationUrlFor(username: string): Promise<string> {
    const answer = await identify(username);
    if (answer.step !== 'sso') throw new Error(`${username} was sent to the password step`);
    return answer.authorizationUrl;
  }

  describe('the username-first step', () => {
    it('sends an address in the IdDomain to the provider: code flow with PKCE (S256), state and nonce', async () => {
      const answer = await identify('Alice@Contoso.com');
      expect(answer).toMatchObject({ step: 'sso', provider: 'Contoso Azure AD' });
      const url = new URL((answer as { authorizationUrl: string }).authorizationUrl);
      expect(url.href.startsWith(`${provider.issuer}/`)).toBe(true);
      expect(Object.fromEntries(url.searchParams)).toMatchObject({
        response_type: 'code',
        client_id: 'switchboard-app',
        redirect_uri: `${callbackNode.url}/auth/oidc/callback`,
        code_challenge_method: 'S256',
        login_hint: 'Alice@Contoso.com',
      });
      for (const name of ['state', 'nonce', 'code_challenge'])
        expect(url.searchParams.get(name)).toMatch(/^[\w-]{20,}$/);
      expect(url.href).not.toContain(clientSecret);
    });

    it("sends an SSO user's bare username to their provider", async () => {
      expect(await identify('bob')).toMatchObject({ step: 'sso', provider: 'Contoso Azure AD' });
    });

    it('answers the password step alike for a local user, an unknown name and another domain', async () => {
      expect(await identify('lou')).toEqual({ step: 'password' });
      expect(await identify('nobody-at-all')).toEqual({ step: 'password' });
      expect(await identify('someone@elsewhere.org')).toEqual({ step: 'password' });
    });

    it('refuses a malformed request with a 400', async () => {
      const refused = await request(identifyNode.url)
        .post('/auth/identify')
        .send({ username: '' })
        .expect(400);
      expect(refused.body).toEqual({ code: 'INVALID_REQUEST', message: 'username: is required' });
    });
  });

  describe('the callback', () => {
    it('signs a user in at the provider and opens the same session as a password log-in, on the other node', async () => {
      const browser = new RedirectFollowingBrowser();
      const page = await browser.signIn(await authorizationUrlFor('alice@contoso.com'), 'alice@contoso.com');
      expect(page.url.startsWith(`${callbackNode.url}/auth/oidc/callback?`)).toBe(true);
      expect(page.status).toBe(200);
      const stored = /JSON\.stringify\((\{.*?\})\)/.exec(page.body)?.[1];
      const tokens = JSON.parse(stored ?? 'null') as { token: string; refreshToken: string };
      const signedIn = await identifyNode.app.get(SessionService).authenticate(tokens.token);
      expect(signedIn.operator.username).toBe('alice@contoso.com');
      // Her group in the ID token maps to the supervisor role.
      expect(signedIn.operator.role).toBe('supervisor');
      const refreshed = await identifyNode.app
        .get(SessionService)
        .refresh(tokens.refreshToken, { remoteAddress: '127.0.0.1' });
      expect(refreshed.operator.username).toBe('alice@contoso.com');
      const audit = await repositories.adminAudit.list({
        targetKind: 'session',
        targetKey: 'alice@contoso.com',
      });
      expect(audit.map((entry) => [entry.action, detailsOf(entry).method])).toContainEqual(['login', 'oidc']);
    });

    it('matches the user by email when the provider names them otherwise', async () => {
      const browser = new RedirectFollowingBrowser();
      const page = await browser.signIn(await authorizationUrlFor('bob'), 'bob-oid');
      expect(page.status).toBe(200);
      expect(page.body).toContain('Signed in as bob.');
    });

    it.each([
      [
        'a user the provider knows but Switchboard does not',
        'carol@contoso.com',
        'carol-oid',
        'no Switchboard user has your username or email',
      ],
      [
        'a disabled user',
        'dave@contoso.com',
        'dave-oid',
        'The account is disabled: ask an administrator to enable it.',
      ],
      [
        'a local user (no SSO into a password account)',
        'x@contoso.com',
        'local-oid',
        'does not log in through this sign-in provider',
      ],
    ])('refuses %s with a clear page and no session', async (_case, typed, signedInAs, reason) => {
      const page = await new RedirectFollowingBrowser().signIn(await authorizationUrlFor(typed), signedInAs);
      expect(page.status).toBe(403);
      expect(page.body).toContain(reason);
      expect(page.body).not.toMatch(/refreshToken|Storage/);
    });

    it('refuses a tampered state, and a callback used twice', async () => {
      const tampered = new URL(await authorizationUrlFor('alice@contoso.com'));
      tampered.searchParams.set('state', `${tampered.searchParams.get('state')}x`);
      const page = await new RedirectFollowingBrowser().signIn(tampered.href, 'alice-oid');
      expect(page.status).toBe(403);
      expect(page.body).toContain('This sign-in is unknown, already used or expired');

      const first = await new RedirectFollowingBrowser().signIn(
        await authorizationUrlFor('alice@contoso.com'),
        'alice-oid',
      );
      expect(first.status).toBe(200);
      const replayed = await new RedirectFollowingBrowser().open(first.url);
      expect(replayed.status).toBe(403);
      expect(replayed.body).toContain('This sign-in is unknown, already used or expired');
    });

    it('refuses an ID token issued to another audience', async () => {
      const page = await new RedirectFollowingBrowser().signIn(
        await authorizationUrlFor('erin@fabrikam.com'),
        'erin-oid',
      );
      expect(page.status).toBe(403);
      expect(page.body).toContain('an identity this server cannot trust');
      expect(logged.join('\n')).toMatch(/callback of "Fabrikam \(misissuing\)" failed: .*"aud" \(audience\)/);
      const audit = await repositories.adminAudit.list({ targetKind: 'session' });
      expect(audit.map((entry) => detailsOf(entry).reason)).toContain('SSO_TOKEN_INVALID');
    });

    it('never writes a client secret to the logs, the audit trail or an answer', async () => {
      expect(logged.length).toBeGreaterThan(0);
      const audit = await repositories.adminAudit.list({});
      for (const text of [logged.join('\n'), JSON.stringify(audit)]) {
        expect(text).not.toContain(clientSecret);
        expect(text).not.toContain(otherSecret);
      }
    });
  });
});

function detailsOf(entry: { newValue: string | null }): { method?: string; reason?: string } {
  return JSON.parse(entry.newValue ?? '{}') as { method?: string; reason?: string };
}
