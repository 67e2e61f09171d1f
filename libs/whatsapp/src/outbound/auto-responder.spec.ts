import { ClusterEventBus } from '@switchboard/platform';
import type { ClusterEvent } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorEnvironment, startConnectorNode, type ConnectorNode } from '../testing';
import { autoResponseText } from './auto-responses';

const SECRET = 'spec-webhook-secret-0123456789';
const API_KEY = 'auto-responder-spec-api-key';
const BUSINESS = '4930999888';
const START = Date.parse('2026-03-02T10:00:00.000Z');

describe('automatic answers to queued and refused WhatsApp chats (embedded node, local TynTec)', () => {
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let dataDirectory: string;
  let customerSeed = 0;

  const textsSentTo = (customer: string) =>
    fake.sent
      .filter((message) => message.request.to === customer)
      .map((message) => (message.request.whatsapp as { text?: string }).text);

  /** Waits until what was sent to the customer satisfies `condition`. */
  const sentUntil = (
    what: string,
    customer: string,
    condition: (texts: Array<string | undefined>) => boolean,
  ) => node.until(what, () => Promise.resolve(condition(textsSentTo(customer))));

  async function queuedChat() {
    const customer = `49177${String(100000 + (customerSeed += 1))}`;
    const response = await fetch(`${node.url}/incoming?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messageId: `wamid-${customer}`,
        event: 'MoMessage',
        from: customer,
        to: BUSINESS,
        channel: 'whatsapp',
        content: { contentType: 'text', text: 'Hallo' },
      }),
    });
    expect(response.status).toBe(200);
    const greeting = autoResponseText('greeting', 'de');
    await sentUntil('the greeting', customer, (texts) => texts.includes(greeting));
    const chat = (await node.repositories.chats.list({})).find(
      (candidate) => candidate.visitorKey === customer,
    )!;
    return { customer, chatUid: chat.chatUid };
  }

  async function publish(event: ClusterEvent) {
    await node.app.get(ClusterEventBus).publish(event);
  }

  const positions = (
    chatUid: string,
    position: number,
    atMs: number,
    expectedWaitSeconds: number | null = 240,
  ) =>
    publish({
      type: 'queue.positions',
      origin: 'routing-spec',
      at: new Date(atMs).toISOString(),
      positions: [{ chatUid, position, expectedWaitSeconds, text: `Queue position ${position}` }],
    });

  /** Ends the chat as routing does: in the database, then `chat.state`. */
  const ended = async (chatUid: string, code: string) => {
    const chat = (await node.repositories.chats.findByUid(chatUid))!;
    expect(await node.repositories.chats.close(chat.id, code, new Date(), 'missed')).toBe(true);
    await publish({
      type: 'chat.state',
      origin: 'routing-spec',
      at: new Date().toISOString(),
      chatUid,
      state: 'missed',
      agentUsername: null,
      agentName: null,
      previousAgentUsername: null,
      code,
      text: null,
    });
  };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-auto-'));
    fake = new FakeTyntec({ apiKey: API_KEY, allowHttpCallbacks: true, statusDelayMs: 5, retryDelayMs: 20 });
    const tyntec = await fake.start();
    node = await startConnectorNode({
      ...connectorEnvironment({ dataDirectory, secret: SECRET, tyntecUrl: tyntec }),
      SWITCHBOARD_WHATSAPP_AUTO_RESPONSES: 'on',
      ACD_CHAT_QUEUE_POSITIONUPDATE_SECONDS: '10',
    });
    await node.addConnector({ phoneNumber: BUSINESS, apiKey: API_KEY, language: 'de' });
  });

  afterAll(async () => {
    await fake.stop();
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('tells the first queue position, then a changed one at most every PositionUpdate.Seconds, in German', async () => {
    const { customer, chatUid } = await queuedChat();
    await positions(chatUid, 3, START);
    await positions(chatUid, 3, START + 1_000);
    await positions(chatUid, 2, START + 5_000);
    await positions(chatUid, 2, START + 12_000);
    await positions(chatUid, 1, START + 23_000, null);
    const expected = [
      autoResponseText('greeting', 'de'),
      'Sie sind Nummer 3 in der Warteschlange. Voraussichtliche Wartezeit: etwa 4 Min.',
      'Sie sind Nummer 2 in der Warteschlange. Voraussichtliche Wartezeit: etwa 4 Min.',
      'Sie sind Nummer 1 in der Warteschlange.',
    ];
    await sentUntil('three position answers', customer, (texts) => texts.length >= expected.length);
    await node.idle();
    expect(textsSentTo(customer)).toEqual(expected);
  });

  it('stores a position answer once when the same event is heard twice (two connectors)', async () => {
    const { customer, chatUid } = await queuedChat();
    await Promise.all([positions(chatUid, 4, START), positions(chatUid, 4, START)]);
    await sentUntil('the position answer', customer, (texts) => texts.length >= 2);
    await node.idle();
    expect(textsSentTo(customer)).toHaveLength(2);
  });

  it.each([
    ['OO', 'outsideHours'],
    ['OF', 'noAgents'],
    ['CQM', 'queueFull'],
    ['CQT', 'queueFull'],
    ['QTO', 'queueTimeout'],
  ] as const)(
    'answers a chat routing refused with %s by the %s text, and no goodbye',
    async (code, response) => {
      const { customer, chatUid } = await queuedChat();
      await ended(chatUid, code);
      const expected = autoResponseText(response, 'de');
      await sentUntil(`the ${response} answer`, customer, (texts) => texts.includes(expected));
      expect(textsSentTo(customer)).toEqual([autoResponseText('greeting', 'de'), expected]);
    },
  );

  it('tells a customer whose chat left the queue nothing more about positions', async () => {
    const { customer, chatUid } = await queuedChat();
    await ended(chatUid, 'OC');
    await positions(chatUid, 1, START);
    await sentUntil('the goodbye', customer, (texts) => texts.includes(autoResponseText('closed', 'de')));
    await node.idle();
    expect(textsSentTo(customer)).toEqual([
      autoResponseText('greeting', 'de'),
      autoResponseText('closed', 'de'),
    ]);
  });
});
