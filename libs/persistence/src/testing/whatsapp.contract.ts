import type { ContextProvider } from './contract-context';
import { makeChat, makeOperator, makeSite, uniqueName } from './factories';

const lease = 30_000;
let numberSeed = 0;
/** A valid E.164 number no other test of this run has used. */
const uniqueNumber = () => `49${Date.now() % 1_000_000_000}${(numberSeed += 1) % 10}`.slice(0, 15);

/** What the WhatsApp connector relies on: the inbox stores a key once, leases decide who works, statuses only move forward. */
export function whatsappContract(context: ContextProvider): void {
  /** An agent's line of a new WhatsApp chat, queued, claimed and being sent since `now`. */
  async function sendingLine(now: Date) {
    const { chatLines, whatsappLines } = context().repositories;
    const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
    const line = await chatLines.append(chat.id, { senderKind: 'operator', senderName: 'Agent', text: 'x' });
    await whatsappLines.enqueueOutbound(line.id, chat.id);
    await whatsappLines.claimNextForSending(chat.id, lease, now);
    await whatsappLines.markSending(line.id, now);
    return { chat, line };
  }

  describe('whatsapp connector storage', () => {
    it('stores a webhook once per dedupe key, even under concurrent retries', async () => {
      const { webhookInbox } = context().repositories;
      const dedupeKey = uniqueName('mo:');
      const results = await Promise.all(
        Array.from({ length: 8 }, () => webhookInbox.store({ kind: 'incoming', dedupeKey, rawBody: '{}' })),
      );
      expect(results.filter((result) => result.outcome === 'stored')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'duplicate')).toHaveLength(7);
    });

    it('stores a batch in one go, each key once across concurrent batches, the new rows leased to their batch', async () => {
      const { webhookInbox } = context().repositories;
      const keys = Array.from({ length: 6 }, () => uniqueName('mo:'));
      const batch = (token: string, order: string[]) =>
        webhookInbox.storeBatch(
          order.map((dedupeKey) => ({ kind: 'incoming' as const, dedupeKey, rawBody: '{}' })),
          { claimedBy: token, claimedUntil: new Date(Date.now() + lease) },
        );
      const [first, second] = await Promise.all([
        batch('node-a#1', [keys[0], keys[1], keys[2], keys[0]]),
        batch('node-b#1', [keys[2], keys[3], keys[4], keys[5]]),
      ]);
      expect(first[3]).toEqual({ outcome: 'duplicate' });
      const stored = [...first, ...second].filter((answer) => answer.outcome === 'stored');
      expect(
        stored.map((answer) => (answer.outcome === 'stored' ? answer.row.dedupeKey : '')).sort(),
      ).toEqual([...keys].sort());
      for (const answer of second)
        if (answer.outcome === 'stored')
          expect(answer.row).toMatchObject({ claimedBy: 'node-b#1', attempts: 1, processedAt: null });
      expect(await batch('node-a#2', [keys[1]])).toEqual([{ outcome: 'duplicate' }]);
    });

    it('lets one node claim a row; a lapsed lease is taken over; processed rows are never claimed', async () => {
      const { webhookInbox } = context().repositories;
      const stored = await webhookInbox.store({
        kind: 'delivery',
        dedupeKey: uniqueName('status:'),
        rawBody: '{}',
      });
      if (stored.outcome !== 'stored') throw new Error('expected a stored row');
      const now = new Date();
      const claims = await Promise.all([
        webhookInbox.claim(stored.id, 'node-a', lease, now),
        webhookInbox.claim(stored.id, 'node-b', lease, now),
      ]);
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
      const later = new Date(now.getTime() + lease + 1);
      expect(await webhookInbox.claim(stored.id, 'node-c', lease, later)).toMatchObject({
        claimedBy: 'node-c',
        attempts: 2,
      });
      await webhookInbox.markProcessed(stored.id);
      expect(
        await webhookInbox.claim(stored.id, 'node-d', lease, new Date(later.getTime() + 2 * lease)),
      ).toBeNull();
    });

    it('moves a row to the dead letters with its reason, in one step', async () => {
      const { webhookInbox } = context().repositories;
      const rawBody = JSON.stringify({ marker: uniqueName('body') });
      const stored = await webhookInbox.store({ kind: 'incoming', dedupeKey: uniqueName('mo:'), rawBody });
      if (stored.outcome !== 'stored') throw new Error('expected a stored row');
      await webhookInbox.moveToDeadLetters(stored.id, 'unknown receiving number 4912');
      expect((await webhookInbox.findById(stored.id))?.processedAt).not.toBeNull();
      expect(
        (await webhookInbox.listDeadLetters(500)).find((letter) => letter.rawBody === rawBody),
      ).toMatchObject({
        kind: 'incoming',
        reason: 'unknown receiving number 4912',
      });
    });

    it('keeps one connector per phone number, validates E.164 and keeps the API key encrypted', async () => {
      const { chatConnectors } = context().repositories;
      const site = await makeSite(context().repositories);
      const phoneNumber = uniqueNumber();
      const apiKey = uniqueName('tyntec-key');
      const created = await chatConnectors.create({
        siteId: site.id,
        phoneNumber: `+${phoneNumber}`,
        apiKey,
        language: 'de',
      });
      expect(created).toMatchObject({
        phoneNumber,
        apiKeyHint: apiKey.slice(-4),
        enabled: true,
        channel: 'whatsapp',
      });
      expect(JSON.stringify(created)).not.toContain(apiKey);
      const [stored] = await context().dataSource.query<Array<{ api_key_ciphertext: string }>>(
        'SELECT api_key_ciphertext FROM chat_connectors WHERE id = ?',
        [created.id],
      );
      expect(stored.api_key_ciphertext).not.toContain(apiKey.slice(0, 12));
      expect(await chatConnectors.revealApiKey(created.id)).toBe(apiKey);
      expect((await chatConnectors.findByPhoneNumber(`+${phoneNumber}`))?.id).toBe(created.id);
      await expect(
        chatConnectors.create({ siteId: site.id, phoneNumber, apiKey, language: 'en' }),
      ).rejects.toThrow('already belongs');
      await expect(
        chatConnectors.create({ siteId: site.id, phoneNumber: '0123', apiKey, language: 'en' }),
      ).rejects.toThrow('not E.164');
      await expect(
        chatConnectors.create({
          siteId: site.id,
          phoneNumber: uniqueNumber(),
          apiKey: 'short',
          language: 'en',
        }),
      ).rejects.toThrow('too short');
      expect(
        await chatConnectors.update(created.id, {
          enabled: false,
          language: 'en',
          apiKey: 'another-key-5678',
        }),
      ).toMatchObject({
        enabled: false,
        language: 'en',
        apiKeyHint: '5678',
      });
      expect(await chatConnectors.revealApiKey(created.id)).toBe('another-key-5678');
    });

    it('sends a queued line once: one lease at a time, ended lines never claimed again', async () => {
      const { chatLines, whatsappLines } = context().repositories;
      const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
      const operator = await makeOperator(context().repositories);
      const line = await chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text: 'hello',
        operatorId: operator.id,
      });
      expect(await whatsappLines.listUnqueuedOperatorLines(new Date(0), 10_000)).toContainEqual({
        lineId: line.id,
        chatId: chat.id,
      });
      const queued = await Promise.all([
        whatsappLines.enqueueOutbound(line.id, chat.id),
        whatsappLines.enqueueOutbound(line.id, chat.id),
      ]);
      expect(queued[0].id).toBe(queued[1].id);
      const now = new Date();
      const claims = await Promise.all([
        whatsappLines.claimNextForSending(chat.id, lease, now),
        whatsappLines.claimNextForSending(chat.id, lease, now),
      ]);
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
      expect((await whatsappLines.listDue(now, 10_000)).map((due) => due.lineId)).not.toContain(line.id);
      const tyntecMessageId = uniqueName('tyntec');
      await whatsappLines.markSent(line.id, tyntecMessageId);
      expect(
        await whatsappLines.claimNextForSending(chat.id, lease, new Date(now.getTime() + 2 * lease)),
      ).toBeNull();
      expect(await whatsappLines.findByLineId(line.id)).toMatchObject({ sendState: 'sent', tyntecMessageId });
    });

    it("hands out a chat's lines in order: the next only once the one before it has ended", async () => {
      const { chatLines, whatsappLines } = context().repositories;
      const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
      const lines = [];
      for (const text of ['first', 'second']) {
        const line = await chatLines.append(chat.id, { senderKind: 'operator', senderName: 'Agent', text });
        lines.push(line);
      }
      await whatsappLines.enqueueOutbound(lines[1].id, chat.id);
      await whatsappLines.enqueueOutbound(lines[0].id, chat.id);
      const now = new Date();
      expect((await whatsappLines.claimNextForSending(chat.id, lease, now))?.lineId).toBe(lines[0].id);
      expect(await whatsappLines.claimNextForSending(chat.id, lease, now)).toBeNull();
      await whatsappLines.markNotSent(lines[0].id, 'refused', 'outside the window');
      expect((await whatsappLines.claimNextForSending(chat.id, lease, now))?.lineId).toBe(lines[1].id);
    });

    it('holds the next line while one is sending; an ambiguous send is unknown, never claimed again, settled once by its userContext', async () => {
      const { chatLines, whatsappLines } = context().repositories;
      const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
      const lines = [];
      for (const text of ['maybe sent', 'next']) {
        const line = await chatLines.append(chat.id, { senderKind: 'operator', senderName: 'Agent', text });
        await whatsappLines.enqueueOutbound(line.id, chat.id);
        lines.push(line);
      }
      const now = new Date();
      expect((await whatsappLines.claimNextForSending(chat.id, lease, now))?.lineId).toBe(lines[0].id);
      expect(await whatsappLines.markSending(lines[0].id, now)).toBe(true);
      expect(await whatsappLines.markSending(lines[0].id, now)).toBe(false);
      // Sending, even with its lease lapsed: the next line waits (the chat's order is kept).
      const later = new Date(now.getTime() + 2 * lease);
      expect(await whatsappLines.claimNextForSending(chat.id, lease, later)).toBeNull();
      expect(await whatsappLines.markUnknown(lines[0].id, 'timed out', now)).toBe(true);
      expect(await whatsappLines.markUnknown(lines[0].id, 'timed out', now)).toBe(false);
      expect(await whatsappLines.markNotSent(lines[0].id, 'failed', 'too late')).toBe(false);
      expect((await whatsappLines.listDue(later, 10_000)).map((due) => due.lineId)).not.toContain(
        lines[0].id,
      );
      expect((await whatsappLines.claimNextForSending(chat.id, lease, later))?.lineId).toBe(lines[1].id);
      const tyntecMessageId = uniqueName('tyntec');
      const settled = await Promise.all([
        whatsappLines.settleByUserContext(chat.chatUid, lines[0].sequence, tyntecMessageId),
        whatsappLines.settleByUserContext(chat.chatUid, lines[0].sequence, tyntecMessageId),
      ]);
      expect(settled.filter((one) => one !== null)).toEqual([{ lineId: lines[0].id, from: 'unknown' }]);
      expect(await whatsappLines.findByLineId(lines[0].id)).toMatchObject({
        sendState: 'sent',
        tyntecMessageId,
        claimedUntil: null,
      });
      expect(await whatsappLines.applyStatus(tyntecMessageId, 'delivered')).toMatchObject({ changed: true });
      expect(
        await whatsappLines.settleByUserContext(chat.chatUid, lines[0].sequence, uniqueName('x')),
      ).toBeNull();
      expect(await whatsappLines.settleByUserContext(chat.chatUid, 999, uniqueName('x'))).toBeNull();
    });

    it('makes a line whose sender died while sending unknown once its lease lapsed, then unconfirmed; a late status still settles it', async () => {
      const { whatsappLines } = context().repositories;
      const now = new Date();
      const { chat, line } = await sendingLine(now);
      const ids = (rows: { lineId: number }[]) => rows.map((row) => row.lineId);
      expect(ids(await whatsappLines.listLapsedSending(now, 10_000))).not.toContain(line.id);
      expect(await whatsappLines.markUnknown(line.id, 'died', now, now)).toBe(false);
      const lapsed = new Date(now.getTime() + lease + 1);
      expect(ids(await whatsappLines.listLapsedSending(lapsed, 10_000))).toContain(line.id);
      expect(await whatsappLines.markUnknown(line.id, 'died', lapsed, lapsed)).toBe(true);
      expect(ids(await whatsappLines.listUnknownSince(lapsed, 10_000))).not.toContain(line.id);
      const window = new Date(lapsed.getTime() + 1000);
      expect(ids(await whatsappLines.listUnknownSince(window, 10_000))).toContain(line.id);
      expect(await whatsappLines.markUnconfirmed(line.id, 'no status', window)).toBe(true);
      expect(await whatsappLines.markUnconfirmed(line.id, 'no status', window)).toBe(false);
      expect(await whatsappLines.findByLineId(line.id)).toMatchObject({
        sendState: 'unconfirmed',
        lastError: 'no status',
      });
      const tyntecMessageId = uniqueName('tyntec');
      expect(await whatsappLines.settleByUserContext(chat.chatUid, line.sequence, tyntecMessageId)).toEqual({
        lineId: line.id,
        from: 'unconfirmed',
      });
    });

    it('gives a line that failed before reaching TynTec back as pending, due at its retry time', async () => {
      const { whatsappLines } = context().repositories;
      const now = new Date();
      const { chat, line } = await sendingLine(now);
      const retryAt = new Date(now.getTime() + 4000);
      await whatsappLines.postpone(line.id, 'connection refused', retryAt);
      expect(await whatsappLines.findByLineId(line.id)).toMatchObject({ sendState: 'pending', attempts: 1 });
      expect(await whatsappLines.claimNextForSending(chat.id, lease, now)).toBeNull();
      expect(
        await whatsappLines.claimNextForSending(chat.id, lease, new Date(retryAt.getTime() + 1)),
      ).toMatchObject({
        lineId: line.id,
        attempts: 2,
      });
    });

    it('never moves a delivery state backwards, whatever order statuses arrive in', async () => {
      const { chatLines, whatsappLines } = context().repositories;
      const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
      const line = await chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text: 'hi',
      });
      await whatsappLines.enqueueOutbound(line.id, chat.id);
      const tyntecMessageId = uniqueName('tyntec');
      await whatsappLines.markSent(line.id, tyntecMessageId);
      expect((await whatsappLines.applyStatus(tyntecMessageId, 'seen'))?.changed).toBe(true);
      expect((await whatsappLines.applyStatus(tyntecMessageId, 'accepted'))?.changed).toBe(false);
      expect((await whatsappLines.applyStatus(tyntecMessageId, 'delivered'))?.changed).toBe(false);
      expect((await whatsappLines.applyStatus(tyntecMessageId, 'failed'))?.changed).toBe(false);
      expect((await whatsappLines.findByLineId(line.id))?.deliveryState).toBe('seen');
      expect(await whatsappLines.applyStatus(uniqueName('nobody'), 'seen')).toBeNull();
    });

    it('marks a deleted inbound message, once per line', async () => {
      const { chatLines, whatsappLines } = context().repositories;
      const chat = await makeChat(context().repositories, { channel: 'whatsapp' });
      const messageId = uniqueName('wamid');
      const line = await chatLines.append(chat.id, {
        senderKind: 'visitor',
        senderName: 'Peter',
        text: 'oops',
      });
      const first = await whatsappLines.recordInbound(line.id, chat.id, messageId);
      expect((await whatsappLines.recordInbound(line.id, chat.id, messageId)).id).toBe(first.id);
      expect(await whatsappLines.applyStatus(messageId, 'deleted')).toMatchObject({
        changed: true,
        line: { deleted: true, deliveryState: 'deleted' },
      });
    });
  });
}
