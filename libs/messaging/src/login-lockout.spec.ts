import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedSiteAndAgent, startMessengerNode, TestSocket, type MessengerNode } from './testing';

// Two wrong passwords lock a username out, four failures an address.
const LIMITS = {
  ACD_CHAT_RATELIMIT_LOGIN_FAILURESPERUSER_PER15MINUTES: '2',
  ACD_CHAT_RATELIMIT_LOGIN_FAILURESPERADDRESS_PER15MINUTES: '4',
};

describe('log-in lockouts: what the answers and the log say (no secret anywhere)', () => {
  const lines: string[] = [];
  const sockets: TestSocket[] = [];
  let node: MessengerNode;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-login-lockout-'));
    node = await startMessengerNode(
      { DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory', SWITCHBOARD_LOG_LEVEL: 'trace', ...LIMITS },
      [],
      { write: (line: string) => lines.push(line) > 0 },
    );
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await node?.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const from = async (address: string) => {
    const socket = await TestSocket.connect(node.url, 'agent', { headers: { 'x-forwarded-for': address } });
    sockets.push(socket);
    return socket;
  };

  it('follows the limits given as parameters, and neither the answers nor any log line holds a password or a token', async () => {
    const [agent] = (await seedSiteAndAgent(node.repositories)).agents;
    const guesses = ['first-guess-Zq81', 'second-guess-Zq82', 'third-guess-Zq83'];
    const attacker = await from('203.0.113.50');
    const answers = [];
    for (const password of guesses)
      answers.push(await attacker.request('agent:login', { username: agent.username, password }));
    expect(answers.map((answer) => (answer.ok ? 'ok' : answer.error.code))).toEqual([
      'BAD_CREDENTIALS',
      'BAD_CREDENTIALS',
      'RATE_LIMITED',
    ]);
    const owner = await from('203.0.113.51');
    answers.push(await owner.request('agent:login', agent));
    expect(answers[3]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });

    // Two more failures of other usernames put the attacker's address at its limit of 4.
    for (const username of ['x-1', 'x-2'])
      answers.push(await attacker.request('agent:login', { username, password: guesses[0] }));
    const forgedToken = `${'0'.repeat(32)}.${'B'.repeat(43)}`;
    answers.push(await attacker.request('agent:refresh', { refreshToken: forgedToken }));
    expect(answers[6]).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });

    const secrets = [...guesses, agent.password, forgedToken, 'B'.repeat(43)];
    const everything = JSON.stringify(answers) + lines.join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    // The log says who was refused and from where (the first refusal of a window), without the secret.
    const refusals = lines.filter((line) => line.includes('reason=RATE_LIMITED'));
    expect(
      refusals.filter((line) => line.includes(agent.username) && line.includes('203.0.113.50')),
    ).toHaveLength(1);
    expect(refusals.some((line) => line.includes('203.0.113.51'))).toBe(false);
  });
});
