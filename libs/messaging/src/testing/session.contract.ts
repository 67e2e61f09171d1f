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
  const connect = async (url: string, token?: string) => {
    const socket = await TestSocket.connect(url, 'agent', { token });
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
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
