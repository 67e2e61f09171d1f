import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { appRepositories, type Repositories } from '@switchboard/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedAppModule } from '../embedded-app.module';
import {
  connectWhatsappDemo,
  DEMO_BUSINESS_NUMBER,
  startWhatsappDemo,
  whatsappDemoLines,
  type WhatsappDemo,
} from './whatsapp-demo';

describe('the embedded WhatsApp demo', () => {
  let dataDirectory: string;
  let demo: WhatsappDemo | null = null;
  let app: INestApplication | undefined;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-whatsapp-demo-'));
  });

  afterEach(async () => {
    await app?.close();
    await demo?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('is left out when switched off or when a TynTec URL is configured', async () => {
    expect(await startWhatsappDemo({ DATADIR: dataDirectory, SWITCHBOARD_WHATSAPP_DEMO: 'off' })).toBeNull();
    expect(
      await startWhatsappDemo({
        DATADIR: dataDirectory,
        ACD_WHATSAPP_TYNTEC_URL: 'https://api.tyntec.com/x',
      }),
    ).toBeNull();
  });

  it("points the connector at a fake TynTec, connects the demo site once, and opens a customer's chat", async () => {
    const environment: NodeJS.ProcessEnv = { DATADIR: dataDirectory, SWITCHBOARD_TYNTEC_FAKE_PORT: '0' };
    demo = await startWhatsappDemo(environment);
    expect(demo).not.toBeNull();
    const started = demo!;
    expect(environment.ACD_WHATSAPP_TYNTEC_URL).toBe(`${started.tyntecUrl}/chat-api/v2/messages`);
    expect(environment.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET).toBe(started.secret);
    expect(whatsappDemoLines(started).join('\n')).toContain(`${started.tyntecUrl}/__fake/inbound`);

    const moduleRef = await Test.createTestingModule({
      imports: [EmbeddedAppModule.forRoot({ ...environment, PORT: '0' })],
    }).compile();
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    const repositories: Repositories = appRepositories(app);
    await connectWhatsappDemo(started, repositories, `http://127.0.0.1:${port}`);
    await connectWhatsappDemo(started, repositories, `http://127.0.0.1:${port}`);
    expect(
      (await repositories.chatConnectors.list()).filter((c) => c.phoneNumber === DEMO_BUSINESS_NUMBER),
    ).toHaveLength(1);

    await fetch(`${started.tyntecUrl}/__fake/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        from: '4917612345678',
        to: DEMO_BUSINESS_NUMBER,
        content: { contentType: 'text', text: 'Hello from WhatsApp' },
        whatsapp: { senderName: 'Wanda' },
      }),
    });
    const deadline = Date.now() + 15_000;
    let opened = false;
    while (!opened && Date.now() < deadline) {
      const chats = await repositories.chats.list({});
      opened = chats.some((chat) => chat.channel === 'whatsapp' && chat.visitorName === 'Wanda');
      if (!opened) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(opened).toBe(true);
  });
});
