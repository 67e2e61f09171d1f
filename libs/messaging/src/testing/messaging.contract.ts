import type { Repositories } from '@switchboard/persistence';
import type {
  AgentChatStateNotice,
  AgentView,
  ChatLineView,
  ChatStateNotice,
  ChatSummary,
  TypingNotice,
} from '@switchboard/protocol';
import { randomUUID } from 'node:crypto';
import { seedSiteAndAgent } from './chat-fixtures';
import { TestSocket } from './socket-test-client';

/** Where the suite connects: visitors to one node, agents to another (the same one when single-node). */
export interface MessagingTopology {
  readonly visitorUrl: string;
  readonly agentUrl: string;
  readonly repositories: Repositories;
}

const messageId = () => randomUUID();

/** One behaviour suite for ClientMessenger, run on one embedded node and on two clustered nodes. */
export function messagingContract(topology: () => MessagingTopology): void {
  const sockets: TestSocket[] = [];
  const connect = async (kind: 'visitor' | 'agent', token?: string) => {
    const { visitorUrl, agentUrl } = topology();
    const socket = await TestSocket.connect(kind === 'visitor' ? visitorUrl : agentUrl, kind, { token });
    sockets.push(socket);
    return socket;
  };

  afterEach(() => sockets.splice(0).forEach((socket) => socket.close()));

  async function readyAgent(agent: { username: string; password: string }) {
    const socket = await connect('agent');
    const { token } = await socket.ok('agent:login', agent);
    await socket.ok('agent:status', { status: 1 });
    return { socket, token };
  }

  async function chatWithAgent(options: { agents?: number } = {}) {
    const seeded = await seedSiteAndAgent(topology().repositories, { agents: options.agents });
    const { socket: agent, token } = await readyAgent(seeded.agents[0]);
    const visitor = await connect('visitor');
    const started = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Vera' });
    const chatUid = started.chat.chatUid;
    await agent.next<ChatSummary>('queue:added', (chat) => chat.chatUid === chatUid);
    await agent.ok('chat:pickup', { chatUid });
    return { seeded, agent, token, visitor, chatUid, visitorToken: started.token };
  }

  /** A new visitor connection starting a chat on the site as `visitorId`: the chat:start answer. */
  const startAs = async (siteKey: string, visitorId: string) =>
    (await connect('visitor')).request('chat:start', { siteKey, visitorName: 'Vera', visitorId });

  const eventCodes = async (chatUid: string) => {
    const chat = await topology().repositories.chats.findByUid(chatUid);
    return (await topology().repositories.chatEvents.listByChat(chat!.id)).map((event) => event.code);
  };

  describe('a chat between a visitor and an agent', () => {
    it('shows a new chat on the waiting list of logged-in agents', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const { socket: agent } = await readyAgent(seeded.agents[0]);
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', {
        siteKey: seeded.siteKey,
        visitorName: 'Vera',
        variables: { order: '42' },
      });
      expect(chat).toMatchObject({ state: 'waiting', siteKey: seeded.siteKey, lastSequence: 0 });
      await agent.next<ChatSummary>(
        'queue:added',
        (added) => added.chatUid === chat.chatUid && added.visitorName === 'Vera',
      );
      const { chats } = await agent.ok('queue:list', {});
      expect(chats.map((waiting) => waiting.chatUid)).toContain(chat.chatUid);
    });

    it('lets an agent pick the chat up (OP) and tells the visitor who answers', async () => {
      const { visitor, chatUid } = await chatWithAgent();
      const notice = await visitor.next<ChatStateNotice>('chat:state', (state) => state.state === 'active');
      expect(notice).toMatchObject({ chatUid, code: 'OP', agentName: 'Agent 0' });
      expect(await eventCodes(chatUid)).toEqual(['OP']);
    });

    it('delivers every line to both sides once, in sequence order, stored before acknowledged', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      const sent: ChatLineView[] = [];
      for (let index = 0; index < 5; index += 1) {
        sent.push(
          (await visitor.ok('chat:send', { chatUid, text: `visitor ${index}`, clientMessageId: messageId() }))
            .line,
        );
        sent.push(
          (await agent.ok('chat:send', { chatUid, text: `agent ${index}`, clientMessageId: messageId() }))
            .line,
        );
      }
      expect(sent.map((line) => line.sequence)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      await visitor.next<ChatLineView>('chat:line', (line) => line.sequence === 10);
      await agent.next<ChatLineView>('chat:line', (line) => line.sequence === 10);
      expect(visitor.lineSequences(chatUid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(agent.lineSequences(chatUid)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const chat = await topology().repositories.chats.findByUid(chatUid);
      expect(
        (await topology().repositories.chatLines.listSince(chat!.id, 0)).map((line) => line.text),
      ).toEqual(sent.map((line) => line.text));
    });

    it('stores a resent line once (same clientMessageId after a lost acknowledgement)', async () => {
      const { visitor, chatUid } = await chatWithAgent();
      const clientMessageId = messageId();
      const first = await visitor.ok('chat:send', { chatUid, text: 'once', clientMessageId });
      const again = await visitor.ok('chat:send', { chatUid, text: 'once', clientMessageId });
      expect(again.line).toEqual(first.line);
      const chat = await topology().repositories.chats.findByUid(chatUid);
      expect(await topology().repositories.chatLines.listSince(chat!.id, 0)).toHaveLength(1);
    });

    it('forwards typing both ways, saying who types, never to the typist', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      await visitor.ok('chat:typing', { chatUid, typing: true });
      expect(await agent.next<TypingNotice>('chat:typing', (notice) => notice.typing)).toEqual({
        chatUid,
        by: 'visitor',
        typing: true,
      });
      await agent.ok('chat:typing', { chatUid, typing: true });
      expect(await visitor.next<TypingNotice>('chat:typing', (notice) => notice.typing)).toEqual({
        chatUid,
        by: 'operator',
        typing: true,
      });
      // A line after the typing notices: once it arrived, any echo of the typist's own notice would have too.
      await agent.ok('chat:send', { chatUid, text: 'done typing', clientMessageId: messageId() });
      await agent.next<ChatLineView>('chat:line', (line) => line.text === 'done typing');
      await visitor.next<ChatLineView>('chat:line', (line) => line.text === 'done typing');
      const typingSeen = (side: TestSocket) =>
        side.received.filter((entry) => entry.event === 'chat:typing').map((entry) => entry.payload);
      expect(typingSeen(agent)).toEqual([{ chatUid, by: 'visitor', typing: true }]);
      expect(typingSeen(visitor)).toEqual([{ chatUid, by: 'operator', typing: true }]);
    });

    it("pushes agent:status to the agent's connections when their open chats change (pickup, close)", async () => {
      const { agent, chatUid } = await chatWithAgent();
      const openChats = (count: number) => (view: AgentView) => view.openChats === count;
      await agent.next<AgentView>('agent:status', openChats(1));
      await agent.ok('chat:close', { chatUid });
      await agent.next<AgentView>('agent:status', openChats(0));
    });

    it('gives a visitor who reconnects the lines missed, once, in order, then live lines', async () => {
      const { agent, visitor, chatUid, visitorToken } = await chatWithAgent();
      await visitor.ok('chat:send', { chatUid, text: 'before', clientMessageId: messageId() });
      visitor.close();
      for (const text of ['missed 1', 'missed 2', 'missed 3']) {
        await agent.ok('chat:send', { chatUid, text, clientMessageId: messageId() });
      }
      const back = await connect('visitor');
      const rejoined = await back.ok('chat:rejoin', { chatUid, token: visitorToken, afterSequence: 1 });
      expect(rejoined.lines.map((line) => [line.sequence, line.text])).toEqual([
        [2, 'missed 1'],
        [3, 'missed 2'],
        [4, 'missed 3'],
      ]);
      await agent.ok('chat:send', { chatUid, text: 'live', clientMessageId: messageId() });
      const live = await back.next<ChatLineView>('chat:line', (line) => line.sequence === 5);
      expect(live.text).toBe('live');
      expect(back.lineSequences(chatUid).filter((sequence) => sequence <= 4)).toEqual([]);
    });

    it('answers requests sent right after connecting with a token (before agent:ready)', async () => {
      const { token, chatUid } = await chatWithAgent();
      const again = await connect('agent', token);
      const { chats } = await again.ok('chats:mine', {});
      expect(chats.map((chat) => chat.chatUid)).toEqual([chatUid]);
    });

    it('never hands out the token of an open chat to a second start with the same visitorId', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const visitorId = `visitor-${randomUUID()}`;
      const first = await connect('visitor');
      await first.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Vera', visitorId });
      const second = await connect('visitor');
      expect(
        await second.request('chat:start', { siteKey: seeded.siteKey, visitorName: 'Mallory', visitorId }),
      ).toMatchObject({
        ok: false,
        error: { code: 'CHAT_ALREADY_OPEN' },
      });
    });

    it('answers a retried start (same visitorId and clientRequestId) with the chat it opened, no second chat', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const visitorId = `visitor-${randomUUID()}`;
      const start = { siteKey: seeded.siteKey, visitorName: 'Vera', visitorId, clientRequestId: messageId() };
      // The first answer was lost (a time-out): the client retries on a new connection.
      const first = await (await connect('visitor')).ok('chat:start', start);
      const retry = await connect('visitor');
      const again = await retry.ok('chat:start', start);
      expect(again.chat.chatUid).toBe(first.chat.chatUid);
      expect(again.token).toBe(first.token);
      const open = await topology().repositories.chats.list({
        states: ['waiting', 'queued', 'offered', 'active'],
      });
      expect(open.filter((chat) => chat.visitorKey === visitorId)).toHaveLength(1);
      // The retrying connection follows the chat; another start of the same visitor is still refused.
      await retry.ok('chat:send', {
        chatUid: again.chat.chatUid,
        text: 'me again',
        clientMessageId: messageId(),
      });
      expect(await retry.request('chat:start', { ...start, clientRequestId: messageId() })).toMatchObject({
        ok: false,
        error: { code: 'CHAT_ALREADY_OPEN' },
      });
    });

    it('lets an agent reconnect with the token and keep their chats', async () => {
      const { token, visitor, chatUid } = await chatWithAgent();
      const again = await connect('agent', token);
      await again.next('agent:ready', () => true, 3000);
      const { chats } = await again.ok('chats:mine', {});
      expect(chats.map((chat) => chat.chatUid)).toEqual([chatUid]);
      await visitor.ok('chat:send', { chatUid, text: 'still there?', clientMessageId: messageId() });
      await again.next<ChatLineView>('chat:line', (line) => line.text === 'still there?');
    });

    it('closes the chat when the agent closes it (OC) and refuses further lines', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      await agent.ok('chat:close', { chatUid });
      await visitor.next<ChatStateNotice>(
        'chat:state',
        (state) => state.state === 'closed' && state.code === 'OC',
      );
      const refused = await visitor.request('chat:send', {
        chatUid,
        text: 'hello?',
        clientMessageId: messageId(),
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'CHAT_CLOSED' } });
      expect(await eventCodes(chatUid)).toEqual(['OP', 'OC']);
    });

    it('answers a resend after the chat closed with the stored copy, not CHAT_CLOSED', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      const clientMessageId = messageId();
      const first = await visitor.ok('chat:send', { chatUid, text: 'did you get this?', clientMessageId });
      await agent.ok('chat:close', { chatUid });
      await visitor.next<ChatStateNotice>('chat:state', (state) => state.state === 'closed');
      const resent = await visitor.ok('chat:send', { chatUid, text: 'did you get this?', clientMessageId });
      expect(resent.line).toEqual(first.line);
      const stored = await topology().repositories.chatLines.listSince(
        (await topology().repositories.chats.findByUid(chatUid))!.id,
        0,
      );
      expect(stored.filter((line) => line.text === 'did you get this?')).toHaveLength(1);
    });

    it('ends the chat as a soft close (SX) when the agent soft-closes it', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      await agent.ok('chat:close', { chatUid, soft: true });
      const state = await visitor.next<ChatStateNotice>('chat:state', (notice) => notice.code === 'SX');
      expect(state).toMatchObject({
        state: 'closed',
        text: expect.stringContaining('softed closed') as unknown,
      });
      expect(await eventCodes(chatUid)).toEqual(['OP', 'SX']);
    });

    it('blocks the visitor (BX): the chat ends and the same visitor cannot start another on the site', async () => {
      const { agent, visitor, chatUid, seeded } = await chatWithAgent();
      const { visitorKey } = (await topology().repositories.chats.findByUid(chatUid))!;
      await agent.ok('chat:block', { chatUid, reason: 'abusive language', hours: 24 });
      await visitor.next<ChatStateNotice>(
        'chat:state',
        (notice) => notice.state === 'closed' && notice.code === 'BX',
      );
      expect(await eventCodes(chatUid)).toEqual(['OP', 'BX']);
      expect(await startAs(seeded.siteKey, visitorKey)).toMatchObject({
        ok: false,
        error: { code: 'BLOCKED' },
      });
      const blocks = await topology().repositories.blockedVisitors.listActive();
      expect(blocks.find((block) => block.visitorKey === visitorKey)).toMatchObject({
        reason: 'abusive language',
        blockedBy: seeded.agents[0].username,
        expiresAt: expect.any(Date) as unknown,
      });
    });

    it('lifts a block from the chat that caused it (chat:unblock, a supervisor): the visitor may start again', async () => {
      const { agent, chatUid, seeded } = await chatWithAgent();
      const { visitorKey } = (await topology().repositories.chats.findByUid(chatUid))!;
      await agent.ok('chat:block', { chatUid, reason: 'by mistake' });
      const supervisor = { username: `supervisor-${messageId()}`, password: 'supervisor password' };
      await topology().repositories.operators.create({
        ...supervisor,
        displayName: 'Sue',
        role: 'supervisor',
      });
      const { socket: lifter } = await readyAgent(supervisor);
      expect(await lifter.ok('chat:unblock', { chatUid })).toEqual({ ok: true, lifted: 1 });
      expect(await lifter.ok('chat:unblock', { chatUid })).toEqual({ ok: true, lifted: 0 });
      const blocks = await topology().repositories.blockedVisitors.listActive();
      expect(blocks.some((block) => block.visitorKey === visitorKey)).toBe(false);
      expect(await startAs(seeded.siteKey, visitorKey)).toMatchObject({ ok: true });
      expect(await lifter.request('chat:unblock', { chatUid: 'no-such-chat' })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHAT' },
      });
    });

    it('refuses chat:unblock to an agent (FORBIDDEN), even on their own chat: the block stays', async () => {
      const { agent, chatUid, seeded } = await chatWithAgent();
      const { visitorKey } = (await topology().repositories.chats.findByUid(chatUid))!;
      await agent.ok('chat:block', { chatUid, reason: 'abusive language' });
      expect(await agent.request('chat:unblock', { chatUid })).toMatchObject({
        ok: false,
        error: { code: 'FORBIDDEN' },
      });
      const blocks = await topology().repositories.blockedVisitors.listActive();
      expect(blocks.some((block) => block.visitorKey === visitorKey)).toBe(true);
      expect(await startAs(seeded.siteKey, visitorKey)).toMatchObject({
        ok: false,
        error: { code: 'BLOCKED' },
      });
    });

    it("refuses a block of a chat that is not the agent's and blocks nobody", async () => {
      const { chatUid, seeded } = await chatWithAgent({ agents: 2 });
      const { socket: other } = await readyAgent(seeded.agents[1]);
      expect(await other.request('chat:block', { chatUid })).toMatchObject({
        ok: false,
        error: { code: 'NOT_YOUR_CHAT' },
      });
      expect(await other.request('chat:block', { chatUid, hours: 0 })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PAYLOAD' },
      });
      const { visitorKey } = (await topology().repositories.chats.findByUid(chatUid))!;
      const blocks = await topology().repositories.blockedVisitors.listActive();
      expect(blocks.some((block) => block.visitorKey === visitorKey)).toBe(false);
      expect(await eventCodes(chatUid)).toEqual(['OP']);
    });

    it('puts the chat back on the waiting list when the agent leaves it (OL)', async () => {
      const { agent, chatUid, seeded } = await chatWithAgent();
      await agent.ok('chat:leave', { chatUid });
      const chat = await topology().repositories.chats.findByUid(chatUid);
      expect(chat).toMatchObject({ state: 'waiting', operatorId: null });
      expect(
        (await topology().repositories.operators.findByUsername(seeded.agents[0].username))!.openChats,
      ).toBe(0);
      expect(await eventCodes(chatUid)).toEqual(['OP', 'OL']);
    });

    it("refuses a line once the chat is no longer the agent's, or ended, though each side wrote before", async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      const send = (side: TestSocket, text: string) =>
        side.request('chat:send', { chatUid, text, clientMessageId: messageId() });
      expect(await send(agent, 'agent 1')).toMatchObject({ ok: true });
      expect(await send(visitor, 'visitor 1')).toMatchObject({ ok: true });
      await agent.ok('chat:leave', { chatUid });
      expect(await send(agent, 'agent 2')).toMatchObject({ ok: false, error: { code: 'NOT_YOUR_CHAT' } });
      expect(await send(visitor, 'visitor 2')).toMatchObject({ ok: true });
      await visitor.ok('chat:close', { chatUid });
      expect(await send(visitor, 'visitor 3')).toMatchObject({ ok: false, error: { code: 'CHAT_CLOSED' } });
      const chat = await topology().repositories.chats.findByUid(chatUid);
      const stored = await topology().repositories.chatLines.listSince(chat!.id, 0);
      expect(stored.map(({ sequence, text }) => [sequence, text])).toEqual([
        [1, 'agent 1'],
        [2, 'visitor 1'],
        [3, 'visitor 2'],
      ]);
    });

    it('records VC when the visitor closes, and a chat nobody took ends as missed', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Vic' });
      await visitor.ok('chat:close', { chatUid: chat.chatUid });
      expect(await topology().repositories.chats.findByUid(chat.chatUid)).toMatchObject({
        state: 'missed',
        closeReason: 'VC',
      });
    });
  });

  describe('transfers and acquires', () => {
    const movedTo = (chatUid: string, username: string, code: string) => (notice: AgentChatStateNotice) =>
      notice.chatUid === chatUid && notice.agentUsername === username && notice.code === code;

    it('tells the receiving agent (chat:state, counts) and the previous one that the chat left them', async () => {
      const { agent: from, visitor, chatUid, seeded } = await chatWithAgent({ agents: 2 });
      const [first, second] = seeded.agents;
      const { socket: to } = await readyAgent(second);
      await from.ok('chat:transfer', { chatUid, target: { kind: 'agent', username: second.username } });
      expect(
        await to.next<AgentChatStateNotice>('chat:state', movedTo(chatUid, second.username, 'TFER')),
      ).toMatchObject({
        state: 'active',
        agentName: 'Agent 1',
      });
      await to.next<AgentView>('agent:status', (view) => view.openChats === 1);
      await from.next<AgentChatStateNotice>('chat:state', movedTo(chatUid, second.username, 'TFER'));
      await from.next<AgentView>(
        'agent:status',
        (view) => view.openChats === 0 && view.username === first.username,
      );
      // The receiver follows the chat from now on; the previous agent does not.
      await visitor.ok('chat:send', { chatUid, text: 'who is there?', clientMessageId: messageId() });
      await to.next<ChatLineView>('chat:line', (line) => line.text === 'who is there?');
      await visitor.next<ChatLineView>('chat:line', (line) => line.text === 'who is there?');
      expect(from.received.some((entry) => entry.event === 'chat:line')).toBe(false);
    });

    it('tells the agent whose chat another acquired that it left them', async () => {
      const { agent: holder, chatUid, seeded } = await chatWithAgent({ agents: 2 });
      const { socket: taker } = await readyAgent(seeded.agents[1]);
      await taker.ok('chat:acquire', { chatUid });
      await holder.next<AgentChatStateNotice>(
        'chat:state',
        movedTo(chatUid, seeded.agents[1].username, 'ACQ'),
      );
      await holder.next<AgentView>('agent:status', (view) => view.openChats === 0);
    });
  });

  describe('pickup races', () => {
    it('gives the chat to exactly one of many agents; the others get OPF and nothing else changes', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories, { agents: 6 });
      const agents = await Promise.all(seeded.agents.map((agent) => readyAgent(agent)));
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Race' });
      const answers = await Promise.all(
        agents.map(({ socket }) => socket.request('chat:pickup', { chatUid: chat.chatUid })),
      );
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
      expect(answers.filter((answer) => !answer.ok && answer.error.code === 'ALREADY_TAKEN')).toHaveLength(5);
      const codes = await eventCodes(chat.chatUid);
      expect(codes.filter((code) => code === 'OP')).toHaveLength(1);
      expect(codes.filter((code) => code === 'OPF')).toHaveLength(5);
      const openChats = await Promise.all(
        seeded.agents.map(
          async (agent) =>
            (await topology().repositories.operators.findByUsername(agent.username))!.openChats,
        ),
      );
      expect(openChats.reduce((sum, count) => sum + count, 0)).toBe(1);
    });

    it('answers a repeated pickup by the agent who holds the chat, recording no OPF', async () => {
      const { agent, chatUid } = await chatWithAgent();
      const again = await agent.ok('chat:pickup', { chatUid });
      expect(again.chat).toMatchObject({ chatUid, state: 'active' });
      expect(await eventCodes(chatUid)).toEqual(['OP']);
    });

    it("lets an agent's pickup race their own accept: both answer the chat, no OPF, one slot", async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const { socket: agent } = await readyAgent(seeded.agents[0]);
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Twice' });
      const { chatUid } = chat;
      const answers = await Promise.all([
        agent.request('chat:accept', { chatUid }),
        agent.request('chat:pickup', { chatUid }),
        agent.request('chat:pickup', { chatUid }),
      ]);
      expect(answers.map((answer) => (answer.ok ? answer.chat.chatUid : answer.error.code))).toEqual([
        chatUid,
        chatUid,
        chatUid,
      ]);
      expect(await eventCodes(chatUid)).toEqual(['OP']);
      const holder = await topology().repositories.operators.findByUsername(seeded.agents[0].username);
      expect(holder!.openChats).toBe(1);
    });

    it('pushes the waiting list only to agents in Chat status', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories, { agents: 2 });
      const { socket: available } = await readyAgent(seeded.agents[0]);
      const away = await connect('agent');
      await away.ok('agent:login', seeded.agents[1]);
      await away.ok('agent:status', { status: 3 });
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Quiet' });
      await available.next<ChatSummary>('queue:added', (added) => added.chatUid === chat.chatUid);
      expect(away.received.filter((entry) => entry.event === 'queue:added')).toEqual([]);
    });

    it('refuses a pickup from an agent who is not in Chat status', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const agent = await connect('agent');
      await agent.ok('agent:login', seeded.agents[0]);
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Early' });
      expect(await agent.request('chat:pickup', { chatUid: chat.chatUid })).toMatchObject({
        ok: false,
        error: { code: 'NOT_ELIGIBLE' },
      });
      expect(await eventCodes(chat.chatUid)).toEqual([]);
    });
  });

  describe('rate limits (RATE_LIMITED, retryAfterMs, nothing stored beyond the limit)', () => {
    it('refuses chat:send beyond ACD.Chat.RateLimit.Send.Per10Seconds on one connection; the stored lines are the accepted ones', async () => {
      const { agent, visitor, chatUid } = await chatWithAgent();
      const answers = await Promise.all(
        Array.from({ length: 2000 }, (_, index) =>
          visitor.request('chat:send', { chatUid, text: `flood ${index}`, clientMessageId: messageId() }),
        ),
      );
      const accepted = answers.filter((answer) => answer.ok);
      const refused = answers.filter((answer) => !answer.ok);
      expect(accepted).toHaveLength(50);
      expect(refused).toHaveLength(1950);
      for (const answer of refused) {
        expect(answer).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } });
        expect(!answer.ok && answer.error.retryAfterMs).toBeGreaterThan(0);
      }
      const chat = await topology().repositories.chats.findByUid(chatUid);
      const stored = await topology().repositories.chatLines.listSince(chat!.id, 0);
      expect(stored.map((line) => line.text).sort()).toEqual(
        accepted.map((answer) => (answer.ok ? answer.line.text : '')).sort(),
      );
      // The limit is the connection's: the agent in the same chat still sends.
      await agent.ok('chat:send', { chatUid, text: 'agent still sends', clientMessageId: messageId() });
    });
  });

  describe('bad input: a clear error, nothing stored, the connection keeps working', () => {
    async function expectStillWorking(visitor: TestSocket, chatUid: string) {
      const { line } = await visitor.ok('chat:send', {
        chatUid,
        text: 'still works',
        clientMessageId: messageId(),
      });
      expect(line.text).toBe('still works');
    }

    async function storedLines(chatUid: string) {
      const chat = await topology().repositories.chats.findByUid(chatUid);
      return topology().repositories.chatLines.listSince(chat!.id, 0);
    }

    it.each([
      ['no payload', undefined],
      ['a string', 'hello'],
      ['missing text', { clientMessageId: 'a1' }],
      ['an empty text', { text: '', clientMessageId: 'a1' }],
      ['a bad clientMessageId', { text: 'x', clientMessageId: 'has spaces' }],
      ['a number for text', { text: 42, clientMessageId: 'a1' }],
    ])('refuses a line with %s (INVALID_PAYLOAD)', async (_case, payload) => {
      const { visitor, chatUid } = await chatWithAgent();
      const body = typeof payload === 'object' ? { chatUid, ...payload } : payload;
      const answer = await visitor.request('chat:send', body);
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
      expect(await storedLines(chatUid)).toHaveLength(0);
      await expectStillWorking(visitor, chatUid);
    });

    it('stores a lone surrogate as U+FFFD, never as invalid UTF-8, in lines and names', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const visitor = await connect('visitor');
      const { chat } = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Ve\uD800ra' });
      const { line } = await visitor.ok('chat:send', {
        chatUid: chat.chatUid,
        text: 'half \uDE00 of 😀',
        clientMessageId: messageId(),
      });
      expect(line).toMatchObject({ text: 'half \uFFFD of 😀', senderName: 'Ve\uFFFDra' });
      expect((await storedLines(chat.chatUid)).map((stored) => stored.text)).toEqual(['half \uFFFD of 😀']);
      expect((await topology().repositories.chats.findByUid(chat.chatUid))!.visitorName).toBe('Ve\uFFFDra');
    });

    it('refuses an oversized event (PAYLOAD_TOO_LARGE)', async () => {
      const { visitor, chatUid } = await chatWithAgent();
      const answer = await visitor.request('chat:send', {
        chatUid,
        text: 'x'.repeat(100_000),
        clientMessageId: messageId(),
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
      expect(await storedLines(chatUid)).toHaveLength(0);
      await expectStillWorking(visitor, chatUid);
    });

    it('refuses a line longer than ACD.Chat.Line.MaxLength (LINE_TOO_LONG)', async () => {
      const { visitor, chatUid } = await chatWithAgent();
      const answer = await visitor.request('chat:send', {
        chatUid,
        text: 'x'.repeat(5000),
        clientMessageId: messageId(),
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'LINE_TOO_LONG' } });
      await expectStillWorking(visitor, chatUid);
    });

    it('answers an unknown event with UNKNOWN_EVENT', async () => {
      const { visitor, chatUid } = await chatWithAgent();
      const answer = (await visitor.socket.timeout(5000).emitWithAck('chat:explode', {})) as unknown;
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_EVENT' } });
      await expectStillWorking(visitor, chatUid);
    });

    it("refuses a visitor addressing another visitor's chat (UNKNOWN_CHAT)", async () => {
      const { chatUid } = await chatWithAgent();
      const intruder = await connect('visitor');
      const answer = await intruder.request('chat:send', {
        chatUid,
        text: 'hijack',
        clientMessageId: messageId(),
      });
      expect(answer).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHAT' } });
      const rejoin = await intruder.request('chat:rejoin', {
        chatUid,
        token: 'x'.repeat(43),
        afterSequence: 0,
      });
      expect(rejoin).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHAT' } });
      expect(await storedLines(chatUid)).toHaveLength(0);
    });

    it('refuses an unknown chat and an unknown site', async () => {
      const visitor = await connect('visitor');
      expect(
        await visitor.request('chat:start', { siteKey: 'no-such-site', visitorName: 'X' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_SITE' },
      });
      const agent = await readyAgent((await seedSiteAndAgent(topology().repositories)).agents[0]);
      expect(await agent.socket.request('chat:pickup', { chatUid: 'no-such-chat' })).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHAT' },
      });
    });

    it('refuses an agent acting on a chat that is not theirs (NOT_YOUR_CHAT)', async () => {
      const { chatUid, seeded } = await chatWithAgent({ agents: 2 });
      const { socket: other } = await readyAgent(seeded.agents[1]);
      for (const [event, payload] of [
        ['chat:send', { chatUid, text: 'mine now', clientMessageId: messageId() }],
        ['chat:close', { chatUid }],
        ['chat:leave', { chatUid }],
      ] as const) {
        expect(await other.request(event, payload)).toMatchObject({
          ok: false,
          error: { code: 'NOT_YOUR_CHAT' },
        });
      }
      expect(await topology().repositories.chats.findByUid(chatUid)).toMatchObject({ state: 'active' });
      expect(await storedLines(chatUid)).toHaveLength(0);
    });

    it('refuses agent requests before login, and a wrong password', async () => {
      const seeded = await seedSiteAndAgent(topology().repositories);
      const agent = await connect('agent');
      expect(await agent.request('queue:list', {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
      expect(
        await agent.request('agent:login', { username: seeded.agents[0].username, password: 'wrong' }),
      ).toMatchObject({
        ok: false,
        error: { code: 'BAD_CREDENTIALS' },
      });
      await agent.ok('agent:login', seeded.agents[0]);
    });

    it('tells an agent connecting with a forged token to log in again', async () => {
      const agent = await connect('agent', '1.9999999999999.forged');
      const error = await agent.next<{ code: string }>('request:error');
      expect(error.code).toBe('UNAUTHENTICATED');
      expect(await agent.request('queue:list', {})).toMatchObject({
        ok: false,
        error: { code: 'UNAUTHENTICATED' },
      });
    });
  });
}
