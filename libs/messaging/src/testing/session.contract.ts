import type { AgentResults } from '@switchboard/protocol';
import { seedSiteAndAgent } from './chat-fixtures';
import type { MessagingTopology } from './messaging.contract';
import { TestSocket } from './socket-test-client';

type Issued = AgentResults['agent:login'];

/**
 * Agents' sessions over the sockets, on one node and across two: log-in answers a refreshable pair,
 * refresh spends the refresh token, log-out on one node closes the session's connections on the other,
 * and every step is in the audit trail with no secret in it.
 */
export function sessionContract(topology: () => MessagingTopology): void {
  const sockets: TestSocket[] = [];
  const connect = async (url: string, token?: string, headers?: Record<string, string>) => {
    const socket = await TestSocket.connect(url, 'agent', { token, headers });
    sockets.push(socket);
    return socket;
  };
  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  const sessionAudit = async (username: string) =>
    (await topology().repositories.adminAudit.list({ targetKind: 'session', targetKey: username })).reverse();

  describe('agent sessions', () => {
    it('answers a short-lived token and a refresh token that is spent once', async () => {
      const [agent] = (await seedSiteAndAgent(topology().repositories)).agents;
      const first = await connect(topology().agentUrl);
      const issued: Issued = await first.ok('agent:login', { ...agent, remember: true });
      const lifetime = Date.parse(issued.expiresAt) - Date.now();
      expect(lifetime).toBeGreaterThan(14 * 60_000);
      expect(lifetime).toBeLessThanOrEqual(15 * 60_000);

      // A fresh connection on the other node signs in with the refresh token alone.
      const second = await connect(topology().visitorUrl);
      const refreshed: Issued = await second.ok('agent:refresh', { refreshToken: issued.refreshToken });
      expect(refreshed.agent.username).toBe(agent.username);
      expect(refreshed.refreshToken).not.toBe(issued.refreshToken);
      expect(Array.isArray((await second.ok('queue:list', {})).chats)).toBe(true);

      const replay = await connect(topology().agentUrl);
      expect(await replay.request('agent:refresh', { refreshToken: issued.refreshToken })).toMatchObject({
        ok: false,
        error: { code: 'SESSION_ENDED' },
      });
      expect(await replay.request('queue:list', {})).toMatchObject({ ok: false });
    });

    it('closes the session on every node at log-out, and its tokens stop working', async () => {
      const [agent] = (await seedSiteAndAgent(topology().repositories)).agents;
      const here = await connect(topology().visitorUrl);
      const issued: Issued = await here.ok('agent:login', agent);
      const there = await connect(topology().agentUrl, issued.token);
      await there.next('agent:ready');
      const otherSession = await connect(topology().agentUrl);
      await otherSession.ok('agent:login', agent);

      await here.ok('agent:logout', {});
      const notice = await there.next<{ reason: string; message: string }>('agent:signed-out');
      expect(notice).toEqual({ reason: 'logout', message: 'You logged out of this session.' });
      await waitFor(() => !there.socket.connected);
      // The log-out ended one session: the agent's other session keeps working.
      expect(otherSession.socket.connected).toBe(true);
      expect(Array.isArray((await otherSession.ok('queue:list', {})).chats)).toBe(true);

      expect(await here.request('queue:list', {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      const late = await connect(topology().agentUrl, issued.token);
      expect(await late.next('request:error')).toMatchObject({ code: 'SESSION_ENDED' });
      expect(await late.request('agent:refresh', { refreshToken: issued.refreshToken })).toMatchObject({
        ok: false,
        error: { code: 'SESSION_ENDED' },
      });
    });

    it('refuses a disabled agent after the password check, and audits each step without a secret', async () => {
      const { repositories } = topology();
      const [agent] = (await seedSiteAndAgent(repositories)).agents;
      const socket = await connect(topology().agentUrl);
      expect(await socket.request('agent:login', { ...agent, password: 'wrong password' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_CREDENTIALS' },
      });
      const issued: Issued = await socket.ok('agent:login', agent);
      await socket.ok('agent:logout', {});
      await repositories.operators.update(agent.id, { disabled: true });
      expect(await socket.request('agent:login', agent)).toMatchObject({
        ok: false,
        error: {
          code: 'ACCOUNT_DISABLED',
          message: 'The account is disabled: ask an administrator to enable it.',
        },
      });
      expect(await socket.request('agent:login', { ...agent, password: 'wrong password' })).toMatchObject({
        ok: false,
        error: { code: 'BAD_CREDENTIALS' },
      });

      const trail = await sessionAudit(agent.username);
      const reasonOf = (json: string | null) =>
        (JSON.parse(json ?? '{}') as { reason?: string }).reason ?? null;
      expect(trail.map((row) => [row.action, reasonOf(row.newValue)])).toEqual([
        ['login.failed', 'BAD_CREDENTIALS'],
        ['login', null],
        ['logout', null],
        ['login.failed', 'ACCOUNT_DISABLED'],
        ['login.failed', 'BAD_CREDENTIALS'],
      ]);
      const written = JSON.stringify(trail);
      for (const secret of [
        agent.password,
        issued.token,
        issued.refreshToken,
        issued.refreshToken.split('.')[1],
      ])
        expect(written).not.toContain(secret);
    });
  });

  describe('failed log-ins are limited per username and per address (RATE_LIMITED, retryAfterMs)', () => {
    // Each connection comes from its own client address (the tests' proxy, 127.0.0.1, is trusted).
    const from = (address: string) => connect(topology().agentUrl, undefined, { 'x-forwarded-for': address });
    const fifteenMinutes = 15 * 60_000;
    let addressCount = 0;
    const freshAddress = () => `198.18.${Math.floor(Math.random() * 250)}.${(addressCount += 1) % 250}`;
    const expectLockedOut = (answer: unknown, password: string) => {
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ s\.$/) as unknown },
      });
      const { retryAfterMs } = (answer as { error: { retryAfterMs: number } }).error;
      expect(retryAfterMs).toBeGreaterThan(0);
      expect(retryAfterMs).toBeLessThanOrEqual(fifteenMinutes);
      expect(JSON.stringify(answer)).not.toContain(password);
    };

    it('locks a username out after 5 wrong passwords, even with the right one from another address; another user logs in', async () => {
      const [agent, other] = (await seedSiteAndAgent(topology().repositories, { agents: 2 })).agents;
      const attacker = await from(freshAddress());
      const wrong = (index: number) => ({ username: agent.username, password: `guess ${index}` });
      for (let index = 0; index < 5; index += 1)
        expect(await attacker.request('agent:login', wrong(index))).toMatchObject({
          ok: false,
          error: { code: 'BAD_CREDENTIALS' },
        });
      expectLockedOut(await attacker.request('agent:login', wrong(5)), 'guess 5');
      // The username is locked, whatever the address and the password.
      const owner = await from(freshAddress());
      expectLockedOut(await owner.request('agent:login', agent), agent.password);
      // Another user from another address is not affected.
      const colleague = await from(freshAddress());
      expect((await colleague.ok('agent:login', other)).agent.username).toBe(other.username);

      // The refusal is the same for a username that does not exist.
      const ghost = { username: `nobody-${agent.username}`, password: 'guess' };
      for (let index = 0; index < 5; index += 1) await attacker.request('agent:login', ghost);
      const ghostAnswer = await attacker.request('agent:login', ghost);
      expectLockedOut(ghostAnswer, ghost.password);
      const answerFor = (answer: unknown) =>
        (answer as { error: { message: string } }).error.message.replace(/\d+/g, 'N');
      expect(answerFor(ghostAnswer)).toBe(answerFor(await owner.request('agent:login', agent)));

      const trail = await sessionAudit(agent.username);
      const reasons = trail.map((row) => (JSON.parse(row.newValue ?? '{}') as { reason?: string }).reason);
      // Five wrong passwords, then one audited refusal for the window (the later ones only answered).
      expect(reasons).toEqual([...Array<string>(5).fill('BAD_CREDENTIALS'), 'RATE_LIMITED']);
      expect(JSON.stringify(trail)).not.toContain(agent.password);
    });

    it('clears the count of a username at a successful log-in', async () => {
      const [agent] = (await seedSiteAndAgent(topology().repositories)).agents;
      const socket = await from(freshAddress());
      const wrong = { username: agent.username, password: 'wrong password' };
      for (let index = 0; index < 4; index += 1) await socket.request('agent:login', wrong);
      await socket.ok('agent:login', agent);
      await socket.ok('agent:logout', {});
      for (let index = 0; index < 4; index += 1)
        expect(await socket.request('agent:login', wrong)).toMatchObject({
          ok: false,
          error: { code: 'BAD_CREDENTIALS' },
        });
      await socket.ok('agent:login', agent);
    });

    it('locks an address out after 20 failed log-ins over any usernames; the same user from another address logs in', async () => {
      const [agent] = (await seedSiteAndAgent(topology().repositories)).agents;
      const address = freshAddress();
      const sprayer = await from(address);
      const sprayed = await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          sprayer.request('agent:login', {
            username: `spray-${index}-${agent.username}`,
            password: 'Winter2026!',
          }),
        ),
      );
      for (const answer of sprayed)
        expect(answer).toMatchObject({ ok: false, error: { code: 'BAD_CREDENTIALS' } });
      // Even the right password of a real user is refused from that address, and so is a bad refresh
      // token; a valid one is honoured (it cannot be guessed; refusing it would sign out the address's agents).
      expectLockedOut(await sprayer.request('agent:login', agent), agent.password);
      const elsewhere = await from(freshAddress());
      const issued: Issued = await elsewhere.ok('agent:login', agent);
      const again = await from(address);
      const forged = `${issued.refreshToken.split('.')[0]}.${'A'.repeat(43)}`;
      expectLockedOut(await again.request('agent:refresh', { refreshToken: forged }), forged);
      expect((await again.ok('agent:refresh', { refreshToken: issued.refreshToken })).agent.username).toBe(
        agent.username,
      );
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
