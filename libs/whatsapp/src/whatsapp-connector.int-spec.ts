import { dropMysqlDatabase } from '@switchboard/persistence';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startConnectorNode, type ConnectorNode } from './testing';

const SECRET = 'int-webhook-secret-0123456789';
const API_KEY = 'int-api-key';
const BUSINESS = '4930765432';

// Two connector instances on one MariaDB: whatever both receive, the database decides once.
describe('two WhatsApp connector instances on one MariaDB', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  let nodes: ConnectorNode[];
  let fake: FakeTyntec;
  let dataDirectory: string;
  let customerSeed = 0;
  const nextCustomer = () => `4917700${String(1000 + (customerSeed += 1))}`;

  const post = (node: ConnectorNode, body: unknown) =>
    fetch(`${node.url}/incoming?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  const message = (from: string) => ({
    messageId: randomUUID(),
    event: 'MoMessage',
    from,
    to: BUSINESS,
    channel: 'whatsapp',
    content: { contentType: 'text', text: 'Hello' },
    whatsapp: { senderName: 'Maria' },
  });

  const linesOf = async (customer: string) => {
    const { chats, chatLines } = nodes[0].repositories;
    const found = (await chats.list({})).filter((chat) => chat.visitorKey === customer);
    return (await Promise.all(found.map((chat) => chatLines.listSince(chat.id, 0)))).flat();
  };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-whatsapp-int-'));
    fake = new FakeTyntec({ apiKey: API_KEY, allowHttpCallbacks: true });
    const tyntec = await fake.start();
    const environment = {
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: SECRET,
      ACD_WHATSAPP_TYNTEC_URL: `${tyntec}/chat-api/v2/messages`,
    };
    nodes = [
      await startConnectorNode({ ...environment, SWITCHBOARD_NODE_ID: 'whatsapp-connector-1' }),
      await startConnectorNode({ ...environment, SWITCHBOARD_NODE_ID: 'whatsapp-connector-2' }),
    ];
    await nodes[0].addConnector({ phoneNumber: BUSINESS, apiKey: API_KEY });
  });

  afterAll(async () => {
    await fake?.stop();
    for (const node of nodes ?? []) await node.app.close();
    await dropMysqlDatabase(databaseUrl);
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('makes exactly one line of a message replayed concurrently to both instances, for 20 messages', async () => {
    const customers = Array.from({ length: 20 }, nextCustomer);
    const messages = customers.map(message);
    const answers = await Promise.all(
      messages.flatMap((body) => [
        post(nodes[0], body),
        post(nodes[1], body),
        post(nodes[0], body),
        post(nodes[1], body),
      ]),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    await Promise.all(
      nodes.map((node) =>
        node.until(
          'the inbox to drain',
          async () => (await node.repositories.webhookInbox.countUnprocessed()) === 0,
        ),
      ),
    );
    for (const customer of customers) expect(await linesOf(customer)).toHaveLength(1);
  });

  it('processes what one instance accepted before it was killed, on the other instance', async () => {
    const customer = nextCustomer();
    const body = message(customer);
    // Stored and claimed by instance 1, which then "dies" holding the lease.
    const stored = await nodes[0].repositories.webhookInbox.store({
      kind: 'incoming',
      dedupeKey: `mo:${body.messageId}`,
      rawBody: JSON.stringify(body),
    });
    if (stored.outcome !== 'stored') throw new Error('expected a stored row');
    await nodes[0].repositories.webhookInbox.claim(stored.id, 'whatsapp-connector-1', 200);
    await new Promise((resolve) => setTimeout(resolve, 250));
    await nodes[1].sweep();
    expect(await linesOf(customer)).toHaveLength(1);
    expect((await nodes[1].repositories.webhookInbox.findById(stored.id))?.claimedBy).toBe(
      'whatsapp-connector-2',
    );
  });

  it('keeps a WhatsApp name of 256 characters of 3 bytes each (the widest the schema lets through) as the chat and line name', async () => {
    const customer = nextCustomer();
    const senderName = '€'.repeat(256);
    expect((await post(nodes[0], { ...message(customer), whatsapp: { senderName } })).status).toBe(200);
    await nodes[0].until('the line', async () => (await linesOf(customer)).length === 1);
    expect((await linesOf(customer))[0].senderName).toBe(senderName);
    const chat = (await nodes[0].repositories.chats.list({})).find(
      (candidate) => candidate.visitorKey === customer,
    );
    expect(chat?.visitorName).toBe(senderName);
  });

  it('sends an agent line once although both instances hear it', async () => {
    const customer = nextCustomer();
    await post(nodes[0], message(customer));
    await nodes[0].until('the chat', async () => (await linesOf(customer)).length === 1);
    const chat = (await nodes[0].repositories.chats.list({})).find(
      (candidate) => candidate.visitorKey === customer,
    )!;
    const line = await nodes[0].repositories.chatLines.append(chat.id, {
      senderKind: 'operator',
      senderName: 'Agent',
      text: 'Once',
    });
    // Each instance hears it (in memory mode each has its own stream), and one sweeps at the same time.
    await Promise.all([...nodes.map((node) => node.publishLine(chat, line)), nodes[1].sweep()]);
    await nodes[0].until(
      'the line to be sent',
      async () => (await nodes[0].repositories.whatsappLines.findByLineId(line.id))?.sendState === 'sent',
    );
    await Promise.all(nodes.map((node) => node.idle()));
    expect(fake.sent.filter((sent) => sent.request.to === customer)).toHaveLength(1);
  });
});
