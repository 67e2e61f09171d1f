import { FakeTyntec } from '@switchboard/tyntec-fake';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorEnvironment, startConnectorNode, type ConnectorNode } from '../testing';

const SECRET = 'receiving-connector-secret-0123';
const FIRST = '4930111111';
const SECOND = '4930222222';
let seed = 0;

/** A `MoMessage` without `to` (optional in TynTec's schema). */
const withoutTo = (from: string) => ({
  messageId: `wamid-no-to-${from}-${(seed += 1)}`,
  event: 'MoMessage',
  from,
  channel: 'whatsapp',
  content: { contentType: 'text', text: 'Where is my parcel?' },
});

describe('which chat connector a message without `to` goes to', () => {
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let dataDirectory: string;
  let customerSeed = 0;
  const nextCustomer = () => `49177${String(100000 + (customerSeed += 1))}`;

  const post = (path: string, body: unknown) =>
    fetch(`${node.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** The site of the chat the customer's message opened, or null when no chat was opened. */
  const siteOf = async (customer: string) =>
    (await node.repositories.chats.list({})).find((chat) => chat.visitorKey === customer)?.siteId ?? null;

  const deadLetterReason = async (messageId: string) =>
    (await node.repositories.webhookInbox.listDeadLetters(1000)).find((letter) =>
      letter.rawBody.includes(messageId),
    )?.reason;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-receiver-'));
    fake = new FakeTyntec({ apiKey: 'receiver-api-key', allowHttpCallbacks: true });
    node = await startConnectorNode(
      connectorEnvironment({ dataDirectory, secret: SECRET, tyntecUrl: await fake.start() }),
    );
  });

  afterAll(async () => {
    await fake.stop();
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('goes to the only chat connector of the installation', async () => {
    const connector = await node.addConnector({ phoneNumber: FIRST, apiKey: 'receiver-api-key' });
    const customer = nextCustomer();
    expect((await post(`/incoming?secret=${SECRET}`, withoutTo(customer))).status).toBe(200);
    await node.idle();
    expect(await siteOf(customer)).toBe(connector.siteId);
  });

  describe('with two chat connectors', () => {
    let second: Awaited<ReturnType<ConnectorNode['addConnector']>>;
    beforeAll(async () => {
      second = await node.addConnector({ phoneNumber: SECOND, apiKey: 'receiver-api-key' });
    });

    it.each([
      ['?secret=…&connector=', `/incoming?secret=${SECRET}&connector=${SECOND}`],
      ['/incoming/<secret>?connector=+…', `/incoming/${SECRET}?connector=%2B${SECOND}`],
    ])('goes to the connector the callback URL names (%s)', async (_form, path) => {
      const customer = nextCustomer();
      expect((await post(path, withoutTo(customer))).status).toBe(200);
      await node.idle();
      expect(await siteOf(customer)).toBe(second.siteId);
    });

    it('keeps `to` first when the message has one', async () => {
      const customer = nextCustomer();
      const message = { ...withoutTo(customer), to: FIRST };
      expect((await post(`/incoming?secret=${SECRET}&connector=${SECOND}`, message)).status).toBe(200);
      await node.idle();
      expect(await siteOf(customer)).not.toBe(second.siteId);
      expect(await siteOf(customer)).not.toBeNull();
    });

    it('dead-letters it, saying how to name the connector, when the URL names none', async () => {
      const customer = nextCustomer();
      const message = withoutTo(customer);
      expect((await post(`/incoming?secret=${SECRET}`, message)).status).toBe(200);
      await node.idle();
      expect(await deadLetterReason(message.messageId)).toBe(
        'the message names no receiving number (to) and 2 chat connectors exist: ' +
          'name the connector in the callback URL (/incoming?secret=…&connector=<number>)',
      );
      expect(await siteOf(customer)).toBeNull();
    });

    it.each(['not-a-number', '0049301', ''])(
      'answers 400 to ?connector=%j and stores nothing',
      async (connector) => {
        const before = await node.repositories.webhookInbox.countAll();
        const response = await post(
          `/incoming?secret=${SECRET}&connector=${encodeURIComponent(connector)}`,
          withoutTo(nextCustomer()),
        );
        expect(response.status).toBe(400);
        expect(await response.json()).toMatchObject({ outcome: 'bad-request' });
        expect(await node.repositories.webhookInbox.countAll()).toEqual(before);
      },
    );
  });
});
