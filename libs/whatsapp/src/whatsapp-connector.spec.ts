import { ChatLineEntity } from '@switchboard/persistence';
import type { ClusterEventOf } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { connectorEnvironment, pointTyntecAt, startConnectorNode, type ConnectorNode } from './testing';

const SECRET = 'spec-webhook-secret-0123456789';
const API_KEY = 'connector-spec-api-key';
const BUSINESS = '4930123456';
let customerSeed = 0;
const nextCustomer = () => `49176${String(100000 + (customerSeed += 1))}`;

const moMessage = (from: string, overrides: Record<string, unknown> = {}) => ({
  messageId: `wamid-${from}-${Math.random().toString(36).slice(2)}`,
  event: 'MoMessage',
  from,
  to: BUSINESS,
  timestamp: '2026-01-05T09:00:00',
  channel: 'whatsapp',
  content: { contentType: 'text', text: 'Hi, my order is late' },
  whatsapp: { senderName: 'Peter' },
  ...overrides,
});

describe('the WhatsApp connector (embedded node: SQLite, in-memory cluster, local TynTec)', () => {
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let dataDirectory: string;

  const post = (path: string, body: unknown, secret: string | null = SECRET) =>
    fetch(`${node.url}${path}${secret === null ? '' : `?secret=${encodeURIComponent(secret)}`}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  const linesOf = async (customer: string) => {
    const chat = (await node.repositories.chats.list({})).find(
      (candidate) => candidate.visitorKey === customer,
    );
    return chat ? node.repositories.chatLines.listSince(chat.id, 0) : [];
  };

  const deliveries = (chatUid: string) =>
    node.events
      .filter((event): event is ClusterEventOf<'chat.delivery'> => event.type === 'chat.delivery')
      .map((event) => event.delivery)
      .filter((delivery) => delivery.chatUid === chatUid);

  /** A customer's chat with one message in it, and an agent's reply published as messaging does. */
  async function chatWithReply(text: string) {
    const customer = nextCustomer();
    expect((await post('/incoming', moMessage(customer))).status).toBe(200);
    await node.idle();
    const chat = (await node.repositories.chats.list({})).find(
      (candidate) => candidate.visitorKey === customer,
    )!;
    const line = await node.agentLine(chat, text);
    return { customer, chat, line };
  }

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-whatsapp-'));
    fake = new FakeTyntec({ apiKey: API_KEY, allowHttpCallbacks: true, statusDelayMs: 5, retryDelayMs: 20 });
    const tyntec = await fake.start();
    node = await startConnectorNode(
      connectorEnvironment({ dataDirectory, secret: SECRET, tyntecUrl: tyntec }),
    );
    await node.addConnector({ phoneNumber: BUSINESS, apiKey: API_KEY });
    expect(await pointTyntecAt(tyntec, API_KEY, node, SECRET)).toBe(204);
  });

  afterAll(async () => {
    await fake.stop();
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe('webhook authentication', () => {
    it.each([null, 'wrong-secret-wrong-secret'])(
      'answers 401 to secret %j and stores nothing',
      async (secret) => {
        const before = await node.repositories.webhookInbox.countAll();
        const response = await post('/incoming', moMessage(nextCustomer()), secret);
        expect(response.status).toBe(401);
        expect(await node.repositories.webhookInbox.countAll()).toEqual(before);
      },
    );
  });

  describe('customer messages', () => {
    it('opens a WhatsApp chat named after the sender, appends the line and announces it to the ACD', async () => {
      const customer = nextCustomer();
      const response = await post('/incoming', moMessage(customer));
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ outcome: 'stored' });
      await node.idle();
      const chat = (await node.repositories.chats.list({})).find(
        (candidate) => candidate.visitorKey === customer,
      );
      expect(chat).toMatchObject({ channel: 'whatsapp', visitorName: 'Peter', state: 'waiting' });
      expect(await linesOf(customer)).toMatchObject([
        { sequence: 1, senderKind: 'visitor', senderName: 'Peter', text: 'Hi, my order is late' },
      ]);
      const queued = node.events.find(
        (event) => event.type === 'queue.added' && event.chat.chatUid === chat!.chatUid,
      );
      expect(queued).toMatchObject({ chat: { channel: 'whatsapp', visitorName: 'Peter', lastSequence: 1 } });
      const published = node.events.find(
        (event) => event.type === 'chat.line' && event.line.chatUid === chat!.chatUid,
      );
      expect(published).toMatchObject({
        line: { sequence: 1, sender: 'visitor', senderName: 'Peter', clientMessageId: null },
      });
    });

    it('continues the open chat with the next message, replies included', async () => {
      const customer = nextCustomer();
      const first = moMessage(customer);
      await post('/incoming', first);
      await post(
        '/incoming',
        moMessage(customer, {
          context: { messageId: first.messageId },
          content: { contentType: 'location', location: { latitude: 52.52, longitude: 13.4 } },
        }),
      );
      await post(
        '/incoming',
        moMessage(customer, {
          event: 'MoMessage::PostBack',
          content: undefined,
          postback: { data: 'yes' },
          whatsapp: { text: 'Yes' },
        }),
      );
      await post(
        '/incoming',
        moMessage(customer, {
          event: 'MoMessage::Order',
          content: undefined,
          order: { items: [{ productId: 'sku-1', quantity: '2', itemPrice: '9.50', currency: 'EUR' }] },
        }),
      );
      await node.idle();
      expect((await linesOf(customer)).map((line) => line.text)).toEqual([
        'Hi, my order is late',
        '[location] 52.52, 13.4',
        '[button] Yes',
        '[order] 2 × sku-1 à 9.50 EUR',
      ]);
      expect(
        (await node.repositories.chats.list({})).filter((chat) => chat.visitorKey === customer),
      ).toHaveLength(1);
    });

    it('stores a message replayed three times (also concurrently) as one line', async () => {
      const customer = nextCustomer();
      const message = moMessage(customer);
      const answers = await Promise.all([
        post('/incoming', message),
        post('/incoming', message),
        post('/incoming', message),
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
      const outcomes = await Promise.all(
        answers.map((answer) => answer.json() as Promise<{ outcome: string }>),
      );
      expect(outcomes.map((outcome) => outcome.outcome).sort()).toEqual(['duplicate', 'duplicate', 'stored']);
      await node.idle();
      expect(await linesOf(customer)).toHaveLength(1);
    });

    it('processes what a node accepted but never processed (killed after answering) on the next sweep', async () => {
      const customer = nextCustomer();
      const message = moMessage(customer);
      await node.repositories.webhookInbox.store({
        kind: 'incoming',
        dedupeKey: `mo:${message.messageId}`,
        rawBody: JSON.stringify(message),
      });
      await node.sweep();
      expect(await linesOf(customer)).toHaveLength(1);
    });

    it('fetches an image from TynTec, stores it under DATADIR and links it for the agent', async () => {
      const customer = nextCustomer();
      fake.media.set('media-1', { contentType: 'image/png', data: Buffer.from('the picture') });
      await post(
        '/incoming',
        moMessage(customer, {
          content: {
            contentType: 'media',
            media: { type: 'image', mediaId: 'media-1', caption: 'my parcel' },
          },
        }),
      );
      await node.idle();
      const [line] = await linesOf(customer);
      const link = /http:\/\/agents\.test(\/whatsapp\/media\/[a-f0-9]{32}\.png)$/.exec(line.text);
      expect(line.text).toMatch(/^\[image\] my parcel /);
      const served = await fetch(`${node.url}${link![1]}`);
      expect(served.status).toBe(200);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect(await served.text()).toBe('the picture');
      expect((await fetch(`${node.url}/whatsapp/media/..%2F..%2Fswitchboard.db`)).status).toBe(404);
    });

    it('keeps a line with the reason when TynTec has no such medium', async () => {
      const customer = nextCustomer();
      await post(
        '/incoming',
        moMessage(customer, {
          content: { contentType: 'media', media: { type: 'document', mediaId: 'gone' } },
        }),
      );
      await node.idle();
      expect((await linesOf(customer))[0].text).toMatch(
        /^\[document\] \(not downloaded: TynTec answered 404/,
      );
    });
  });

  describe('bad input', () => {
    const deadLetterFor = async (marker: string) =>
      (await node.repositories.webhookInbox.listDeadLetters(1000)).find((letter) =>
        letter.rawBody.includes(marker),
      );

    it.each([
      [
        'an unknown event',
        '/incoming',
        { event: 'MoMessage::Sticker', messageId: 'unknown-event-1', from: '491' },
        'unsupported',
      ],
      ['missing fields', '/incoming', { event: 'MoMessage', messageId: 'missing-fields-1' }, 'invalid'],
      [
        'a status without message id',
        '/delivery',
        { event: 'MessageStatus::seen', channel: 'whatsapp', marker: 'status-no-id-1' },
        'invalid',
      ],
    ])('answers 200 to %s and keeps it as a dead letter only', async (_label, path, body, reason) => {
      const before = await node.repositories.webhookInbox.countAll();
      const chatsBefore = (await node.repositories.chats.list({})).length;
      expect((await post(path, body)).status).toBe(200);
      const marker =
        JSON.stringify(body).match(/"(unknown-event-1|missing-fields-1|status-no-id-1)"/)?.[1] ?? '';
      expect((await deadLetterFor(marker))?.reason).toContain(reason);
      expect(await node.repositories.webhookInbox.countAll()).toEqual({
        inbox: before.inbox,
        deadLetters: before.deadLetters + 1,
      });
      expect(await node.repositories.chats.list({})).toHaveLength(chatsBefore);
    });

    it('dead-letters a message to a number no chat connector has, opening no chat', async () => {
      const customer = nextCustomer();
      const message = moMessage(customer, { to: '4940999999' });
      expect((await post('/incoming', message)).status).toBe(200);
      await node.idle();
      expect((await deadLetterFor(message.messageId))?.reason).toBe(
        'no chat connector has the number 4940999999',
      );
      expect(await linesOf(customer)).toEqual([]);
    });

    it('dead-letters a body over the limit and answers 200', async () => {
      const response = await post(
        '/incoming',
        JSON.stringify({
          marker: 'oversized-1',
          ...moMessage(nextCustomer(), { padding: 'x'.repeat(70_000) }),
        }),
      );
      expect(response.status).toBe(200);
      expect((await deadLetterFor('oversized-1'))?.reason).toContain('larger than the limit');
    });

    it('records group events and never fails on them', async () => {
      const response = await post('/delivery', {
        event: 'WhatsAppGroupEvent::userJoined',
        groupId: 'g-1',
        user: 'x',
      });
      expect(response.status).toBe(200);
      await node.idle();
      expect((await node.repositories.webhookInbox.countAll()).inbox).toBeGreaterThan(0);
    });
  });

  describe("agents' replies", () => {
    it('sends the reply to TynTec and moves its delivery state forward to seen, telling the agent', async () => {
      const { chat, line, customer } = await chatWithReply('Your parcel left today.');
      await node.until(
        'the reply to be seen',
        async () => (await node.repositories.whatsappLines.findByLineId(line.id))?.deliveryState === 'seen',
      );
      const sent = fake.sent.filter((message) => message.request.to === customer);
      expect(sent).toHaveLength(1);
      expect(sent[0].request.whatsapp).toMatchObject({
        from: BUSINESS,
        contentType: 'text',
        text: 'Your parcel left today.',
      });
      expect(sent[0].request.context?.userContext).toBe(`${chat.chatUid}#${line.sequence}`);
      expect(await node.repositories.whatsappLines.findByLineId(line.id)).toMatchObject({
        sendState: 'sent',
        tyntecMessageId: sent[0].messageId,
      });
      // A status can overtake the 202 answer: then it is retried, and states published once each, in rank order.
      expect(deliveries(chat.chatUid).map((delivery) => delivery.state)).toEqual(
        expect.arrayContaining(['seen']),
      );
      expect(deliveries(chat.chatUid).at(-1)?.state).toBe('seen');
    });

    it('keeps seen when statuses arrive duplicated and out of order', async () => {
      fake.misbehave({ outOfOrderStatuses: true, duplicateStatuses: true });
      try {
        const { chat, line } = await chatWithReply('Out of order');
        await node.until(
          'the reply to be seen',
          async () => (await node.repositories.whatsappLines.findByLineId(line.id))?.deliveryState === 'seen',
        );
        await fake.settled();
        await node.until(
          'every status to be processed',
          async () => (await node.repositories.webhookInbox.countUnprocessed()) === 0,
        );
        expect((await node.repositories.whatsappLines.findByLineId(line.id))?.deliveryState).toBe('seen');
        expect(deliveries(chat.chatUid).map((delivery) => delivery.state)).toEqual(['seen']);
      } finally {
        fake.misbehave({ outOfOrderStatuses: false, duplicateStatuses: false });
      }
    });

    it('sends once although two nodes would queue the same line (the lease decides)', async () => {
      const { line, customer } = await chatWithReply('Only once');
      await Promise.all([node.sweep(), node.sweep(), node.idle()]);
      await node.until(
        'the line to be sent',
        async () => (await node.repositories.whatsappLines.findByLineId(line.id))?.sendState === 'sent',
      );
      expect(fake.sent.filter((message) => message.request.to === customer)).toHaveLength(1);
      expect((await node.repositories.whatsappLines.findByLineId(line.id))?.attempts).toBe(1);
    });

    it('offers a stored medium to WhatsApp under a signed, expiring link of the public address', async () => {
      const customer = nextCustomer();
      fake.media.set('media-out', { contentType: 'image/jpeg', data: Buffer.from('jpeg bytes') });
      await post(
        '/incoming',
        moMessage(customer, {
          content: { contentType: 'media', media: { type: 'image', mediaId: 'media-out' } },
        }),
      );
      await node.idle();
      const [customerLine] = await linesOf(customer);
      const agentLink = customerLine.text.split(' ').at(-1)!;
      const chat = (await node.repositories.chats.list({})).find(
        (candidate) => candidate.visitorKey === customer,
      )!;
      const text = `/attach ${agentLink} Is this it?`;
      const line = await node.repositories.chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text,
      });
      await node.sweep();
      expect(await node.repositories.whatsappLines.findByLineId(line.id)).toMatchObject({
        sendState: 'sent',
      });
      const sent = fake.sent.find((message) => message.request.to === customer)!.request.whatsapp;
      expect(sent).toMatchObject({ contentType: 'media', media: { type: 'image', caption: 'Is this it?' } });
      const offered = new URL((sent as { media: { url: string } }).media.url);
      expect(offered.origin).toBe('https://public.test');
      expect(offered.pathname).toMatch(/^\/whatsapp\/outbound\/[a-f0-9]{32}\.jpg$/);
      const served = await fetch(`${node.url}${offered.pathname}${offered.search}`);
      expect(served.status).toBe(200);
      expect(await served.text()).toBe('jpeg bytes');
      offered.searchParams.set('expires', String(Number(offered.searchParams.get('expires')) + 1));
      expect((await fetch(`${node.url}${offered.pathname}${offered.search}`)).status).toBe(404);
      expect((await fetch(`${node.url}${offered.pathname}`)).status).toBe(404);
    });

    it("sends a chat's lines to TynTec in their order, even when they are heard at once", async () => {
      const customer = nextCustomer();
      await post('/incoming', moMessage(customer));
      await node.idle();
      const chat = (await node.repositories.chats.list({})).find(
        (candidate) => candidate.visitorKey === customer,
      )!;
      const texts = ['one', 'two', 'three', 'four'];
      // Stored one after the other (as an agent writes them), published at once: the events race.
      const lines = [];
      for (const text of texts)
        lines.push(
          await node.repositories.chatLines.append(chat.id, {
            senderKind: 'operator',
            senderName: 'Agent',
            text,
          }),
        );
      await Promise.all(lines.map((line) => node.publishLine(chat, line)));
      await node.until('every line to be sent', () =>
        Promise.resolve(
          fake.sent.filter((message) => message.request.to === customer).length === texts.length,
        ),
      );
      expect(
        fake.sent
          .filter((message) => message.request.to === customer)
          .map((message) => (message.request.whatsapp as { text: string }).text),
      ).toEqual(texts);
    });

    it('retries while TynTec answers 429, then sends', async () => {
      fake.misbehave({ failNextSends: 2, failStatus: 429 });
      const { line, customer } = await chatWithReply('After a hiccup');
      await node.until(
        'the line to be sent',
        async () => (await node.repositories.whatsappLines.findByLineId(line.id))?.sendState === 'sent',
      );
      expect(fake.sent.filter((message) => message.request.to === customer)).toHaveLength(1);
    });

    it('never resends a line TynTec answered 503 to: unknown for the agent, then unconfirmed when no status comes', async () => {
      fake.misbehave({ failNextSends: 1, failStatus: 503 });
      const { chat, line } = await chatWithReply('Maybe sent');
      await node.until(
        'the line to be unknown',
        async () => (await node.repositories.whatsappLines.findByLineId(line.id))?.sendState === 'unknown',
      );
      await node.sweep();
      await node.idle();
      expect((await node.repositories.whatsappLines.findByLineId(line.id))?.attempts).toBe(1);
      expect(deliveries(chat.chatUid)).toEqual([
        {
          chatUid: chat.chatUid,
          sequence: line.sequence,
          state: 'unknown',
          detail: expect.stringContaining('It is not sent again') as string,
        },
      ]);
    });

    it('refuses a free-form reply outside the 24-hour window and tells the agent what to do; a template goes', async () => {
      const customer = nextCustomer();
      const old = moMessage(customer);
      await post('/incoming', old);
      await node.idle();
      const chat = (await node.repositories.chats.list({})).find(
        (candidate) => candidate.visitorKey === customer,
      )!;
      await node.app
        .get(DataSource)
        .createQueryBuilder()
        .update(ChatLineEntity)
        .set({ createdAt: new Date(Date.now() - 25 * 3_600_000) })
        .where({ chatId: chat.id })
        .execute();
      const reply = await node.repositories.chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text: 'Late answer',
      });
      const template = await node.repositories.chatLines.append(chat.id, {
        senderKind: 'operator',
        senderName: 'Agent',
        text: '/template order_update de',
      });
      await node.sweep();
      expect(await node.repositories.whatsappLines.findByLineId(reply.id)).toMatchObject({
        sendState: 'refused',
      });
      expect(deliveries(chat.chatUid)).toContainEqual({
        chatUid: chat.chatUid,
        sequence: reply.sequence,
        state: 'refused',
        detail: expect.stringContaining("outside WhatsApp's 24-hour customer care window") as string,
      });
      expect(await node.repositories.whatsappLines.findByLineId(template.id)).toMatchObject({
        sendState: 'sent',
      });
      expect(fake.sent.find((message) => message.request.to === customer)?.request.whatsapp).toMatchObject({
        contentType: 'template',
        template: { templateId: 'order_update', language: { policy: 'deterministic', code: 'de' } },
      });
    });
  });
});
