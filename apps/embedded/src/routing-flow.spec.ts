import type { INestApplication } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { seedSiteAndAgent, TestSocket } from '@switchboard/messaging/testing';
import type { NewRoutingRule, Repositories } from '@switchboard/persistence';
import {
  verifyWebhookSignature,
  type ChatLineView,
  type ChatOfferNotice,
  type ChatStateNotice,
  type OutboundWebhookEvent,
  type QueuePositionNotice,
} from '@switchboard/protocol';
import { OutboundWebhooks, RoutingDispatcher, RoutingScheduler, RoutingTimeouts } from '@switchboard/routing';
import { documentedCodeOf, documentedEmittedCodes } from '@switchboard/routing/testing';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { startEmbeddedTestApp, type EmbeddedTestApp } from './testing/embedded-test-app';

const WEBHOOK_SECRET = 'routing-flow-webhook-secret-0123';

// The ACD in the embedded composition: routing reacts to chats and agents through the in-memory
// cluster stream and the SQLite database, and agents and visitors see its decisions live.
describe('routing in the embedded mode', () => {
  let embedded: EmbeddedTestApp;
  let app: INestApplication;
  let url: string;
  let repositories: Repositories;
  const sockets: TestSocket[] = [];
  // Every code the running services stored in this suite, compared with docs/event-codes.md at the end.
  const observed = new Set<string>();

  beforeEach(async () => {
    embedded = await startEmbeddedTestApp('routing', {
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: WEBHOOK_SECRET,
      // Nothing listens there: the connector's automatic answers are refused and retried, harmlessly.
      ACD_WHATSAPP_TYNTEC_URL: 'http://127.0.0.1:9/chat-api/v2/messages',
    });
    ({ app, url, repositories } = embedded);
  });

  afterEach(async () => {
    sockets.splice(0).forEach((socket) => socket.close());
    const stored = await app
      .get(DataSource)
      .query<Array<{ code: string }>>('SELECT DISTINCT code FROM chat_events');
    for (const { code } of stored) observed.add(documentedCodeOf(code));
    await embedded.stop();
  });

  async function connect(kind: 'visitor' | 'agent'): Promise<TestSocket> {
    const socket = await TestSocket.connect(url, kind);
    sockets.push(socket);
    return socket;
  }

  async function onlineAgent(credentials: { username: string; password: string }): Promise<TestSocket> {
    const agent = await connect('agent');
    await agent.ok('agent:login', credentials);
    await agent.ok('agent:status', { status: 1 });
    return agent;
  }

  async function startChat(
    siteKey: string,
    visitorName = 'Vera',
  ): Promise<{ visitor: TestSocket; chatUid: string }> {
    const visitor = await connect('visitor');
    const { chat } = await visitor.ok('chat:start', { siteKey, visitorName });
    return { visitor, chatUid: chat.chatUid };
  }

  async function codes(chatUid: string): Promise<string[]> {
    const chat = await repositories.chats.findByUid(chatUid);
    return (await repositories.chatEvents.listByChat(chat!.id)).map((event) => event.code);
  }

  const offerOf = (chatUid: string) => (offer: ChatOfferNotice) => offer.chat.chatUid === chatUid;

  /** How many times `socket` was offered `chatUid`. */
  const offersOf = (socket: TestSocket, chatUid: string): number =>
    socket.received.filter(
      ({ event, payload }) => event === 'chat:offer' && offerOf(chatUid)(payload as ChatOfferNotice),
    ).length;

  async function waitForOffers(socket: TestSocket, chatUid: string, count: number): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (offersOf(socket, chatUid) < count) {
      if (Date.now() > deadline) throw new Error(`${chatUid} was not offered ${count} times`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** The one of `candidates` the chat was offered to first, and the other. */
  async function offeredTo(chatUid: string, [first, second]: [TestSocket, TestSocket]) {
    const wasOffered = (socket: TestSocket) =>
      socket.received.some(
        ({ event, payload }) => event === 'chat:offer' && offerOf(chatUid)(payload as ChatOfferNotice),
      );
    const deadline = Date.now() + 10_000;
    while (!wasOffered(first) && !wasOffered(second)) {
      if (Date.now() > deadline) throw new Error(`${chatUid} was offered to nobody`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return wasOffered(first) ? { asked: first, other: second } : { asked: second, other: first };
  }

  it('sends a new chat to the agent as an auto pickup request (AC); accepting it connects the visitor (OP)', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 2 });
    const agent = await onlineAgent(agents[0]);
    const { visitor, chatUid } = await startChat(siteKey);
    const offer = await agent.next<ChatOfferNotice>('chat:offer', offerOf(chatUid));
    expect(offer).toMatchObject({ code: 'AC', chat: { chatUid, state: 'offered' } });
    await agent.ok('chat:accept', { chatUid });
    await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.state === 'active');
    expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP']);
  });

  it('refuses a chat when no agent is online (OF): the visitor is told at once', async () => {
    const { siteKey } = await seedSiteAndAgent(repositories);
    const { visitor, chatUid } = await startChat(siteKey);
    const notice = await visitor.next<ChatStateNotice>('chat:state');
    expect(notice).toMatchObject({ chatUid, state: 'missed', code: 'OF' });
    expect(await codes(chatUid)).toEqual(['CNR', 'OF']);
  });

  it("tells the visitor no agent is online (OF) with the site's offline message, after the start answer", async () => {
    const { siteKey } = await seedSiteAndAgent(repositories);
    const site = await repositories.sites.findByKey(siteKey);
    await repositories.sites.update(site!.id, { offlineMessage: 'Nobody here now: mail us.' });
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const visitor = await connect('visitor');
      // What had arrived when the answer did (a push in the same network read comes right after it).
      const { chat, pushedBefore } = await new Promise<{ chat: { chatUid: string }; pushedBefore: string[] }>(
        (resolve) =>
          visitor.socket.emit(
            'chat:start',
            { siteKey, visitorName: `Early ${attempt}` },
            (answer: { chat: { chatUid: string } }) =>
              resolve({ chat: answer.chat, pushedBefore: visitor.received.map(({ event }) => event) }),
          ),
      );
      // Nothing about the chat reached the visitor before the answer that names it.
      expect(pushedBefore).toEqual([]);
      expect(await visitor.next<ChatStateNotice>('chat:state')).toEqual({
        chatUid: chat.chatUid,
        state: 'missed',
        agentName: null,
        code: 'OF',
        text: 'Nobody here now: mail us.',
      });
    }
  });

  it("refuses a chat outside the site's opening hours with the site's message (OO)", async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const site = await repositories.sites.findByKey(siteKey);
    await repositories.sites.update(site!.id, { offlineMessage: 'We are closed. Back at 9.' });
    const now = new Date();
    // Open only on another day of the week than today (UTC).
    await repositories.workPeriods.add({
      siteId: site!.id,
      dayOfWeek: (now.getUTCDay() + 3) % 7,
      startMinute: 0,
      endMinute: 60,
    });
    await onlineAgent(agents[0]);
    const { visitor, chatUid } = await startChat(siteKey);
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({
      state: 'missed',
      code: 'OO',
      text: 'We are closed. Back at 9.',
    });
    expect(await codes(chatUid)).toEqual(['OO']);
  });

  it('queues a chat while the agent is full (CQ, position live), and offers it when a slot frees (QAC)', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 1 });
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    await agent.next('chat:offer', offerOf(first.chatUid));
    await agent.ok('chat:accept', { chatUid: first.chatUid });
    const second = await startChat(siteKey, 'Second');
    const place = await second.visitor.next<QueuePositionNotice>('chat:queue');
    expect(place).toMatchObject({ chatUid: second.chatUid, position: 1 });
    expect(place.text).toMatch(/^You are number 1 in the queue/);
    await agent.ok('chat:close', { chatUid: first.chatUid });
    const offer = await agent.next<ChatOfferNotice>('chat:offer', offerOf(second.chatUid));
    expect(offer.code).toBe('QAC');
    expect(await codes(second.chatUid)).toEqual(['CNR', 'CQ', 'QM', 'QAC']);
  });

  /** A site whose one agent (max chats 1) is online and holds a chat: the next chat cannot be offered. */
  async function fullAgent() {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 1 });
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    await agent.next('chat:offer', offerOf(first.chatUid));
    await agent.ok('chat:accept', { chatUid: first.chatUid });
    return { siteKey, agent, first };
  }

  it.each([
    ['ACD.Chat.Queue.MaxLength', 'CQM'],
    ['ACD.Chat.Queue.MaxExpectedWait.Seconds', 'CQT'],
  ] as const)('refuses a chat nobody can take now when %s is exceeded (%s)', async (parameter, code) => {
    // A queue of 0 chats, or an expected wait over 1 s (the default handling time is 180 s).
    await app.get(ParameterService).set(parameter, parameter.endsWith('MaxLength') ? '0' : '1', 'test');
    const { siteKey } = await fullAgent();
    const { visitor, chatUid } = await startChat(siteKey, 'Second');
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({ state: 'missed', code });
    expect(await codes(chatUid)).toEqual(['CNR', code]);
  });

  it('expires a chat queued longer than Queue.MaxTime.Seconds (QTO, SK)', async () => {
    const { siteKey } = await fullAgent();
    const { visitor, chatUid } = await startChat(siteKey, 'Second');
    await visitor.next<QueuePositionNotice>('chat:queue');
    await app.get(RoutingDispatcher).pass(new Date(Date.now() + 901_000));
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({ state: 'missed', code: 'QTO' });
    expect(await codes(chatUid)).toEqual(['CNR', 'CQ', 'QM', 'QTO', 'SK']);
  });

  it('expires a chat queued longer than Queue.ExpectedMaxTime.Seconds with SK alone (maximum expected time)', async () => {
    await app.get(ParameterService).set('ACD.Chat.Queue.ExpectedMaxTime.Seconds', '60', 'test');
    const { siteKey } = await fullAgent();
    const { visitor, chatUid } = await startChat(siteKey, 'Second');
    await visitor.next<QueuePositionNotice>('chat:queue');
    await app.get(RoutingDispatcher).pass(new Date(Date.now() + 61_000));
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({ state: 'missed', code: 'SK' });
    const chat = await repositories.chats.findByUid(chatUid);
    const events = await repositories.chatEvents.listByChat(chat!.id);
    expect(events.map((event) => [event.code, event.text]).slice(3)).toEqual([
      ['SK', 'Chat expired in queue because it exceeded the maximum expected time'],
    ]);
  });

  it('ends a chat found in the queue without its routing bookkeeping with QL, and tells the visitor', async () => {
    const { siteKey } = await fullAgent();
    const { visitor, chatUid } = await startChat(siteKey, 'Second');
    await visitor.next<QueuePositionNotice>('chat:queue');
    const chat = await repositories.chats.findByUid(chatUid);
    await app.get(DataSource).query('DELETE FROM chat_routing WHERE chat_id = ?', [chat!.id]);
    await app.get(RoutingDispatcher).pass();
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({
      state: 'missed',
      code: 'QL',
      text: 'Sorry, your chat was lost from our queue. Please start a new chat.',
    });
    expect(await codes(chatUid)).toEqual(['CNR', 'CQ', 'QM', 'QL']);
  });

  it("ends a chat whose intake fails with QERR and tells the visitor; the site's other work goes on", async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const site = await repositories.sites.findByKey(siteKey);
    const rule = await repositories.routingRules.create({ siteId: site!.id, name: 'broken', skill: 'sales' });
    // The rule's actions corrupted behind the product's back: reading the site's rules throws.
    await app.get(DataSource).query("UPDATE routing_rules SET actions = '{not json' WHERE id = ?", [rule.id]);
    const { visitor, chatUid } = await startChat(siteKey);
    expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({
      state: 'missed',
      code: 'QERR',
    });
    expect(await codes(chatUid)).toEqual(['QERR']);
    await repositories.routingRules.delete(rule.id);
    const agent = await onlineAgent(agents[0]);
    const next = await startChat(siteKey, 'Next');
    await agent.next('chat:offer', offerOf(next.chatUid));
  });

  it('stores QR (position, seconds waited), QMAN and OP when an agent takes a queued chat by hand', async () => {
    await app.get(ParameterService).set('ACD.Chat.Distribution.Mode', 'manual', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    const second = await startChat(siteKey, 'Second');
    await second.visitor.next<QueuePositionNotice>('chat:queue', (place) => place.position === 2);
    await agent.ok('chat:pickup', { chatUid: second.chatUid });
    const chat = await repositories.chats.findByUid(second.chatUid);
    const events = await repositories.chatEvents.listByChat(chat!.id);
    expect(events.map((event) => event.code)).toEqual(['CNR', 'CQ', 'QM', 'QR', 'QMAN', 'OP']);
    expect(events[3].text).toMatch(
      new RegExp(
        `^Operator ${agents[0].username} removed session from queue\\. Position 2 queued for \\d+ seconds\\.$`,
      ),
    );
    expect(events.slice(3).map((event) => event.operatorId)).toEqual([
      agents[0].id,
      agents[0].id,
      agents[0].id,
    ]);
    expect(await codes(first.chatUid)).toEqual(['CNR', 'CQ', 'QM']);
  });

  it('measures the expected wait from the handling time of the last closed chats (CQ, QM)', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 1 });
    const site = await repositories.sites.findByKey(siteKey);
    const earlier = Date.now() - 3_600_000;
    // Two chats the agent handled in 60 s and 120 s: a mean of 90 s per chat for one slot.
    for (const [index, seconds] of [60, 120].entries()) {
      const { chat } = await repositories.chats.open({
        siteId: site!.id,
        channel: 'web',
        visitorKey: `history-${index}`,
      });
      await repositories.chats.assignOnce(chat.id, agents[0].id, new Date(earlier));
      await repositories.chats.close(chat.id, 'OC', new Date(earlier + seconds * 1000));
    }
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    await agent.next('chat:offer', offerOf(first.chatUid));
    await agent.ok('chat:accept', { chatUid: first.chatUid });
    const second = await startChat(siteKey, 'Second');
    const place = await second.visitor.next<QueuePositionNotice>('chat:queue');
    expect(place).toMatchObject({ position: 1, expectedWaitSeconds: 90 });
    expect(place.text).toBe('You are number 1 in the queue. Expected wait: 1m 30s.');
  });

  it('retries the next agent at once when the first declines (ACR)', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const [first, second] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
    const { chatUid } = await startChat(siteKey);
    const offered = await offeredTo(chatUid, [first, second]);
    await offered.asked.ok('chat:decline', { chatUid });
    expect(await offered.other.next<ChatOfferNotice>('chat:offer', offerOf(chatUid))).toMatchObject({
      code: 'ACR',
    });
  });

  it('sends an offered chat on at once when its agent drops out of Chat status before answering (WAC)', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const [first, second] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
    const { chatUid } = await startChat(siteKey);
    const offered = await offeredTo(chatUid, [first, second]);
    await offered.asked.ok('agent:status', { status: 0 });
    expect(await offered.other.next<ChatOfferNotice>('chat:offer', offerOf(chatUid))).toMatchObject({
      code: 'WAC',
    });
    expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'WAC']);
  });

  it('offers every eligible agent at once in offer-to-all mode; the first accept wins, the other gets ALREADY_TAKEN', async () => {
    await app.get(ParameterService).set('ACD.Chat.Distribution.Mode', 'all', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const [first, second] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
    const { chatUid } = await startChat(siteKey);
    await first.next('chat:offer', offerOf(chatUid));
    await second.next('chat:offer', offerOf(chatUid));
    await first.ok('chat:accept', { chatUid });
    const late = await second.request('chat:accept', { chatUid });
    expect(late).toMatchObject({ ok: false, error: { code: 'ALREADY_TAKEN' } });
    expect(await codes(chatUid)).toEqual(['CNR', 'QALL', 'OP', 'OPF']);
  });

  it('sends a queued chat to the agent who freed a slot in offer-to-all mode (QON)', async () => {
    await app.get(ParameterService).set('ACD.Chat.Distribution.Mode', 'all', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 1 });
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    await agent.next('chat:offer', offerOf(first.chatUid));
    await agent.ok('chat:accept', { chatUid: first.chatUid });
    const second = await startChat(siteKey, 'Second');
    await second.visitor.next<QueuePositionNotice>('chat:queue');
    await agent.ok('chat:close', { chatUid: first.chatUid });
    expect(await agent.next<ChatOfferNotice>('chat:offer', offerOf(second.chatUid))).toMatchObject({
      code: 'QON',
    });
    expect(await codes(second.chatUid)).toEqual(['CNR', 'CQ', 'QM', 'QON']);
  });

  it('does not offer a chat again in offer-to-all mode to an agent who declined it while someone else can take it', async () => {
    const parameters = app.get(ParameterService);
    await parameters.set('ACD.Chat.Distribution.Mode', 'all', 'test');
    await parameters.set('ACD.Chat.AutoPickup.Decline.Cooldown.Seconds', '0', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2, maxChats: 1 });
    const [first, second] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
    const busy = await startChat(siteKey, 'Busy');
    await second.next('chat:offer', offerOf(busy.chatUid));
    await second.ok('chat:accept', { chatUid: busy.chatUid });
    // The second agent's slot is taken: the new chat goes to the first agent alone, who declines it.
    const { chatUid } = await startChat(siteKey);
    await first.next('chat:offer', offerOf(chatUid));
    await first.ok('chat:decline', { chatUid });
    await second.ok('chat:close', { chatUid: busy.chatUid });
    expect(await second.next<ChatOfferNotice>('chat:offer', offerOf(chatUid))).toMatchObject({ code: 'QON' });
    await second.ok('chat:accept', { chatUid });
    expect(offersOf(first, chatUid)).toBe(1);
  }, 20_000);

  it('keeps a declined or expired chat in the queue for the cool-down, then offers it to the same agent again', async () => {
    const parameters = app.get(ParameterService);
    await parameters.set('ACD.Chat.AutoPickup.AcceptTimeout.Seconds', '3', 'test');
    await parameters.set('ACD.Chat.AutoPickup.Decline.Cooldown.Seconds', '3', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const agent = await onlineAgent(agents[0]);
    const { visitor, chatUid } = await startChat(siteKey);
    await agent.next('chat:offer', offerOf(chatUid));
    // Times as the server stamps them: an offer was made its accept timeout before its expiresAt.
    const offeredAt = (count: number): number => {
      const offers = agent.received.filter(
        ({ event, payload }) => event === 'chat:offer' && offerOf(chatUid)(payload as ChatOfferNotice),
      );
      return Date.parse((offers[count - 1].payload as ChatOfferNotice).expiresAt) - 3_000;
    };
    const declineSentAt = Date.now();
    await agent.ok('chat:decline', { chatUid });
    // Back in the queue: the visitor is told their place while nobody is offered the chat.
    expect(await visitor.next<QueuePositionNotice>('chat:queue')).toMatchObject({ chatUid, position: 1 });
    await waitForOffers(agent, chatUid, 2);
    expect(offeredAt(2) - declineSentAt).toBeGreaterThanOrEqual(3_000);
    // The agent lets this one expire (3 s after it was made): it counts as a decline, with the same cool-down.
    await waitForOffers(agent, chatUid, 3);
    expect(offeredAt(3) - offeredAt(2)).toBeGreaterThanOrEqual(3_000 + 3_000);
    await agent.ok('chat:accept', { chatUid });
    expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'QM', 'QAC', 'QM', 'QAC', 'OP']);
  }, 30_000);

  it('keeps the first queue time of a chat an agent left (OL): it is served before chats queued later', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { maxChats: 1 });
    const agent = await onlineAgent(agents[0]);
    const first = await startChat(siteKey, 'First');
    await agent.next('chat:offer', offerOf(first.chatUid));
    const chat = await repositories.chats.findByUid(first.chatUid);
    const queuedAt = (await repositories.chatRouting.routable()).find((row) => row.id === chat!.id)?.routing
      ?.queuedAt;
    await agent.ok('chat:accept', { chatUid: first.chatUid });
    const second = await startChat(siteKey, 'Second');
    await second.visitor.next<QueuePositionNotice>('chat:queue');
    await agent.ok('chat:leave', { chatUid: first.chatUid });
    await agent.next('chat:offer', offerOf(first.chatUid));
    const routing = (await repositories.chatRouting.routable()).find((row) => row.id === chat!.id)?.routing;
    expect(routing?.queuedAt).toEqual(queuedAt);
    expect(
      agent.received.some(
        ({ event, payload }) => event === 'chat:offer' && offerOf(second.chatUid)(payload as ChatOfferNotice),
      ),
    ).toBe(false);
  });

  it('lets another agent pick up an offered chat by hand: the database decides', async () => {
    const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
    const [first, second] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
    const { chatUid } = await startChat(siteKey);
    const { asked, other } = await offeredTo(chatUid, [first, second]);
    await other.ok('chat:pickup', { chatUid });
    expect(await asked.request('chat:accept', { chatUid })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_TAKEN' },
    });
    await app.get(RoutingScheduler).request();
    expect((await repositories.chats.findByUid(chatUid))!.state).toBe('active');
  });

  describe('transfers and acquire', () => {
    /** Two online agents (the first with skill `billing`) and a chat the first holds. */
    async function heldChat() {
      const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 3, maxChats: 1 });
      const billing = await repositories.skills.create('billing');
      await repositories.operators.setSkills(agents[1].id, [billing.id]);
      const [holder, other] = [await onlineAgent(agents[0]), await onlineAgent(agents[1])];
      await repositories.operators.setStatus(agents[1].id, 2);
      const { visitor, chatUid } = await startChat(siteKey);
      await repositories.operators.setStatus(agents[1].id, 1);
      await holder.next('chat:offer', offerOf(chatUid));
      await holder.ok('chat:accept', { chatUid });
      return { siteKey, agents, holder, other, visitor, chatUid };
    }

    const holderOf = async (chatUid: string) => (await repositories.chats.findByUid(chatUid))!.operatorId;

    it('hands the chat to a named agent in one step (TFER, TAC); the visitor is told', async () => {
      const { agents, holder, visitor, chatUid } = await heldChat();
      await holder.ok('chat:transfer', { chatUid, target: { kind: 'agent', username: agents[1].username } });
      expect(await holderOf(chatUid)).toBe(agents[1].id);
      await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'TFER');
      expect((await codes(chatUid)).slice(-2)).toEqual(['TFER', 'TAC']);
      expect((await repositories.operators.findById(agents[0].id))!.openChats).toBe(0);
    });

    it('sends the chat to the best other agent with a skill', async () => {
      const { agents, holder, chatUid } = await heldChat();
      await holder.ok('chat:transfer', { chatUid, target: { kind: 'skill', skill: 'billing' } });
      expect(await holderOf(chatUid)).toBe(agents[1].id);
    });

    it('refuses a transfer to an offline agent with TRANSFER_FAILED and TFEF, the chat stays', async () => {
      const { agents, holder, chatUid } = await heldChat();
      const answer = await holder.request('chat:transfer', {
        chatUid,
        target: { kind: 'agent', username: agents[2].username },
      });
      expect(answer).toMatchObject({
        ok: false,
        error: { code: 'TRANSFER_FAILED', message: 'The agent is not in Chat status.' },
      });
      expect(await holderOf(chatUid)).toBe(agents[0].id);
      expect((await codes(chatUid)).at(-1)).toBe('TFEF');
    });

    it.each([
      [{ kind: 'agent', username: 'nobody' }, 'UNKNOWN_AGENT'],
      [{ kind: 'skill', skill: 'nothing' }, 'UNKNOWN_SKILL'],
      [{ kind: 'site', siteKey: 'nowhere' }, 'UNKNOWN_SITE'],
    ])('refuses the unknown target %j with %s and stores nothing', async (target, code) => {
      const { agents, holder, chatUid } = await heldChat();
      const before = await codes(chatUid);
      expect(await holder.request('chat:transfer', { chatUid, target })).toMatchObject({
        ok: false,
        error: { code },
      });
      expect(await codes(chatUid)).toEqual(before);
      expect(await holderOf(chatUid)).toBe(agents[0].id);
    });

    it('moves the chat to another site, where routing takes it in as a new request (TRSS, TFER, then AC)', async () => {
      const { holder, chatUid } = await heldChat();
      const target = await repositories.sites.create({
        siteKey: 'second-site',
        name: 'Second',
        domain: 'second.test',
      });
      await holder.ok('chat:transfer', { chatUid, target: { kind: 'site', siteKey: target.siteKey } });
      const deadline = Date.now() + 5000;
      while ((await codes(chatUid)).length < 7 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await repositories.chats.findByUid(chatUid))!.siteId).toBe(target.id);
      expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP', 'TRSS', 'TFER', 'CNR', 'AC']);
    });

    it('records a failed site transfer to a site that takes no chats now (TRSS, TRSF, TFEF), the chat stays', async () => {
      const { agents, holder, chatUid } = await heldChat();
      const target = await repositories.sites.create({
        siteKey: 'paused-site',
        name: 'Paused',
        domain: 'paused.test',
      });
      await repositories.sites.setPaused(target.siteKey, true);
      expect(
        await holder.request('chat:transfer', { chatUid, target: { kind: 'site', siteKey: target.siteKey } }),
      ).toMatchObject({ ok: false, error: { code: 'TRANSFER_FAILED' } });
      expect((await codes(chatUid)).slice(-3)).toEqual(['TRSS', 'TRSF', 'TFEF']);
      expect(await holderOf(chatUid)).toBe(agents[0].id);
    });

    it("lets an agent with a free slot acquire another agent's chat (ACQ); refuses one at capacity", async () => {
      const { agents, other, chatUid } = await heldChat();
      const acquired = await other.ok('chat:acquire', { chatUid });
      expect(acquired.chat.agentUsername).toBe(agents[1].username);
      expect((await codes(chatUid)).at(-1)).toBe('ACQ');
      const first = await connect('agent');
      await first.ok('agent:login', agents[0]);
      await repositories.operators.setMaxChats(agents[0].id, 0);
      expect(await first.request('chat:acquire', { chatUid })).toMatchObject({
        ok: false,
        error: { code: 'NOT_ELIGIBLE' },
      });
      expect(await holderOf(chatUid)).toBe(agents[1].id);
    });
  });

  describe('timeouts and first lines', () => {
    async function activeChat() {
      const { siteKey, agents } = await seedSiteAndAgent(repositories);
      const agent = await onlineAgent(agents[0]);
      const { visitor, chatUid } = await startChat(siteKey);
      await agent.next('chat:offer', offerOf(chatUid));
      await agent.ok('chat:accept', { chatUid });
      return { agent, visitor, chatUid };
    }
    const inFuture = (seconds: number) => new Date(Date.now() + seconds * 1000);

    it('closes a chat with no activity for Inactivity.Timeout.Minutes (ST), telling both sides', async () => {
      const { agent, chatUid } = await activeChat();
      const timeouts = app.get(RoutingTimeouts);
      // The visitor stays connected: the node's presence heartbeat keeps stamping them seen meanwhile.
      const sweepAt = async (at: Date) => {
        await repositories.chatRouting.markVisitorsSeen([chatUid], at);
        return timeouts.sweep(at);
      };
      expect(await sweepAt(inFuture(14 * 60))).toBe(0);
      expect(await sweepAt(inFuture(15 * 60 + 1))).toBe(1);
      expect(await agent.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'ST')).toMatchObject(
        {
          chatUid,
          state: 'closed',
        },
      );
      expect((await codes(chatUid)).at(-1)).toBe('ST');
    });

    /** Closes the visitor's socket and waits until the messenger has recorded the drop. */
    async function disconnectVisitor(visitor: TestSocket, chatUid: string): Promise<number> {
      visitor.close();
      const chat = await repositories.chats.findByUid(chatUid);
      const dropRecorded = async () => {
        const rows = await app
          .get(DataSource)
          .query<Array<{ visitor_gone_at: unknown }>>(
            'SELECT visitor_gone_at FROM chat_routing WHERE chat_id = ?',
            [chat!.id],
          );
        return (rows[0]?.visitor_gone_at ?? null) !== null;
      };
      const deadline = Date.now() + 5000;
      while (!(await dropRecorded())) {
        if (Date.now() > deadline) throw new Error('the disconnect was not recorded');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return chat!.id;
    }

    it("tells the agent once, with an automatic line (RMS), that the visitor's browser disconnected", async () => {
      const { agent, visitor, chatUid } = await activeChat();
      const timeouts = app.get(RoutingTimeouts);
      await disconnectVisitor(visitor, chatUid);
      await timeouts.sweep(inFuture(5));
      await timeouts.sweep(inFuture(11));
      expect(await agent.next<ChatLineView>('chat:line')).toMatchObject({
        chatUid,
        sender: 'system',
        text: "The visitor's browser disconnected from the chat. The chat closes if they do not come back.",
      });
      await timeouts.sweep(inFuture(30));
      expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP', 'RMS']);
      expect(await timeouts.sweep(inFuture(121))).toBe(1);
      expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP', 'RMS', 'VT']);
    });

    it("closes a chat whose visitor writes one of the site's text rules (TR); the visitor reads the site's message", async () => {
      const { agent, visitor, chatUid } = await activeChat();
      const chat = await repositories.chats.findByUid(chatUid);
      await repositories.sites.update(chat!.siteId, {
        textRules: ['shut up', 'idiot'],
        textRuleMessage: 'Please keep it polite. This chat is closed.',
      });
      await visitor.ok('chat:send', { chatUid, text: 'I am not shutting up', clientMessageId: 'polite' });
      await visitor.ok('chat:send', { chatUid, text: 'You are an IDIOT!', clientMessageId: 'rude' });
      expect(
        await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'TR'),
      ).toMatchObject({
        state: 'closed',
        text: 'Please keep it polite. This chat is closed.',
      });
      await agent.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'TR');
      expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP', 'TR']);
      const lines = await repositories.chatLines.listSince(chat!.id, 0);
      expect(lines.map((line) => [line.senderKind, line.text])).toEqual([
        ['visitor', 'I am not shutting up'],
        ['visitor', 'You are an IDIOT!'],
        ['system', 'Please keep it polite. This chat is closed.'],
      ]);
    });

    it('closes a chat whose visitor stayed disconnected for Visitor.ClientTimeout.Seconds (VT), not before', async () => {
      const { agent, visitor, chatUid } = await activeChat();
      const timeouts = app.get(RoutingTimeouts);
      expect(await timeouts.sweep(inFuture(60))).toBe(0);
      const chatId = await disconnectVisitor(visitor, chatUid);
      expect(await timeouts.sweep(inFuture(60))).toBe(0);
      expect(await timeouts.sweep(inFuture(121))).toBe(1);
      await agent.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'VT');
      expect((await repositories.chats.findById(chatId))!.closeReason).toBe('VT');
    });

    it.each([
      ['OC', 'agent', 'chat:close', {}],
      ['SX', 'agent', 'chat:close', { soft: true }],
      ['BX', 'agent', 'chat:block', {}],
      ['OL', 'agent', 'chat:leave', {}],
      ['VC', 'visitor', 'chat:close', {}],
    ] as const)('stores %s when the %s sends %s %j', async (code, side, event, options) => {
      const { agent, visitor, chatUid } = await activeChat();
      await (side === 'agent' ? agent : visitor).ok(event, { chatUid, ...options });
      expect((await codes(chatUid)).slice(0, 4)).toEqual(['CNR', 'AC', 'OP', code]);
    });

    it('closes a chat whose webhook answers a line with {"action":"close"} (SC): stored with the close, both sides told', async () => {
      const { agent, visitor, chatUid } = await activeChat();
      const chat = (await repositories.chats.findByUid(chatUid))!;
      const secret = 'embedded-webhook-secret-1';
      const verified: boolean[] = [];
      const receiver = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        request.on('end', () => {
          const signature = String(request.headers['x-switchboard-signature']);
          verified.push(verifyWebhookSignature(secret, signature, body, Math.floor(Date.now() / 1000)));
          const event = JSON.parse(body) as OutboundWebhookEvent<'chat.line'>;
          const close = event.type === 'chat.line' && event.data.text === 'cancel my order';
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end(
            close ? JSON.stringify({ action: 'close', message: 'Your order is cancelled.' }) : '{}',
          );
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      try {
        const { port } = receiver.address() as AddressInfo;
        await repositories.outboundWebhooks.create({
          siteId: chat.siteId,
          url: `http://127.0.0.1:${port}/crm`,
          secret,
          events: ['chat.line'],
        });
        await visitor.ok('chat:send', {
          chatUid,
          text: 'cancel my order',
          clientMessageId: 'webhook-close-1',
        });
        const webhooks = app.get(OutboundWebhooks);
        const deadline = Date.now() + 10_000;
        while ((await repositories.chats.findById(chat.id))!.state !== 'closed') {
          if (Date.now() > deadline) throw new Error('the webhook answer did not close the chat');
          await webhooks.deliverDue();
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(
          await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'SC'),
        ).toMatchObject({
          state: 'closed',
          text: 'Your order is cancelled.',
        });
        await agent.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'SC');
        expect((await repositories.chats.findById(chat.id))!.closeReason).toBe('SC');
        expect((await codes(chatUid)).at(-1)).toBe('SC');
        expect(verified).toEqual([true]);
      } finally {
        await new Promise((resolve) => receiver.close(resolve));
      }
    });

    it("stores FL1 with the agent's first line only", async () => {
      const { agent, chatUid } = await activeChat();
      await agent.ok('chat:send', { chatUid, text: 'Hello', clientMessageId: 'first-line-1' });
      await agent.ok('chat:send', { chatUid, text: 'How can I help?', clientMessageId: 'first-line-2' });
      expect(await codes(chatUid)).toEqual(['CNR', 'AC', 'OP', 'FL1']);
    });
  });

  describe('routing rules', () => {
    /** A site whose second agent has the skill `billing-…`, with the rule `rule(billing skill)`. */
    async function siteWithRule(rule: (billingSkill: string) => Omit<NewRoutingRule, 'siteId'>) {
      const { siteKey, agents } = await seedSiteAndAgent(repositories, { agents: 2 });
      const site = (await repositories.sites.findByKey(siteKey))!;
      const billing = await repositories.skills.create(`billing-${siteKey}`);
      await repositories.operators.setSkills(agents[1].id, [billing.id]);
      await repositories.routingRules.create({ ...rule(billing.name), siteId: site.id });
      return { site, agents, billing };
    }

    async function startOn(siteKey: string, page: string) {
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey, visitorName: 'Vera', page });
      return { visitor, chatUid: chat.chatUid };
    }

    it("redirects a chat from a matching page to the rule's skill (MR), where its agent gets it", async () => {
      const { site, agents, billing } = await siteWithRule((skill) => ({
        name: 'billing pages',
        pageUrlContains: '/billing',
        skill,
      }));
      await onlineAgent(agents[0]);
      const billingAgent = await onlineAgent(agents[1]);
      const { chatUid } = await startOn(site.siteKey, 'https://shop.example/billing/invoice');
      await billingAgent.next('chat:offer', offerOf(chatUid));
      expect(await codes(chatUid)).toEqual(['MR', 'AC']);
      expect((await repositories.chats.findByUid(chatUid))!.skillId).toBe(billing.id);
    });

    it("cancels a chat outside opening hours with the rule's message (MR, SK): the visitor reads it", async () => {
      const { site, agents } = await siteWithRule((skill) => ({
        name: 'after hours',
        skill,
        actions: { 'outside-hours': { kind: 'message', message: 'Please write to help@example.test.' } },
      }));
      const closedDay = (new Date().getUTCDay() + 3) % 7;
      await repositories.workPeriods.add({
        siteId: site.id,
        dayOfWeek: closedDay,
        startMinute: 0,
        endMinute: 60,
      });
      await onlineAgent(agents[1]);
      const { visitor, chatUid } = await startOn(site.siteKey, 'https://shop.example/');
      expect(await visitor.next<ChatStateNotice>('chat:state')).toMatchObject({
        state: 'missed',
        code: 'SK',
        text: 'Please write to help@example.test.',
      });
      expect(await codes(chatUid)).toEqual(['MR', 'SK']);
    });

    it('shows a normal-case rule message as a line and still routes the chat', async () => {
      const { site, agents } = await siteWithRule((skill) => ({
        name: 'greeting',
        skill,
        actions: { normal: { kind: 'message', message: 'An agent will be with you shortly.' } },
      }));
      const agent = await onlineAgent(agents[1]);
      const { visitor, chatUid } = await startOn(site.siteKey, 'https://shop.example/');
      expect(await visitor.next<ChatLineView>('chat:line')).toMatchObject({
        sender: 'system',
        text: 'An agent will be with you shortly.',
      });
      await agent.next('chat:offer', offerOf(chatUid));
      expect(await codes(chatUid)).toEqual(['MR', 'SK', 'AC']);
    });
  });

  it("reopens a WhatsApp customer's chat that ended within WhatsApp.Reopen.Window.Minutes (UC): the same chat, routed again", async () => {
    await app.get(ParameterService).set('ACD.Chat.WhatsApp.Reopen.Window.Minutes', '30', 'test');
    const { siteKey, agents } = await seedSiteAndAgent(repositories);
    const site = await repositories.sites.findByKey(siteKey);
    await repositories.chatConnectors.create({
      siteId: site!.id,
      phoneNumber: '4930111222',
      apiKey: 'routing-flow-api-key',
      language: 'en',
    });
    const agent = await onlineAgent(agents[0]);
    const customerWrites = async (text: string) => {
      const response = await fetch(`${url}/incoming?secret=${WEBHOOK_SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          messageId: randomUUID(),
          event: 'MoMessage',
          channel: 'whatsapp',
          from: '4917612341234',
          to: '4930111222',
          content: { contentType: 'text', text },
          whatsapp: { senderName: 'Peter' },
        }),
      });
      expect(response.status).toBeLessThan(300);
    };
    await customerWrites('Where is my parcel?');
    const first = await agent.next<ChatOfferNotice>('chat:offer');
    const { chat } = first;
    await agent.ok('chat:accept', { chatUid: chat.chatUid });
    await agent.ok('chat:close', { chatUid: chat.chatUid });
    await customerWrites('One more question');
    await agent.next<ChatOfferNotice>(
      'chat:offer',
      (offer) => offer !== first && offerOf(chat.chatUid)(offer),
    );
    const events = await repositories.chatEvents.listByChat(
      (await repositories.chats.findByUid(chat.chatUid))!.id,
    );
    expect(events.map((event) => event.code)).toEqual(['CNR', 'AC', 'OP', 'OC', 'UC', 'CNR', 'AC']);
    expect(events[4].text).toBe('Chat unclosed. Old state was closed');
    const lines = await repositories.chatLines.listSince(events[0].chatId, 0);
    expect(lines.filter((line) => line.senderKind === 'visitor').map((line) => line.text)).toEqual([
      'Where is my parcel?',
      'One more question',
    ]);
  });

  // Runs last: it reads what every test above had the running services store.
  it('has stored every code docs/event-codes.md lists as emitted by Switchboard, and no other', () => {
    const documented = documentedEmittedCodes();
    expect({
      documentedButNeverStored: documented.filter((code) => !observed.has(code)),
      storedButNotDocumented: [...observed].filter((code) => !documented.includes(code)).sort(),
    }).toEqual({ documentedButNeverStored: [], storedButNotDocumented: [] });
  });
});
