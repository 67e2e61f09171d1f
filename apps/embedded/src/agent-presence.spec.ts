import type { INestApplication } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { seedSiteAndAgent, TestSocket } from '@switchboard/messaging/testing';
import type { AgentView, ChatOfferNotice, ChatStateNotice } from '@switchboard/protocol';
import type { Repositories } from '@switchboard/persistence';
import { AgentPresenceSweep } from '@switchboard/routing';
import { AGENT_HEARTBEAT_MS } from '@switchboard/messaging';
import { DataSource } from 'typeorm';
import { startEmbeddedTestApp, type EmbeddedTestApp } from './testing/embedded-test-app';

const GRACE_SECONDS = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// An agent's status follows their connections (real sockets, the running routing sweep): all gone
// for the grace → Offline, stored with its event; a log-out → Offline at once; idle → Away.
describe('agent presence in the embedded mode', () => {
  let embedded: EmbeddedTestApp;
  let app: INestApplication;
  let repositories: Repositories;
  const sockets: TestSocket[] = [];

  beforeEach(async () => {
    embedded = await startEmbeddedTestApp('presence');
    ({ app, repositories } = embedded);
    await app
      .get(ParameterService)
      .set('ACD.Chat.Agent.DisconnectGrace.Seconds', String(GRACE_SECONDS), 'test');
  });

  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.close());
    await embedded.stop();
  });

  async function connect(kind: 'visitor' | 'agent', token?: string): Promise<TestSocket> {
    const socket = await TestSocket.connect(embedded.url, kind, { token });
    sockets.push(socket);
    return socket;
  }

  /** A connection logged in and set to Chat; its access token, for a second connection of the same session. */
  async function onlineAgent(credentials: { username: string; password: string }) {
    const socket = await connect('agent');
    const { token } = await socket.ok('agent:login', credentials);
    await socket.ok('agent:status', { status: 1 });
    return { socket, token };
  }

  const statusOf = async (id: number) => (await repositories.operators.findById(id))!.status;
  const reasons = async (id: number) =>
    (await repositories.agentPresence.statusEvents(id)).map(
      ({ from, to, reason }) => `${from}→${to} ${reason}`,
    );

  async function waitForStatus(id: number, status: number, withinMs: number): Promise<void> {
    const deadline = Date.now() + withinMs;
    while ((await statusOf(id)) !== status) {
      if (Date.now() > deadline) throw new Error(`agent ${id} still in status ${await statusOf(id)}`);
      await sleep(100);
    }
  }

  it('sets an agent whose only connection closed Offline after the grace (disconnected), and a new chat goes OF', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const { socket } = await onlineAgent(agents[0]);
    socket.close();
    // The running sweep (every 5 s) once the grace has passed.
    await waitForStatus(agents[0].id, 0, (GRACE_SECONDS + 12) * 1000);
    expect(await reasons(agents[0].id)).toEqual(['0→1 manual', '1→0 disconnected']);
    const visitor = await connect('visitor');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({
      chatUid: chat.chatUid,
      state: 'missed',
      code: 'OF',
    });
  }, 30_000);

  it('moves an offer out to an agent whose connection was lost to another agent once they go Offline', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const first = await onlineAgent(agents[0]);
    const second = await onlineAgent(agents[1]);
    // The longest idle of two equal agents is offered first: make the first one that.
    await second.socket.ok('agent:status', { status: 2 });
    await second.socket.ok('agent:status', { status: 1 });
    const visitor = await connect('visitor');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    const offerOf = (offer: ChatOfferNotice) => offer.chat.chatUid === chat.chatUid;
    const asked = await Promise.race([
      first.socket.next('chat:offer', offerOf).then(() => ({ lost: first, other: second, id: agents[0].id })),
      second.socket
        .next('chat:offer', offerOf)
        .then(() => ({ lost: second, other: first, id: agents[1].id })),
    ]);
    asked.lost.socket.close();
    // Well before the accept timeout (20 s): the offer moves on when the agent goes Offline.
    await asked.other.socket.next('chat:offer', offerOf, (GRACE_SECONDS + 12) * 1000);
    expect(await statusOf(asked.id)).toBe(0);
    expect((await reasons(asked.id)).at(-1)).toBe('1→0 disconnected');
  }, 30_000);

  it('keeps an agent online who reconnects within the grace', async () => {
    const { agents } = await seedSiteAndAgent(repositories);
    const { socket, token } = await onlineAgent(agents[0]);
    socket.close();
    await sleep(1000);
    const again = await connect('agent', token);
    await again.next('agent:ready');
    await sleep((GRACE_SECONDS + 2) * 1000);
    expect(await app.get(AgentPresenceSweep).sweep()).toBe(0);
    expect(await statusOf(agents[0].id)).toBe(1);
    expect(await reasons(agents[0].id)).toEqual(['0→1 manual']);
  }, 30_000);

  it('keeps an agent with two connections online when one closes', async () => {
    const { agents } = await seedSiteAndAgent(repositories);
    const { socket, token } = await onlineAgent(agents[0]);
    const secondTab = await connect('agent', token);
    await secondTab.next('agent:ready');
    socket.close();
    await sleep((GRACE_SECONDS + 3) * 1000);
    expect(await app.get(AgentPresenceSweep).sweep()).toBe(0);
    expect(await statusOf(agents[0].id)).toBe(1);
    secondTab.close();
    await waitForStatus(agents[0].id, 0, (GRACE_SECONDS + 12) * 1000);
  }, 40_000);

  it('sets an agent Offline at once on log-out (logout); their other connections are told with the reason', async () => {
    const { agents } = await seedSiteAndAgent(repositories);
    const { socket } = await onlineAgent(agents[0]);
    const other = await connect('agent');
    await other.ok('agent:login', agents[0]);
    await socket.ok('agent:logout', {});
    expect(await statusOf(agents[0].id)).toBe(0);
    expect(await other.next<AgentView>('agent:status', (agent) => agent.status === 0)).toMatchObject({
      username: agents[0].username,
      status: 0,
      reason: 'logout',
    });
    expect(await reasons(agents[0].id)).toEqual(['0→1 manual', '1→0 logout']);
  });

  it("counts the console's agent:activity as activity at the next heartbeat, and a read (queue:list) not", async () => {
    const { agents } = await seedSiteAndAgent(repositories);
    const { socket } = await onlineAgent(agents[0]);
    const activeAt = async () => {
      const [row] = await app
        .get(DataSource)
        .query<Array<{ active_at: string }>>('SELECT active_at FROM agent_presence WHERE operator_id = ?', [
          agents[0].id,
        ]);
      return row.active_at;
    };
    await sleep(AGENT_HEARTBEAT_MS + 500);
    const before = await activeAt();
    await socket.ok('queue:list', {});
    await sleep(AGENT_HEARTBEAT_MS + 500);
    expect(await activeAt()).toBe(before);
    await socket.ok('agent:activity', {});
    await sleep(AGENT_HEARTBEAT_MS + 500);
    expect(await activeAt()).not.toBe(before);
  }, 15_000);

  it('sets an idle agent in Chat Away (idle) after IdleAway.Minutes, never one who holds a chat', async () => {
    const parameters = app.get(ParameterService);
    await parameters.set('ACD.Chat.Agent.DisconnectGrace.Seconds', '3600', 'test');
    await parameters.set('ACD.Chat.Agent.IdleAway.Minutes', '1', 'test');
    await parameters.set('ACD.Chat.Distribution.Mode', 'manual', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const idle = await onlineAgent(agents[0]);
    const busy = await onlineAgent(agents[1]);
    const visitor = await connect('visitor');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera' });
    await busy.socket.ok('chat:pickup', { chatUid: chat.chatUid });
    // A minute and a second later, neither having done anything since.
    expect(await app.get(AgentPresenceSweep).sweep(new Date(Date.now() + 61_000))).toBe(1);
    expect(await statusOf(agents[0].id)).toBe(3);
    expect(await statusOf(agents[1].id)).toBe(1);
    expect(await reasons(agents[0].id)).toEqual(['0→1 manual', '1→3 idle']);
    expect(await idle.socket.next<AgentView>('agent:status', (agent) => agent.status === 3)).toMatchObject({
      reason: 'idle',
    });
  });
});
