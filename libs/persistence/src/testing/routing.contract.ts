import { PersistenceErrorCode, type PersistenceError } from '../database/persistence.error';
import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator, makeSite } from './factories';

/** The routing service's conditional moves of the queue: each applies once, over the state it was decided from. */
export function routingContract(context: ContextProvider): void {
  const repositories = () => context().repositories;
  const routingOf = async (chatId: number) =>
    (await repositories().chatRouting.routable()).find((chat) => chat.id === chatId);

  describe('chat routing', () => {
    it('admits a waiting chat once: a second instance gets null', async () => {
      const chat = await makeChat(repositories());
      const at = new Date('2026-01-05T10:00:00.000Z');
      const round = await repositories().chatRouting.admit(chat.id, at);
      expect(round).toBe(1);
      expect(await repositories().chatRouting.admit(chat.id, at)).toBeNull();
      expect(await routingOf(chat.id)).toMatchObject({
        state: 'queued',
        routing: {
          queuedAt: at,
          offeredAt: null,
          offeredTo: [],
          askedIds: [],
          declines: [],
          offerRound: 1,
        },
      });
    });

    it('offers over the round it read only: a stale round changes nothing', async () => {
      const chat = await makeChat(repositories());
      const round = (await repositories().chatRouting.admit(chat.id))!;
      expect(await repositories().chatRouting.offer(chat.id, round, { agentIds: [7], askedIds: [7] })).toBe(
        true,
      );
      expect(
        await repositories().chatRouting.offer(chat.id, round, { agentIds: [8], askedIds: [7, 8] }),
      ).toBe(false);
      expect(await routingOf(chat.id)).toMatchObject({
        state: 'offered',
        routing: { offeredTo: [7], askedIds: [7], offerRound: round + 1 },
      });
      expect(await repositories().chatRouting.requeue(chat.id, round + 1)).toBe(true);
      expect(await routingOf(chat.id)).toMatchObject({
        state: 'queued',
        routing: { offeredTo: [], offerRound: round + 2 },
      });
    });

    it('keeps who declined across a requeue and when, and only for an agent the chat is offered to', async () => {
      const chat = await makeChat(repositories());
      const round = (await repositories().chatRouting.admit(chat.id))!;
      const offeredAt = new Date('2026-01-05T10:00:00.000Z');
      const declinedAt = new Date('2026-01-05T10:00:07.000Z');
      const requeuedAt = new Date('2026-01-05T10:00:20.000Z');
      const offer = { agentIds: [7, 8], askedIds: [7, 8] };
      await repositories().chatRouting.offer(chat.id, round, offer, offeredAt);
      expect(await repositories().chatRouting.recordDecline(chat.id, 7, new Date(0))).toBe(true);
      expect(await repositories().chatRouting.recordDecline(chat.id, 7, declinedAt)).toBe(true);
      expect(await repositories().chatRouting.recordDecline(chat.id, 9)).toBe(false);
      expect(await repositories().chatRouting.requeue(chat.id, round + 1, requeuedAt)).toBe(true);
      // 8 let the offer expire: it counts as declining it when the offer was withdrawn.
      expect((await routingOf(chat.id))?.routing?.declines).toEqual([
        { operatorId: 7, at: declinedAt },
        { operatorId: 8, at: requeuedAt },
      ]);
      expect(await repositories().chatRouting.recordDecline(chat.id, 8)).toBe(false);
    });

    it('keeps the newest declines when a crowd of agents let offers expire', async () => {
      const chat = await makeChat(repositories());
      let round = (await repositories().chatRouting.admit(chat.id))!;
      const crowd = Array.from({ length: 150 }, (_, index) => 1_000_000 + index);
      for (const [step, agents] of [crowd.slice(0, 75), crowd.slice(75)].entries()) {
        await repositories().chatRouting.offer(chat.id, round, { agentIds: agents, askedIds: agents });
        const at = new Date(Date.UTC(2026, 0, 5, 10, step));
        expect(await repositories().chatRouting.requeue(chat.id, round + 1, at)).toBe(true);
        round += 2;
      }
      const declines = (await routingOf(chat.id))?.routing?.declines ?? [];
      expect(declines.length).toBeGreaterThan(75);
      expect(declines.length).toBeLessThan(150);
      expect(declines.slice(-75).map(({ operatorId }) => operatorId)).toEqual(crowd.slice(75));
    });

    it('takes a chat an agent left back in with its first queue time and its declines (FIFO)', async () => {
      const chat = await makeChat(repositories());
      const queuedAt = new Date('2026-01-05T10:00:00.000Z');
      const round = (await repositories().chatRouting.admit(chat.id, queuedAt))!;
      const operator = await makeOperator(repositories());
      await repositories().chatRouting.offer(chat.id, round, {
        agentIds: [operator.id, 99],
        askedIds: [operator.id, 99],
      });
      await repositories().chatRouting.recordDecline(chat.id, 99);
      await repositories().chats.assignOnce(chat.id, operator.id);
      await repositories().chats.unassign(chat.id, operator.id);
      const again = await repositories().chatRouting.admit(chat.id, new Date('2026-01-05T10:30:00.000Z'));
      expect(again).toBe(round + 2);
      expect(await routingOf(chat.id)).toMatchObject({
        state: 'queued',
        routing: { queuedAt, offeredTo: [], askedIds: [], declines: [{ operatorId: 99 }] },
      });
    });

    it('never moves or refuses a chat an agent holds', async () => {
      const chat = await makeChat(repositories());
      const round = (await repositories().chatRouting.admit(chat.id))!;
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id);
      expect(await repositories().chatRouting.offer(chat.id, round, { agentIds: [1], askedIds: [1] })).toBe(
        false,
      );
      expect(await repositories().chatRouting.refuse(chat.id, 'QTO')).toBe(false);
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'active',
        operatorId: operator.id,
      });
    });

    it('refuses an unassigned chat as missed with its code, freeing the visitor', async () => {
      const chat = await makeChat(repositories());
      expect(await repositories().chatRouting.refuse(chat.id, 'OF')).toBe(true);
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'missed',
        closeReason: 'OF',
      });
      const again = await repositories().chats.open({
        siteId: chat.siteId,
        channel: 'web',
        visitorKey: chat.visitorKey,
      });
      expect(again.outcome).toBe('created');
    });

    it("moves an operator's chat to another site as a new waiting chat, freeing the operator's slot", async () => {
      const chat = await makeChat(repositories());
      await repositories().chatRouting.admit(chat.id);
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id);
      const target = await makeSite(repositories());
      expect(await repositories().chatRouting.moveToSite(chat.id, operator.id, target.id)).toBe('moved');
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'waiting',
        operatorId: null,
        siteId: target.id,
      });
      expect((await routingOf(chat.id))?.routing).toBeNull();
      expect((await repositories().operators.findById(operator.id))?.openChats).toBe(0);
      expect(await repositories().chatRouting.moveToSite(chat.id, operator.id, target.id)).toBe('not-held');
    });

    it('refuses a site move when the visitor already has an open chat there, changing nothing', async () => {
      const chat = await makeChat(repositories());
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id);
      const busy = await makeChat(repositories(), { visitorKey: chat.visitorKey });
      expect(await repositories().chatRouting.moveToSite(chat.id, operator.id, busy.siteId)).toBe(
        'visitor-busy',
      );
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'active',
        operatorId: operator.id,
        siteId: chat.siteId,
      });
    });

    it('finds the chats the timeouts may close: idle active ones and those whose visitor is gone', async () => {
      const idle = await makeChat(repositories());
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(idle.id, operator.id, new Date('2026-01-05T10:00:00.000Z'));
      const gone = await makeChat(repositories());
      await repositories().chatRouting.admit(gone.id);
      await repositories().chatRouting.setVisitorPresence(gone.chatUid, new Date('2026-01-05T10:00:00.000Z'));
      const found = await repositories().chatRouting.timeoutCandidates(
        new Date('2026-01-05T10:05:00.000Z'),
        new Date('2026-01-05T10:05:00.000Z'),
      );
      expect(found.map((chat) => chat.id)).toEqual(expect.arrayContaining([idle.id, gone.id]));
      expect(found.find((chat) => chat.id === gone.id)?.visitorGoneAt).toEqual(
        new Date('2026-01-05T10:00:00.000Z'),
      );
      await repositories().chatRouting.setVisitorPresence(gone.chatUid, null);
      const after = await repositories().chatRouting.timeoutCandidates(
        new Date(0),
        new Date('2026-01-05T10:05:00.000Z'),
      );
      expect(after.map((chat) => chat.id)).not.toContain(gone.id);
    });

    it('counts a visitor as present while any node stamps them seen, and gone once every node stopped', async () => {
      const minute = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 10, minutes));
      const candidates = async (goneSince: Date) =>
        (await repositories().chatRouting.timeoutCandidates(new Date(0), goneSince)).filter((chat) =>
          [dropped.id, crashed.id, whatsapp.id].includes(chat.id),
        );
      const [dropped, crashed, whatsapp] = [
        await makeChat(repositories()),
        await makeChat(repositories()),
        await makeChat(repositories(), { channel: 'whatsapp' }),
      ];
      for (const chat of [dropped, crashed, whatsapp]) await repositories().chatRouting.admit(chat.id);
      // Visitor of `dropped` left node 1 at 10:00 but is connected to node 2, which stamps them at 10:04.
      await repositories().chatRouting.setVisitorPresence(dropped.chatUid, null, minute(0));
      await repositories().chatRouting.setVisitorPresence(dropped.chatUid, minute(0));
      await repositories().chatRouting.markVisitorsSeen([dropped.chatUid, crashed.chatUid], minute(4));
      // The node `crashed` was connected to died after its 10:04 stamp: no drop was ever recorded.
      expect(await candidates(minute(3))).toEqual([]);
      const later = await candidates(minute(5));
      expect(later.map((chat) => [chat.id, chat.visitorGoneAt])).toEqual(
        expect.arrayContaining([
          [dropped.id, minute(4)],
          [crashed.id, minute(4)],
        ]),
      );
      expect(later).toHaveLength(2);
    });

    it("stores the agent's notice of a gone visitor (line and RMS) once per disconnect, also when two instances race", async () => {
      const minute = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 10, minutes));
      const chat = await makeChat(repositories());
      await repositories().chatRouting.admit(chat.id);
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id, minute(0));
      await repositories().chatRouting.setVisitorPresence(chat.chatUid, minute(1));
      const line = {
        senderKind: 'system' as const,
        senderName: 'Switchboard',
        text: 'The visitor left.',
        operatorId: null,
        externalMessageId: null,
        deliveryState: null,
      };
      const notice = (at: Date) =>
        repositories().chatRouting.noticeGoneVisitor(
          chat.id,
          minute(2),
          line,
          [{ code: 'RMS', text: 'Automatic Rule Message' }],
          at,
        );
      const due = async () =>
        (await repositories().chatRouting.goneVisitorsToNotice(minute(2))).some(
          (found) => found.id === chat.id,
        );
      expect(await due()).toBe(true);
      const stored = await Promise.all([notice(minute(3)), notice(minute(3))]);
      expect(stored.filter((result) => result !== null)).toHaveLength(1);
      expect(await due()).toBe(false);
      expect(await notice(minute(4))).toBeNull();
      // Back, then gone again: a new notice is due.
      await repositories().chatRouting.setVisitorPresence(chat.chatUid, null, minute(5));
      expect(await due()).toBe(false);
      await repositories().chatRouting.setVisitorPresence(chat.chatUid, minute(6));
      expect(
        await repositories().chatRouting.noticeGoneVisitor(chat.id, minute(7), line, [], minute(8)),
      ).not.toBeNull();
      const lines = await repositories().chatLines.listSince(chat.id, 0);
      expect(lines.map((stored) => stored.text)).toEqual(['The visitor left.', 'The visitor left.']);
      const events = await repositories().chatEvents.listByChat(chat.id);
      expect(events.filter((event) => event.code === 'RMS')).toHaveLength(1);
    });

    it("keeps a site's routing rules in order with their conditions and actions", async () => {
      const { id: siteId } = await makeSite(repositories());
      const later = await repositories().routingRules.create({
        siteId,
        position: 2,
        name: 'billing',
        skill: 'billing',
      });
      const first = await repositories().routingRules.create({
        siteId,
        position: 1,
        name: 'german shop',
        pageUrlContains: '/shop',
        language: 'de',
        variables: { plan: 'gold' },
        skill: 'sales',
        actions: {
          'outside-hours': { kind: 'message', message: 'Back at 9.' },
          offline: { kind: 'redirect', skill: 'billing' },
        },
      });
      expect(await repositories().routingRules.listForSite(siteId)).toEqual([first, later]);
      expect(first).toMatchObject({
        variables: { plan: 'gold' },
        actions: { offline: { kind: 'redirect', skill: 'billing' } },
      });
      expect(later).not.toHaveProperty('pageUrlContains');
    });

    it('changes a rule field by field, clears a condition with null, refuses a bad change whole', async () => {
      const { id: siteId } = await makeSite(repositories());
      const rule = await repositories().routingRules.create({
        siteId,
        name: 'shop',
        pageUrlContains: '/shop',
        language: 'de',
        skill: 'sales',
      });
      const changed = await repositories().routingRules.update(rule.id, {
        position: 5,
        pageUrlContains: null,
        variables: { plan: 'gold' },
        actions: { always: { kind: 'cancel' } },
      });
      expect(changed).toEqual({
        id: rule.id,
        siteId,
        position: 5,
        name: 'shop',
        language: 'de',
        skill: 'sales',
        variables: { plan: 'gold' },
        actions: { always: { kind: 'cancel' } },
      });
      await expect(repositories().routingRules.update(rule.id, { name: 'x', skill: ' ' })).rejects.toEqual(
        expect.objectContaining({ code: PersistenceErrorCode.InvalidValue }) as PersistenceError,
      );
      expect(await repositories().routingRules.findById(rule.id)).toEqual(changed);
      expect(await repositories().routingRules.update(rule.id + 1000, { name: 'ghost' })).toBeNull();
      expect(await repositories().routingRules.delete(rule.id)).toBe(true);
      expect(await repositories().routingRules.findById(rule.id)).toBeNull();
      expect(await repositories().routingRules.delete(rule.id)).toBe(false);
    });

    it('refuses a rule with an unknown case or an empty message, storing nothing', async () => {
      const { id: siteId } = await makeSite(repositories());
      const invalid = repositories().routingRules.create({
        siteId,
        name: 'broken',
        skill: 'sales',
        actions: { sometimes: { kind: 'cancel' } } as never,
      });
      await expect(invalid).rejects.toEqual(
        expect.objectContaining({ code: PersistenceErrorCode.InvalidValue }) as PersistenceError,
      );
      const empty = repositories().routingRules.create({
        siteId,
        name: 'empty',
        skill: 'sales',
        actions: { normal: { kind: 'message', message: ' ' } },
      });
      await expect(empty).rejects.toEqual(
        expect.objectContaining({ code: PersistenceErrorCode.InvalidValue }) as PersistenceError,
      );
      expect(await repositories().routingRules.listForSite(siteId)).toEqual([]);
    });
  });
}
