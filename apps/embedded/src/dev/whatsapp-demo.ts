// The embedded demo's WhatsApp channel: a local fake TynTec in this process, the demo site's chat
// connector and the fake's webhooks pointing at this process. Pointing ACD_WHATSAPP_TYNTEC_URL at
// a real TynTec (or SWITCHBOARD_WHATSAPP_DEMO=off) leaves it out.
import { Logger, type INestApplication } from '@nestjs/common';
import { ChatConnectorRepository, SiteRepository, type Repositories } from '@switchboard/persistence';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_SITE_KEY } from '../demo-seeder';
import type { EmbeddedExtension } from '../embedded-startup';

/** The demo site's WhatsApp business number (E.164 digits, as TynTec writes them). */
export const DEMO_BUSINESS_NUMBER = '4930123456';
const DEFAULT_FAKE_PORT = 4010;

export interface WhatsappDemo {
  /** The fake's base URL (its API is under /chat-api/v2, its test controls under /__fake/). */
  readonly tyntecUrl: string;
  readonly secret: string;
  readonly apiKey: string;
  stop(): Promise<void>;
}

/** A secret kept in the data folder, made on the first start. */
function keptSecret(dataDirectory: string, file: string): string {
  const path = join(dataDirectory, file);
  if (!existsSync(path)) writeFileSync(path, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  return readFileSync(path, 'utf8').trim();
}

/**
 * Before the application starts: the fake TynTec (on 4010, or any free port when that is taken) and
 * the environment that points the connector at it. Null when the demo is off.
 */
export async function startWhatsappDemo(environment: NodeJS.ProcessEnv): Promise<WhatsappDemo | null> {
  if (environment.SWITCHBOARD_WHATSAPP_DEMO === 'off' || environment.ACD_WHATSAPP_TYNTEC_URL) return null;
  const dataDirectory = resolve(environment.DATADIR ?? 'data');
  mkdirSync(dataDirectory, { recursive: true });
  const secret =
    environment.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET ?? keptSecret(dataDirectory, 'whatsapp-demo-secret.txt');
  const apiKey = keptSecret(dataDirectory, 'tyntec-demo-api-key.txt');
  const fake = new FakeTyntec({ apiKey, allowHttpCallbacks: true });
  const port = Number(environment.SWITCHBOARD_TYNTEC_FAKE_PORT ?? DEFAULT_FAKE_PORT);
  const tyntecUrl = await fake.start({ port }).catch(() => fake.start({ port: 0 }));
  environment.ACD_WHATSAPP_TYNTEC_URL = `${tyntecUrl}/chat-api/v2/messages`;
  environment.SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET = secret;
  return { tyntecUrl, secret, apiKey, stop: () => fake.stop() };
}

/** After the application started: the demo site's connector, and the fake's webhooks to `url`. */
export async function connectWhatsappDemo(
  demo: WhatsappDemo,
  repositories: Pick<Repositories, 'sites' | 'chatConnectors'>,
  url: string,
): Promise<void> {
  const site = await repositories.sites.findByKey(DEMO_SITE_KEY);
  if (site && !(await repositories.chatConnectors.findByPhoneNumber(DEMO_BUSINESS_NUMBER))) {
    await repositories.chatConnectors.create({
      siteId: site.id,
      phoneNumber: DEMO_BUSINESS_NUMBER,
      apiKey: demo.apiKey,
      language: 'en',
    });
    new Logger('WhatsappDemo').log(`chat connector for ${DEMO_BUSINESS_NUMBER} on site "${DEMO_SITE_KEY}"`);
  }
  const secret = encodeURIComponent(demo.secret);
  const answer = await fetch(`${demo.tyntecUrl}/chat-api/v2/applications/default`, {
    method: 'PATCH',
    headers: { apikey: demo.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      webhooks: [
        { events: ['MoMessage'], callbackUrl: `${url}/incoming?secret=${secret}` },
        {
          events: ['MessageStatus::accepted', 'MessageStatus::delivered', 'MessageStatus::seen'],
          callbackUrl: `${url}/delivery?secret=${secret}`,
        },
      ],
    }),
  });
  if (!answer.ok) throw new Error(`the fake TynTec refused the webhooks (${answer.status})`);
}

/** The lines `npm start` prints about the demo: where the fake is and how to write as a customer. */
export function whatsappDemoLines(demo: WhatsappDemo): string[] {
  const body = JSON.stringify({
    from: '4917612345678',
    to: DEMO_BUSINESS_NUMBER,
    content: { contentType: 'text', text: 'Hello from WhatsApp' },
    whatsapp: { senderName: 'Wanda' },
  });
  return [
    `  whatsapp      a local fake TynTec at ${demo.tyntecUrl} (business number ${DEMO_BUSINESS_NUMBER}); write as a customer:`,
    `                curl -X POST ${demo.tyntecUrl}/__fake/inbound -H 'content-type: application/json' -d '${body}'`,
  ];
}

/** The WhatsApp demo is a convenience: when it cannot start, the product still does. */
export function whatsappDemoExtension(): EmbeddedExtension {
  const logger = new Logger('WhatsappDemo');
  let demo: WhatsappDemo | null = null;
  return {
    async beforeStart(environment) {
      demo = await startWhatsappDemo(environment).catch((error: unknown) => {
        logger.warn(`no WhatsApp demo: ${String(error)}`);
        return null;
      });
    },
    async afterStart(app: INestApplication, url: string) {
      if (!demo) return [];
      try {
        const repositories = {
          sites: app.get(SiteRepository),
          chatConnectors: app.get(ChatConnectorRepository),
        };
        await connectWhatsappDemo(demo, repositories, url);
        return whatsappDemoLines(demo);
      } catch (error) {
        logger.warn(`no WhatsApp demo: ${String(error)}`);
        return [];
      }
    },
  };
}
