import { PersistenceErrorCode, type PersistenceError } from '../database/persistence.error';
import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator, makeSite, uniqueName } from './factories';

const visitorLine = { senderKind: 'visitor', senderName: 'Visitor', text: 'hello' } as const;

/** Chats (open, assign, transfer, close), their lines, events and variables. */
export function chatContract(context: ContextProvider): void {
  const repositories = () => context().repositories;
  const openChatsOf = async (operatorId: number) =>
    (await repositories().operators.findById(operatorId))?.openChats;

  describe('chats', () => {
    it('opens a waiting chat with a UID', async () => {
      const chat = await makeChat(repositories());
      expect(chat).toMatchObject({ state: 'waiting', operatorId: null, lastLineSeq: 0 });
      expect(chat.chatUid).toMatch(/^[0-9a-f-]{36}$/);
      expect(await repositories().chats.findByUid(chat.chatUid)).toEqual(chat);
    });

    it('returns the open chat when the visitor asks again on the same site', async () => {
      const first = await makeChat(repositories());
      const again = await repositories().chats.open({
        siteId: first.siteId,
        channel: 'web',
        visitorKey: first.visitorKey,
      });
      expect(again).toEqual({ outcome: 'existing', chat: first });
    });

    it('opens a separate chat for the same visitor on another site', async () => {
      const first = await makeChat(repositories());
      const { id: otherSiteId } = await makeSite(repositories());
      const other = await repositories().chats.open({
        siteId: otherSiteId,
        channel: 'web',
        visitorKey: first.visitorKey,
      });
      expect(other.outcome).toBe('created');
    });

    it('opens a new chat once the previous one is closed', async () => {
      const first = await makeChat(repositories());
      await repositories().chats.close(first.id, 'VC');
      const next = await repositories().chats.open({
        siteId: first.siteId,
        channel: 'web',
        visitorKey: first.visitorKey,
      });
      expect(next.outcome).toBe('created');
    });

    it('reads the names shown with a chat in one query: site key, skill, agent', async () => {
      const site = await makeSite(repositories());
      const skill = await repositories().skills.create(uniqueName('skill'));
      const operator = await makeOperator(repositories(), { skillIds: [skill.id] });
      const chat = await makeChat(repositories(), { siteId: site.id, skillId: skill.id });
      expect(await repositories().chats.names(chat)).toEqual({
        siteKey: site.siteKey,
        skill: skill.name,
        agentUsername: null,
        agentName: null,
      });
      const assigned = await repositories().chats.assignOnce(chat.id, operator.id);
      expect(assigned.assigned && (await repositories().chats.names(assigned.chat))).toEqual({
        siteKey: site.siteKey,
        skill: skill.name,
        agentUsername: operator.username,
        agentName: operator.displayName,
      });
      expect(await repositories().chats.names({ siteId: -1, skillId: null, operatorId: null })).toEqual({
        siteKey: null,
        skill: null,
        agentUsername: null,
        agentName: null,
      });
    });

    it('moves an unassigned chat from waiting to queued', async () => {
      const chat = await makeChat(repositories());
      expect(await repositories().chats.transition(chat.id, ['waiting'], 'queued')).toBe(true);
      expect((await repositories().chats.findById(chat.id))?.state).toBe('queued');
    });

    it('assigns a chat: active, operator set, one unit of capacity taken', async () => {
      const chat = await makeChat(repositories());
      const operator = await makeOperator(repositories());
      const result = await repositories().chats.assignOnce(chat.id, operator.id);
      expect(result).toMatchObject({ assigned: true, chat: { state: 'active', operatorId: operator.id } });
      expect(await openChatsOf(operator.id)).toBe(1);
    });

    it('takes a chat back from the operator who left it: waiting again, capacity freed', async () => {
      const chat = await makeChat(repositories());
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id);
      expect(await repositories().chats.unassign(chat.id, operator.id)).toBe(true);
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'waiting',
        operatorId: null,
      });
      expect(await openChatsOf(operator.id)).toBe(0);
    });

    it('refuses to take a chat back from an operator who does not hold it', async () => {
      const chat = await makeChat(repositories());
      const [holder, other] = [await makeOperator(repositories()), await makeOperator(repositories())];
      await repositories().chats.assignOnce(chat.id, holder.id);
      expect(await repositories().chats.unassign(chat.id, other.id)).toBe(false);
      expect(await openChatsOf(holder.id)).toBe(1);
    });

    it("refuses a second assignment and leaves the loser's capacity untouched", async () => {
      const chat = await makeChat(repositories());
      const [winner, loser] = [await makeOperator(repositories()), await makeOperator(repositories())];
      await repositories().chats.assignOnce(chat.id, winner.id);
      expect(await repositories().chats.assignOnce(chat.id, loser.id)).toEqual({
        assigned: false,
        reason: 'chat-not-assignable',
      });
      expect(await openChatsOf(loser.id)).toBe(0);
    });

    it('refuses an operator with max chats 0 and leaves the chat waiting', async () => {
      const chat = await makeChat(repositories());
      const operator = await makeOperator(repositories(), { maxChats: 0 });
      expect(await repositories().chats.assignOnce(chat.id, operator.id)).toEqual({
        assigned: false,
        reason: 'operator-at-capacity',
      });
      expect(await repositories().chats.findById(chat.id)).toEqual(chat);
    });

    it('transfers an active chat and moves the capacity unit with it', async () => {
      const chat = await makeChat(repositories());
      const [from, to] = [await makeOperator(repositories()), await makeOperator(repositories())];
      await repositories().chats.assignOnce(chat.id, from.id);
      const result = await repositories().chats.transfer(chat.id, from.id, to.id);
      expect(result).toMatchObject({ transferred: true, chat: { operatorId: to.id } });
      expect([await openChatsOf(from.id), await openChatsOf(to.id)]).toEqual([0, 1]);
    });

    it('refuses a transfer from an operator who does not hold the chat', async () => {
      const chat = await makeChat(repositories());
      const [holder, other, target] = [
        await makeOperator(repositories()),
        await makeOperator(repositories()),
        await makeOperator(repositories()),
      ];
      await repositories().chats.assignOnce(chat.id, holder.id);
      expect(await repositories().chats.transfer(chat.id, other.id, target.id)).toEqual({
        transferred: false,
        reason: 'chat-not-held-by-operator',
      });
      expect(await openChatsOf(target.id)).toBe(0);
    });

    it("closes once: frees the operator's capacity and records the reason", async () => {
      const chat = await makeChat(repositories());
      const operator = await makeOperator(repositories());
      await repositories().chats.assignOnce(chat.id, operator.id);
      expect([
        await repositories().chats.close(chat.id, 'OC'),
        await repositories().chats.close(chat.id, 'OC'),
      ]).toEqual([true, false]);
      expect(await openChatsOf(operator.id)).toBe(0);
      expect(await repositories().chats.findById(chat.id)).toMatchObject({
        state: 'closed',
        closeReason: 'OC',
      });
    });

    it("lists a skill's most recently handled chats with their assign and close times, missed ones left out", async () => {
      const skill = await repositories().skills.create(uniqueName('handled'));
      const operator = await makeOperator(repositories(), { maxChats: 5 });
      const minute = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 10, minutes));
      for (const [assigned, closed] of [
        [0, 3],
        [1, 2],
        [5, 15],
      ] as const) {
        const chat = await makeChat(repositories(), { skillId: skill.id });
        await repositories().chats.assignOnce(chat.id, operator.id, minute(assigned));
        await repositories().chats.close(chat.id, 'OC', minute(closed));
      }
      const missed = await makeChat(repositories(), { skillId: skill.id });
      await repositories().chats.close(missed.id, 'OF', minute(20), 'missed');
      await makeChat(repositories(), { skillId: skill.id });
      expect(await repositories().chatStatistics.recentlyHandled(skill.id, 2)).toEqual([
        { assignedAt: minute(5), closedAt: minute(15) },
        { assignedAt: minute(0), closedAt: minute(3) },
      ]);
      const other = await repositories().skills.create(uniqueName('unhandled'));
      expect(await repositories().chatStatistics.recentlyHandled(other.id, 50)).toEqual([]);
    });

    it('marks an untaken chat as missed', async () => {
      const chat = await makeChat(repositories());
      await repositories().chats.close(chat.id, 'OF', new Date(), 'missed');
      expect(await repositories().chats.list({ siteId: chat.siteId, states: ['missed'] })).toMatchObject([
        { id: chat.id },
      ]);
    });
  });

  describe('reopening a chat (UC)', () => {
    const minute = (minutes: number) => new Date(Date.UTC(2026, 0, 5, 10, minutes));
    const uc = (state: string) => [{ code: 'UC', text: `Chat unclosed. Old state was ${state}` }];
    async function endedChat(reason = 'OC') {
      const chat = await makeChat(repositories(), { channel: 'whatsapp' });
      await repositories().chatRouting.admit(chat.id, minute(0));
      await repositories().chats.close(chat.id, reason, minute(10), 'missed');
      return chat;
    }
    const reopen = (chat: { siteId: number; visitorKey: string }, since: Date) =>
      repositories().chats.reopenRecent(
        { siteId: chat.siteId, visitorKey: chat.visitorKey, channel: 'whatsapp', since },
        uc,
        minute(20),
      );

    it('reopens the latest chat ended since the window began: same chat, waiting, no routing bookkeeping, UC', async () => {
      const chat = await endedChat();
      expect(await reopen(chat, minute(11))).toBeNull();
      expect(await reopen(chat, minute(10))).toMatchObject({
        id: chat.id,
        state: 'waiting',
        operatorId: null,
        closedAt: null,
        closeReason: null,
      });
      expect(await repositories().chats.findOpenForVisitor(chat.siteId, chat.visitorKey)).toMatchObject({
        id: chat.id,
      });
      expect(
        (await repositories().chatRouting.routable()).find((found) => found.id === chat.id)?.routing,
      ).toBeNull();
      const events = await repositories().chatEvents.listByChat(chat.id);
      expect(events.map((event) => [event.code, event.text])).toEqual([
        ['UC', 'Chat unclosed. Old state was missed'],
      ]);
    });

    it('reopens once when two messages race, and not when a newer chat of the visitor is open', async () => {
      const chat = await endedChat();
      const results = await Promise.all([reopen(chat, minute(0)), reopen(chat, minute(0))]);
      expect(results.filter((result) => result !== null)).toHaveLength(1);
      const other = await endedChat();
      const opened = await repositories().chats.open({
        siteId: other.siteId,
        channel: 'whatsapp',
        visitorKey: other.visitorKey,
      });
      expect(opened.outcome).toBe('created');
      // The new chat is the latest: the ended one is not reopened beside it.
      expect(await reopen(other, minute(0))).toBeNull();
    });

    it('leaves a chat ended by a block or a text rule closed', async () => {
      for (const reason of ['BX', 'TR']) expect(await reopen(await endedChat(reason), minute(0))).toBeNull();
    });
  });

  describe('chat lines', () => {
    it('numbers lines 1, 2, 3 and lists what came after a sequence', async () => {
      const chat = await makeChat(repositories());
      for (const text of ['one', 'two', 'three'])
        await repositories().chatLines.append(chat.id, { ...visitorLine, text });
      const since = await repositories().chatLines.listSince(chat.id, 1);
      expect(since.map(({ sequence, text }) => [sequence, text])).toEqual([
        [2, 'two'],
        [3, 'three'],
      ]);
    });

    it('pages with a limit', async () => {
      const chat = await makeChat(repositories());
      for (let count = 0; count < 3; count += 1) await repositories().chatLines.append(chat.id, visitorLine);
      expect((await repositories().chatLines.listSince(chat.id, 0, 2)).map((line) => line.sequence)).toEqual([
        1, 2,
      ]);
    });

    it('refuses a line for a chat that does not exist', async () => {
      const missing = repositories().chatLines.append(2_000_000_000, visitorLine);
      await expect(missing).rejects.toEqual(
        expect.objectContaining({ code: PersistenceErrorCode.NotFound }) as PersistenceError,
      );
    });

    it('stores a provider message once: a retried webhook gets the first line back', async () => {
      const chat = await makeChat(repositories());
      const externalMessageId = uniqueName('wamid');
      const first = await repositories().chatLines.append(chat.id, { ...visitorLine, externalMessageId });
      expect(await repositories().chatLines.append(chat.id, { ...visitorLine, externalMessageId })).toEqual(
        first,
      );
      expect((await repositories().chats.findById(chat.id))?.lastLineSeq).toBe(1);
    });

    it('refuses (nothing stored) a line whose condition fails: chat ended, or not this operator', async () => {
      const chat = await makeChat(repositories());
      const [holder, other] = [await makeOperator(repositories()), await makeOperator(repositories())];
      expect((await repositories().chats.assignOnce(chat.id, holder.id)).assigned).toBe(true);
      const appendAs = (operatorId: number) =>
        repositories().chatLines.append(
          chat.id,
          { ...visitorLine, senderKind: 'operator', operatorId },
          undefined,
          {
            open: true,
            operatorId,
          },
        );
      const refused = expect.objectContaining({ code: PersistenceErrorCode.Refused }) as PersistenceError;
      await expect(appendAs(other.id)).rejects.toEqual(refused);
      expect((await appendAs(holder.id)).sequence).toBe(1);
      await repositories().chats.close(chat.id, 'OC');
      await expect(appendAs(holder.id)).rejects.toEqual(refused);
      await expect(
        repositories().chatLines.append(chat.id, visitorLine, undefined, { open: true }),
      ).rejects.toEqual(refused);
      expect((await repositories().chatLines.listSince(chat.id, 0)).map((line) => line.sequence)).toEqual([
        1,
      ]);
      expect((await repositories().chats.findById(chat.id))?.lastLineSeq).toBe(1);
    });

    it('numbers concurrent lines of many chats per chat, and stores a resend among them once', async () => {
      const chats = await Promise.all([1, 2, 3, 4].map(() => makeChat(repositories())));
      const resent = uniqueName('resent');
      const appends = chats.flatMap((chat, chatIndex) =>
        [1, 2, 3, 4, 5].map((index) =>
          repositories().chatLines.append(chat.id, {
            ...visitorLine,
            text: `${chatIndex}/${index}`,
            externalMessageId: chatIndex === 0 && index >= 4 ? resent : uniqueName('line'),
          }),
        ),
      );
      const stored = await Promise.all(appends);
      expect(stored[3]).toEqual(stored[4]);
      for (const chat of chats) {
        const lines = await repositories().chatLines.listSince(chat.id, 0);
        const expected = chat.id === chats[0].id ? [1, 2, 3, 4] : [1, 2, 3, 4, 5];
        expect(lines.map((line) => line.sequence)).toEqual(expected);
        expect((await repositories().chats.findById(chat.id))?.lastLineSeq).toBe(expected.length);
        for (const line of lines) expect(stored.find((copy) => copy.id === line.id)).toEqual(line);
      }
    });

    it('refuses only the lines whose condition fails among concurrent ones, numbering the rest', async () => {
      const [open, closed] = [await makeChat(repositories()), await makeChat(repositories())];
      const holder = await makeOperator(repositories());
      await repositories().chats.assignOnce(open.id, holder.id);
      await repositories().chats.close(closed.id, 'VC');
      const attempts = [1, 2, 3, 4, 5, 6].flatMap((index) => [
        repositories().chatLines.append(open.id, { ...visitorLine, text: `v${index}` }, undefined, {
          open: true,
        }),
        repositories().chatLines.append(open.id, visitorLine, undefined, {
          open: true,
          operatorId: holder.id + 1,
        }),
        repositories().chatLines.append(closed.id, visitorLine, undefined, { open: true }),
      ]);
      const outcomes = await Promise.allSettled(attempts);
      expect(outcomes.map((outcome) => outcome.status)).toEqual(
        [1, 2, 3, 4, 5, 6].flatMap(() => ['fulfilled', 'rejected', 'rejected']),
      );
      const lines = await repositories().chatLines.listSince(open.id, 0);
      expect(lines.map(({ sequence, text }) => [sequence, text])).toEqual(
        [1, 2, 3, 4, 5, 6].map((index) => [index, `v${index}`]),
      );
      expect(await repositories().chatLines.listSince(closed.id, 0)).toEqual([]);
      expect((await repositories().chats.findById(closed.id))?.lastLineSeq).toBe(0);
    });

    it('records a delivery state by provider message id', async () => {
      const chat = await makeChat(repositories());
      const externalMessageId = uniqueName('wamid');
      await repositories().chatLines.append(chat.id, {
        ...visitorLine,
        senderKind: 'operator',
        externalMessageId,
      });
      await repositories().chatLines.setDeliveryState(externalMessageId, 'delivered');
      expect((await repositories().chatLines.findByExternalMessageId(externalMessageId))?.deliveryState).toBe(
        'delivered',
      );
    });
  });

  describe('transcript retention and job leases', () => {
    it('purges chats that ended before the cutoff a batch at a time, with their lines and events; keeps the rest', async () => {
      const cutoff = new Date('2026-02-01T00:00:00.000Z');
      const old = [
        await makeChat(repositories()),
        await makeChat(repositories()),
        await makeChat(repositories()),
      ];
      for (const chat of old) {
        await repositories().chatLines.append(chat.id, visitorLine);
        await repositories().chats.close(chat.id, 'VC', new Date('2026-01-10T00:00:00.000Z'), 'missed', [
          { code: 'VC', text: 'Visitor Closed Session' },
        ]);
      }
      const recent = await makeChat(repositories());
      await repositories().chats.close(recent.id, 'VC', new Date('2026-02-02T00:00:00.000Z'));
      const open = await makeChat(repositories());
      let purged = 0;
      for (let batch = await repositories().chatRetention.purgeBatch(cutoff, 2); batch > 0;) {
        expect(batch).toBeLessThanOrEqual(2);
        purged += batch;
        batch = await repositories().chatRetention.purgeBatch(cutoff, 2);
      }
      expect(purged).toBeGreaterThanOrEqual(3);
      for (const chat of old) {
        expect(await repositories().chats.findById(chat.id)).toBeNull();
        expect(await repositories().chatLines.listSince(chat.id, 0)).toEqual([]);
        expect(await repositories().chatEvents.listByChat(chat.id)).toEqual([]);
      }
      expect(await repositories().chats.findById(recent.id)).not.toBeNull();
      expect(await repositories().chats.findById(open.id)).not.toBeNull();
    });

    it('hands a job lease to one holder at a time, again to anyone once it expired', async () => {
      const name = uniqueName('job');
      const now = new Date('2026-03-01T10:00:00.000Z');
      const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
      expect(await repositories().jobLeases.acquire(name, 'node-a', 60_000, now)).toBe(true);
      expect(await repositories().jobLeases.acquire(name, 'node-b', 60_000, later(30))).toBe(false);
      expect(await repositories().jobLeases.acquire(name, 'node-a', 60_000, later(30))).toBe(true);
      expect(await repositories().jobLeases.acquire(name, 'node-b', 60_000, later(100))).toBe(true);
      expect(await repositories().jobLeases.acquire(name, 'node-a', 60_000, later(120))).toBe(false);
    });
  });

  describe('chat events and variables', () => {
    it('appends coded events and lists them in order', async () => {
      const chat = await makeChat(repositories());
      await repositories().chatEvents.append(chat.id, { code: 'CQ', text: 'Chat Queued' });
      await repositories().chatEvents.append(chat.id, { code: 'OP', text: 'Operator ann Picked up Session' });
      expect((await repositories().chatEvents.listByChat(chat.id)).map((event) => event.code)).toEqual([
        'CQ',
        'OP',
      ]);
    });

    it('stores the codes of a move with the move, and none when the move is refused', async () => {
      const chat = await makeChat(repositories());
      const [winner, loser] = [await makeOperator(repositories()), await makeOperator(repositories())];
      const picked = (operatorId: number) => [{ code: 'OP', text: 'picked', operatorId }];
      expect(
        (await repositories().chats.assignOnce(chat.id, winner.id, new Date(), picked(winner.id))).assigned,
      ).toBe(true);
      expect(
        (await repositories().chats.assignOnce(chat.id, loser.id, new Date(), picked(loser.id))).assigned,
      ).toBe(false);
      expect(
        await repositories().chats.unassign(chat.id, loser.id, new Date(), [{ code: 'OL', text: 'x' }]),
      ).toBe(false);
      await repositories().chats.close(chat.id, 'OC', new Date(), 'closed', [{ code: 'OC', text: 'closed' }]);
      await repositories().chats.close(chat.id, 'VC', new Date(), 'closed', [{ code: 'VC', text: 'again' }]);
      const events = await repositories().chatEvents.listByChat(chat.id);
      expect(events.map(({ code, operatorId }) => ({ code, operatorId }))).toEqual([
        { code: 'OP', operatorId: winner.id },
        { code: 'OC', operatorId: null },
      ]);
    });

    it('refuses an event code outside the glossary format', async () => {
      const chat = await makeChat(repositories());
      const invalid = repositories().chatEvents.append(chat.id, { code: 'op', text: 'lower case' });
      await expect(invalid).rejects.toEqual(
        expect.objectContaining({ code: PersistenceErrorCode.InvalidValue }) as PersistenceError,
      );
    });

    it('sets, overwrites and lists variables', async () => {
      const chat = await makeChat(repositories());
      await repositories().chatVariables.set(chat.id, 'email', 'a@example.test');
      await repositories().chatVariables.set(chat.id, 'email', 'b@example.test');
      await repositories().chatVariables.set(chat.id, 'plan', 'gold');
      expect(await repositories().chatVariables.listByChat(chat.id)).toEqual({
        email: 'b@example.test',
        plan: 'gold',
      });
    });
  });
}
