import { TestSocket } from '@switchboard/messaging/testing';
import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  parseDatabaseUrl,
  type Repositories,
} from '@switchboard/persistence';
import type { ChatLineView, ChatSummary, LineDelivery } from '@switchboard/protocol';
import { autoResponseText } from '@switchboard/whatsapp';
import type { DataSource } from 'typeorm';
import { LocalCluster } from './local-cluster';

// WhatsApp through the whole cluster as a user runs it (`npm run cluster`): the fake TynTec posts to
// HAProxy, the connector stores and routes, the agent answers on socket.io through HAProxy, the
// reply and an image reach the fake, statuses come back; every webhook replayed three times more.

const BUSINESS = '4930500600';
const CUSTOMER = '4917655501234';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

interface FakeLog {
  sent: Array<{ messageId: string; request: { to: string; whatsapp: Record<string, unknown> } }>;
  webhooks: Array<{ url: string; body: unknown; status: number }>;
}

let cluster: LocalCluster;
let dataSource: DataSource;
let repositories: Repositories;
let agent: TestSocket | undefined;

const fake = async (path: string, body?: unknown) => {
  const response = await fetch(`${cluster.tyntecUrl}/__fake/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
};
const admin = async (path: string, body: unknown) => {
  const response = await fetch(
    `${cluster.adminUrl}/api/${path}?a=${encodeURIComponent(cluster.secret('admin-auth'))}`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    },
  );
  expect(response.status).toBe(201);
};
const until = async <T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

beforeAll(async () => {
  cluster = await LocalCluster.start();
  dataSource = createDataSource(parseDatabaseUrl(cluster.databaseUrl));
  await dataSource.initialize();
  repositories = createRepositories(dataSource);
}, 300_000);

afterAll(async () => {
  agent?.close();
  await dataSource?.destroy();
  await cluster?.stop();
  if (cluster) await dropMysqlDatabase(cluster.databaseUrl);
}, 120_000);

it('carries a WhatsApp conversation end to end, exactly once per webhook however often TynTec replays it', async () => {
  await admin('sites', { siteKey: 'wa-e2e', name: 'WhatsApp e2e', domain: 'wa.test' });
  await admin('users', {
    username: 'wa-agent',
    displayName: 'WA Agent',
    password: 'wa-agent-password',
    maxChats: 5,
  });
  await admin('chatconnectors', {
    siteKey: 'wa-e2e',
    phoneNumber: `+${BUSINESS}`,
    apiKey: cluster.secret('tyntec-api-key'),
    language: 'en',
  });
  // What the seed does with Postman: point TynTec's webhooks at the load balancer (http: the fake only).
  const configured = await cluster.tool(
    'whatsapp-webhooks/main.js',
    ['configure', '--allow-http', '--base-url', cluster.wsUrl],
    {
      ACD_WHATSAPP_TYNTEC_URL: `${cluster.tyntecUrl}/chat-api/v2/messages`,
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: cluster.secret('whatsapp-webhook-secret'),
    },
  );
  expect(configured).toContain(`${cluster.wsUrl}/incoming?secret=<secret>`);

  agent = await TestSocket.connect(cluster.wsUrl, 'agent');
  await agent.ok('agent:login', { username: 'wa-agent', password: 'wa-agent-password' });
  await agent.ok('agent:status', { status: 1 });

  await fake('inbound', {
    from: CUSTOMER,
    to: BUSINESS,
    content: { contentType: 'text', text: 'Hello from WhatsApp' },
    whatsapp: { senderName: 'Wanda' },
  });
  const waiting = await agent.next<ChatSummary>('queue:added', (chat) => chat.channel === 'whatsapp', 30_000);
  expect(waiting).toMatchObject({ visitorName: 'Wanda', siteKey: 'wa-e2e' });
  const { lines } = await agent.ok('chat:pickup', { chatUid: waiting.chatUid });
  expect(lines[0].text).toBe('Hello from WhatsApp');

  await fake('media', { mediaId: 'e2e-photo', contentType: 'image/png', base64: PNG.toString('base64') });
  await fake('inbound', {
    from: CUSTOMER,
    to: BUSINESS,
    content: { contentType: 'media', media: { type: 'image', mediaId: 'e2e-photo', caption: 'my parcel' } },
    whatsapp: { senderName: 'Wanda' },
  });
  const imageLine = await agent.next<ChatLineView>(
    'chat:line',
    (line) => line.text.startsWith('[image] my parcel'),
    30_000,
  );
  const imageLink = imageLine.text.split(' ').at(-1)!;
  const image = await fetch(imageLink);
  expect(image.status).toBe(200);
  expect(Buffer.from(await image.arrayBuffer())).toEqual(PNG);

  const { line: reply } = await agent.ok('chat:send', {
    chatUid: waiting.chatUid,
    text: 'Hi Wanda, how can I help?',
    clientMessageId: 'wa-reply-1',
  });
  const { line: photo } = await agent.ok('chat:send', {
    chatUid: waiting.chatUid,
    text: `/attach ${imageLink} this one?`,
    clientMessageId: 'wa-reply-2',
  });
  for (const sequence of [reply.sequence, photo.sequence])
    await agent.next<LineDelivery>(
      'chat:delivery',
      (delivery) => delivery.sequence === sequence && delivery.state === 'seen',
      30_000,
    );
  const log = (await fake('sent')) as FakeLog;
  const toCustomer = log.sent
    .filter((sent) => sent.request.to === CUSTOMER)
    .map((sent) => sent.request.whatsapp);
  expect(toCustomer).toEqual([
    { from: BUSINESS, contentType: 'text', text: autoResponseText('greeting', 'en') },
    { from: BUSINESS, contentType: 'text', text: 'Hi Wanda, how can I help?' },
    {
      from: BUSINESS,
      contentType: 'media',
      media: expect.objectContaining({ type: 'image', caption: 'this one?' }) as unknown,
    },
  ]);

  // Replay every webhook the fake delivered three more times, through HAProxy: nothing changes.
  const chat = (await repositories.chats.findByUid(waiting.chatUid))!;
  const before = await repositories.chatLines.listSince(chat.id, 0);
  const states = async () =>
    Promise.all(
      before.map(async (line) => (await repositories.whatsappLines.findByLineId(line.id))?.deliveryState),
    );
  const statesBefore = await states();
  const delivered = log.webhooks.filter((attempt) => attempt.status === 200);
  expect(delivered.length).toBeGreaterThanOrEqual(8);
  for (let round = 0; round < 3; round += 1) {
    const answers = await Promise.all(
      delivered.map((attempt) =>
        fetch(attempt.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(attempt.body),
        }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(delivered.map(() => 200));
  }
  await until('the inbox to drain', async () => {
    const [{ n }] = await dataSource.query<Array<{ n: number }>>(
      'SELECT COUNT(*) AS n FROM webhook_inbox WHERE processed_at IS NULL',
    );
    return Number(n) === 0 ? true : undefined;
  });
  expect((await repositories.chatLines.listSince(chat.id, 0)).map((line) => line.id)).toEqual(
    before.map((line) => line.id),
  );
  expect(await states()).toEqual(statesBefore);
  expect(before.map((line) => line.senderKind)).toEqual([
    'visitor',
    'system',
    'visitor',
    'operator',
    'operator',
  ]);
}, 240_000);
