import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  ensureMysqlDatabase,
  migrate,
  type ChatRecord,
  type Repositories,
} from '@switchboard/persistence';
import { makeOperator, makeSite } from '@switchboard/persistence/testing';
import type { OutboundWebhookEvent } from '@switchboard/protocol';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { WebhookReceiver } from '../testing';
import type { WebhookDeliverySettings } from './delivery-plan';
import { OutboundWebhookWorker, type DeliveryOutcome } from './outbound-webhook-worker';
import { WebhookSender } from './webhook-sender';

// Outbound webhooks on MariaDB with a real local HTTP receiver: what the chat repositories write to
// the outbox in their transactions is posted signed, in order per chat, with stable event ids,
// survives the receiver being down, and two delivering nodes never post one event at the same time.
const url = `mysql://root@127.0.0.1:3306/switchboard_webhooks_${randomBytes(4).toString('hex')}`;
const secret = 'integration-webhook-secret-0001';
const fast: WebhookDeliverySettings = {
  timeoutMs: 2000,
  retryInitialMs: 100,
  retryMaxMs: 400,
  maxAgeMs: 60_000,
};

describe('outbound webhooks (MariaDB, real HTTP receiver)', () => {
  let dataSource: DataSource;
  let repositories: Repositories;
  let receiver: WebhookReceiver;
  const logs: string[] = [];
  const outcomes: DeliveryOutcome[] = [];

  beforeAll(async () => {
    await ensureMysqlDatabase(url);
    dataSource = createDataSource({ kind: 'mysql', url, poolSize: 10 });
    await dataSource.initialize();
    await migrate(dataSource, () => undefined);
    repositories = createRepositories(dataSource);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropMysqlDatabase(url);
  });

  beforeEach(async () => {
    receiver = new WebhookReceiver(secret);
    await receiver.start();
    logs.length = 0;
    outcomes.length = 0;
  });

  afterEach(() => receiver.stop());

  function worker(nodeId: string, settings = fast): OutboundWebhookWorker {
    return new OutboundWebhookWorker({
      outbox: repositories.webhookOutbox,
      endpoints: repositories.outboundWebhooks,
      sender: new WebhookSender(),
      nodeId,
      settings: () => settings,
      closeChat: async (chatId) => {
        await repositories.chats.close(chatId, 'SC', new Date(), 'closed', [{ code: 'SC', text: 'x' }]);
      },
      onOutcome: (outcome) => outcomes.push(outcome),
      log: (message) => logs.push(message),
    });
  }

  /** A site with an endpoint pointing at the receiver. */
  async function siteWithWebhook() {
    const site = await makeSite(repositories);
    await repositories.outboundWebhooks.create({ siteId: site.id, url: receiver.url, secret });
    return site;
  }

  /** A chat with `lines` visitor lines, taken by an agent and closed by them. */
  async function fullChat(siteId: number, lines: number): Promise<ChatRecord> {
    const { chat } = await repositories.chats.open({
      siteId,
      channel: 'web',
      visitorKey: randomBytes(6).toString('hex'),
      visitorName: 'Vera',
    });
    const agent = await makeOperator(repositories, { maxChats: 5 });
    for (let line = 1; line <= lines; line += 1)
      await repositories.chatLines.append(chat.id, {
        senderKind: 'visitor',
        senderName: 'Vera',
        text: `line ${line}`,
      });
    await repositories.chats.assignOnce(chat.id, agent.id);
    await repositories.chats.close(chat.id, 'OC');
    return chat;
  }

  /** Runs `workers` concurrently, each pass after pass, until `done` holds (or fails after 20 s). */
  async function runUntil(workers: OutboundWebhookWorker[], done: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 20_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error('the outbox was not delivered in time');
      await Promise.all(workers.map((each) => each.runOnce()));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  const pendingOf = async (chats: readonly ChatRecord[]) => {
    const rows = (
      await Promise.all(chats.map((chat) => repositories.webhookOutbox.listByChat(chat.id)))
    ).flat();
    return rows.filter((row) => row.state === 'pending').length;
  };

  /** What the receiver got for one chat, in arrival order, as `type` or `line <sequence>`. */
  const arrivedFor = (chat: ChatRecord): string[] =>
    receiver.received
      .filter((request) => request.event.chat.uid === chat.chatUid)
      .map(({ event }) =>
        event.type === 'chat.line'
          ? `line ${(event as OutboundWebhookEvent<'chat.line'>).data.sequence}`
          : event.type,
      );

  it('posts every event of a chat, signed, in the order it happened, its id in the headers', async () => {
    const site = await siteWithWebhook();
    const chats = [await fullChat(site.id, 3), await fullChat(site.id, 2)];
    expect(await pendingOf(chats)).toBe(2 * 3 + 3 + 2);
    await runUntil([worker('node-a')], async () => (await pendingOf(chats)) === 0);
    expect(arrivedFor(chats[0])).toEqual([
      'chat.started',
      'line 1',
      'line 2',
      'line 3',
      'chat.assigned',
      'chat.closed',
    ]);
    expect(arrivedFor(chats[1])).toEqual([
      'chat.started',
      'line 1',
      'line 2',
      'chat.assigned',
      'chat.closed',
    ]);
    for (const request of receiver.received) {
      expect(request.signatureValid).toBe(true);
      expect(request.eventIdHeader).toBe(request.event.id);
      expect(request.idempotencyKey).toBe(request.event.id);
    }
    const closed = receiver.received.find(
      ({ event }) => event.type === 'chat.closed' && event.chat.uid === chats[0].chatUid,
    )!.event as OutboundWebhookEvent<'chat.closed'>;
    expect(closed).toMatchObject({ siteKey: site.siteKey, data: { state: 'closed', code: 'OC' } });
    expect(new Set(receiver.received.map(({ event }) => event.id)).size).toBe(receiver.received.length);
  });

  it('keeps the event id across retries, and delivers what waited once the receiver is back, still in order', async () => {
    const site = await siteWithWebhook();
    // The first attempt of the chat's first line is refused with a 503.
    receiver.plan = (event, attempt) =>
      event.type === 'chat.line' &&
      (event as OutboundWebhookEvent<'chat.line'>).data.sequence === 1 &&
      attempt === 1
        ? { status: 503 }
        : { status: 204 };
    const first = await fullChat(site.id, 2);
    await runUntil([worker('node-a')], async () => (await pendingOf([first])) === 0);
    const [refusedLine] = receiver.received.filter(({ event }) => event.type === 'chat.line');
    const attempts = receiver.attemptsOf(refusedLine.event.id);
    expect(attempts).toHaveLength(2);
    expect(attempts.map((request) => request.idempotencyKey)).toEqual([
      refusedLine.event.id,
      refusedLine.event.id,
    ]);
    expect(arrivedFor(first)).toEqual([
      'chat.started',
      'line 1',
      'line 1',
      'line 2',
      'chat.assigned',
      'chat.closed',
    ]);

    receiver.plan = () => ({ status: 204 });
    await receiver.stop();
    const second = await fullChat(site.id, 3);
    const node = worker('node-a');
    for (let pass = 0; pass < 5; pass += 1) {
      await node.runOnce();
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    const waiting = await repositories.webhookOutbox.listByChat(second.id);
    expect(waiting.every((row) => row.state === 'pending')).toBe(true);
    expect(waiting[0]).toMatchObject({ lastError: 'connection failed (ECONNREFUSED)' });
    expect(waiting[0].attempts).toBeGreaterThan(1);
    // The later events of the chat waited behind its first: none was tried.
    expect(waiting.slice(1).every((row) => row.attempts === 0)).toBe(true);
    await receiver.start();
    await runUntil([node], async () => (await pendingOf([second])) === 0);
    expect(arrivedFor(second)).toEqual([
      'chat.started',
      'line 1',
      'line 2',
      'line 3',
      'chat.assigned',
      'chat.closed',
    ]);
    expect(outcomes).toContain('retry');
    // Neither the secret nor any signature reaches a log line (nor the URL's query).
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) {
      expect(line).not.toContain(secret);
      expect(line).not.toContain('tenant=test');
      for (const request of receiver.received) expect(line).not.toContain(request.signature.split('v1=')[1]);
    }
  });

  it('two nodes deliver every event once, never the same one at the same time, each chat in order', async () => {
    const site = await siteWithWebhook();
    receiver.plan = () => ({ status: 200, body: '{}', delayMs: 15 });
    const chats = await Promise.all(Array.from({ length: 8 }, () => fullChat(site.id, 4)));
    await runUntil([worker('node-a'), worker('node-b')], async () => (await pendingOf(chats)) === 0);
    const ids = receiver.received.map(({ event }) => event.id);
    expect(ids).toHaveLength(8 * 7);
    expect(new Set(ids).size).toBe(ids.length);
    expect(receiver.received.filter((request) => request.overlappedChat)).toEqual([]);
    for (const chat of chats)
      expect(arrivedFor(chat)).toEqual([
        'chat.started',
        'line 1',
        'line 2',
        'line 3',
        'line 4',
        'chat.assigned',
        'chat.closed',
      ]);
  });

  it('gives an event up (dead) past the maximum age, then goes on with the chat; a close answer closes it (SC)', async () => {
    const site = await siteWithWebhook();
    const { chat } = await repositories.chats.open({
      siteId: site.id,
      channel: 'web',
      visitorKey: 'dead-then-close',
    });
    await repositories.chatLines.append(chat.id, { senderKind: 'visitor', senderName: 'V', text: 'stop' });
    receiver.plan = (event) =>
      event.type === 'chat.started'
        ? { status: 500 }
        : { status: 200, body: JSON.stringify({ action: 'close', message: 'Bye' }) };
    await runUntil([worker('node-a', { ...fast, maxAgeMs: 1 })], async () => (await pendingOf([chat])) === 0);
    const rows = await repositories.webhookOutbox.listByChat(chat.id);
    expect(rows.map((row) => [row.eventType, row.state])).toEqual([
      ['chat.started', 'dead'],
      ['chat.line', 'delivered'],
      ['chat.closed', 'delivered'],
    ]);
    expect(rows[0]).toMatchObject({ attempts: 1, lastError: 'HTTP 500' });
    expect(outcomes).toContain('dead');
    const webhookIds = (await repositories.outboundWebhooks.list({ siteId: site.id })).map(
      (webhook) => webhook.id,
    );
    expect(await repositories.webhookOutbox.list({ webhookIds, state: 'dead' })).toEqual([
      expect.objectContaining({ eventType: 'chat.started', chatId: chat.id }),
    ]);
    expect((await repositories.chats.findById(chat.id))!.closeReason).toBe('SC');
    expect((await repositories.chatEvents.listByChat(chat.id)).map((event) => event.code)).toEqual(['SC']);
  });
});
