import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { seedSiteAndAgent, TestSocket } from '@switchboard/messaging/testing';
import { appRepositories, type Repositories } from '@switchboard/persistence';
import type { ChatLineView, ChatSummary, LineDelivery } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { autoResponseText } from '@switchboard/whatsapp';
import { EmbeddedAppModule } from './embedded-app.module';

const SECRET = 'embedded-webhook-secret-0123456789';
const API_KEY = 'embedded-api-key';
const BUSINESS = '4930111222';
const CUSTOMER = '4917612341234';

// The whole path in one process: TynTec's webhook on the chat port → the agent's socket → the agent's reply → TynTec.
describe('WhatsApp in embedded mode (same port as the chat)', () => {
  let app: INestApplication;
  let url: string;
  let repositories: Repositories;
  let fake: FakeTyntec;
  let dataDirectory: string;
  let agent: TestSocket | undefined;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-embedded-whatsapp-'));
    fake = new FakeTyntec({ apiKey: API_KEY, allowHttpCallbacks: true });
    const tyntec = await fake.start();
    const environment = {
      DATADIR: dataDirectory,
      PORT: '0',
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: SECRET,
      ACD_WHATSAPP_TYNTEC_URL: `${tyntec}/chat-api/v2/messages`,
    };
    const moduleRef = await Test.createTestingModule({
      imports: [EmbeddedAppModule.forRoot(environment)],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`;
    repositories = appRepositories(app);
    await fetch(`${tyntec}/chat-api/v2/applications/default`, {
      method: 'PATCH',
      headers: { apikey: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        webhooks: [
          { events: ['MoMessage'], callbackUrl: `${url}/incoming?secret=${SECRET}` },
          {
            events: ['MessageStatus::accepted', 'MessageStatus::delivered', 'MessageStatus::seen'],
            callbackUrl: `${url}/delivery?secret=${SECRET}`,
          },
        ],
      }),
    });
  });

  afterAll(async () => {
    agent?.close();
    await fake.stop();
    await app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const sentToCustomer = async (text: string) => {
    const deadline = Date.now() + 10_000;
    while (
      !fake.sent.some(
        (sent) => sent.request.to === CUSTOMER && JSON.stringify(sent.request.whatsapp).includes(text),
      )
    ) {
      if (Date.now() > deadline) throw new Error(`TynTec never got "${text}"`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('shows a customer message to an agent live, sends the reply through TynTec and reports its delivery', async () => {
    const seeded = await seedSiteAndAgent(repositories);
    const site = await repositories.sites.findByKey(seeded.siteKey);
    await repositories.chatConnectors.create({
      siteId: site!.id,
      phoneNumber: BUSINESS,
      apiKey: API_KEY,
      language: 'en',
    });
    agent = await TestSocket.connect(url, 'agent');
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });

    fake.injectInbound({
      from: CUSTOMER,
      to: BUSINESS,
      content: { contentType: 'text', text: 'Where is my parcel?' },
      whatsapp: { senderName: 'Peter' },
    });
    const waiting = await agent.next<ChatSummary>('queue:added', (chat) => chat.channel === 'whatsapp');
    expect(waiting).toMatchObject({ visitorName: 'Peter', siteKey: seeded.siteKey, lastSequence: 1 });
    const { lines } = await agent.ok('chat:pickup', { chatUid: waiting.chatUid });
    expect(lines[0]).toMatchObject({
      sequence: 1,
      sender: 'visitor',
      senderName: 'Peter',
      text: 'Where is my parcel?',
    });
    // The connector greets a new chat's customer in the connector's language, as a system line of the chat.
    await sentToCustomer(autoResponseText('greeting', 'en'));

    const { line } = await agent.ok('chat:send', {
      chatUid: waiting.chatUid,
      text: 'It left today.',
      clientMessageId: 'reply-1',
    });
    const seen = await agent.next<LineDelivery>(
      'chat:delivery',
      (delivery) => delivery.sequence === line.sequence && delivery.state === 'seen',
      15_000,
    );
    expect(seen.chatUid).toBe(waiting.chatUid);
    expect(fake.sent.map((sent) => sent.request)).toContainEqual(
      expect.objectContaining({
        to: CUSTOMER,
        whatsapp: { from: BUSINESS, contentType: 'text', text: 'It left today.' },
      }),
    );

    fake.injectInbound({
      from: CUSTOMER,
      to: BUSINESS,
      content: { contentType: 'text', text: 'Thanks!' },
      whatsapp: { senderName: 'Peter' },
    });
    await agent.next<ChatLineView>(
      'chat:line',
      (next) => next.chatUid === waiting.chatUid && next.text === 'Thanks!',
    );

    await agent.ok('chat:close', { chatUid: waiting.chatUid });
    await sentToCustomer(autoResponseText('closed', 'en'));
  }, 30_000);
});
