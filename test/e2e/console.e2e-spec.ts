import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  parseDatabaseUrl,
  type Repositories,
} from '@switchboard/persistence';
import type { Browser } from 'playwright-core';
import type { DataSource } from 'typeorm';
import { eventually } from '../support/eventually';
import {
  ConsolePage,
  directions,
  expectLines,
  expectText,
  LAPTOP,
  launchChromium,
  layoutAt,
  screenshot,
  VisitorPage,
  type Operator,
} from './console-pages';
import { LocalCluster } from './local-cluster';

// A shift in real browsers against the whole cluster (`npm run cluster`), every page through HAProxy:
// two agents and a supervisor on the console, several visitors on the demo page, a WhatsApp customer
// through the fake TynTec. Each step is asserted from what the pages show; the screenshots of
// docs/gui.md are taken on the way (docs/images/).

jest.setTimeout(120_000);

const ANNA: Operator = { username: 'anna', password: 'anna-e2e-password', displayName: 'Anna' };
const BRUNO: Operator = { username: 'bruno', password: 'bruno-e2e-password', displayName: 'Bruno' };
const SAM: Operator = { username: 'sam', password: 'sam-e2e-password', displayName: 'Sam' };
const DEMO_OFFLINE = 'Our team is away. Write to help@example.com and we answer within a day.';
const CLOSED_OFFLINE = 'We are closed right now: please come back during our opening hours.';
const BUSINESS = '4930500700';
const CUSTOMER = '4917655507777';
// A 2×2 PNG: a real image, so the thumbnail has a size once loaded.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'.repeat(40));

let cluster: LocalCluster;
let dataSource: DataSource;
let repositories: Repositories;
let browser: Browser;
// The consoles are opened by another name than the cluster's own (localhost, not 127.0.0.1): links
// the servers make on their configured address must still work from there.
let consoleUrl: string;
let anna: ConsolePage;
let bruno: ConsolePage;
let sam: ConsolePage;
const visitors = new Map<string, VisitorPage>();

const admin = async (method: string, path: string, body: unknown) => {
  const response = await fetch(
    `${cluster.adminUrl}/api/${path}?a=${encodeURIComponent(cluster.secret('admin-auth'))}`,
    { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
  );
  if (!response.ok) throw new Error(`${method} /api/${path}: ${response.status} ${await response.text()}`);
};
const fake = async (path: string, body?: unknown): Promise<unknown> => {
  const response = await fetch(`${cluster.tyntecUrl}/__fake/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
};
/** A visitor on a page of `siteKey` who starts a chat as `name`. */
const visitor = async (name: string, siteKey = 'demo') => {
  const page = await VisitorPage.open(browser, cluster.wsUrl, siteKey);
  visitors.set(name, page);
  await page.start(name);
  return page;
};
const statusOf = async (operator: Operator) =>
  (await repositories.operators.findByUsername(operator.username))!.status;

beforeAll(async () => {
  cluster = await LocalCluster.start();
  consoleUrl = cluster.wsUrl.replace('127.0.0.1', 'localhost');
  dataSource = createDataSource(parseDatabaseUrl(cluster.databaseUrl));
  await dataSource.initialize();
  repositories = createRepositories(dataSource);
  await admin('POST', 'sites', {
    siteKey: 'demo',
    name: 'Demo shop',
    domain: 'demo.test',
    offlineMessage: DEMO_OFFLINE,
  });
  // Open one hour on the day after tomorrow (UTC): closed whenever the suite runs.
  await admin('POST', 'sites', {
    siteKey: 'closed',
    name: 'Closed shop',
    domain: 'closed.test',
    timeZone: 'UTC',
    offlineMessage: CLOSED_OFFLINE,
  });
  await admin('POST', 'workperiods', {
    siteKey: 'closed',
    dayOfWeek: (new Date().getUTCDay() + 2) % 7,
    start: '09:00',
    end: '10:00',
  });
  for (const [operator, role] of [
    [ANNA, 'agent'],
    [BRUNO, 'agent'],
    [SAM, 'supervisor'],
  ] as const)
    await admin('POST', 'users', { ...operator, role, maxChats: 3 });
  browser = await launchChromium();
  anna = await ConsolePage.open(browser, consoleUrl, ANNA);
  bruno = await ConsolePage.open(browser, consoleUrl, BRUNO);
  sam = await ConsolePage.open(browser, consoleUrl, SAM);
  // Bruno's console believes the line limit is far higher than the server's: a refused line.
  await bruno.page.route('**/gui/config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as Record<string, unknown>;
    await route.fulfill({ response, json: { ...config, lineMaxLength: 100_000 } });
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dataSource?.destroy();
  await cluster?.stop();
  if (cluster) await dropMysqlDatabase(cluster.databaseUrl);
}, 120_000);

afterEach(() => {
  for (const page of [anna, bruno, sam]) expect(page?.pageErrors ?? []).toEqual([]);
});

describe('a shift on the console, through HAProxy against the local cluster', () => {
  it("shows the site's offline message to a visitor when no agent is online, and outside opening hours", async () => {
    const nora = await visitor('Nora');
    await expectText(nora.widget.locator('.notice'), DEMO_OFFLINE);
    await expectText(nora.widget.locator('.status'), 'The chat has ended.');

    const olga = await visitor('Olga', 'closed');
    await expectText(olga.widget.locator('.notice'), CLOSED_OFFLINE);
    await screenshot(olga.page, 'widget-offline');
  });

  it('makes an offer noticed (countdown, channel, site, wait, first line, title badge); accepting starts the chat', async () => {
    await anna.logIn();
    await anna.setStatus(1);
    await bruno.logIn();
    await bruno.setStatus(2);
    const vera = await visitor('Vera');
    await expectText(vera.widget.locator('.status'), /Waiting for an agent…|You are number 1 in the queue/);
    await vera.say('Where is my parcel?');

    const offer = anna.offer('Vera');
    await expectText(
      offer.locator('.offer-details'),
      /^Web · demo · since \d\d:\d\d( [AP]M)? · waiting \d+ s$/,
    );
    await expectText(offer.locator('.countdown'), /^(1\d|20) s left$/);
    await expectText(offer.locator('.first-line'), 'Where is my parcel?');
    await eventually(
      'the title counts the offer',
      async () => (await anna.page.title()) === '(1) Switchboard console',
    );
    // Bruno is Busy: nothing offered to him.
    await expect(bruno.page.locator('.waiting-list li.offer').count()).resolves.toBe(0);
    await screenshot(anna.page, 'console-offer');

    await anna.page.getByRole('button', { name: 'Accept the chat with Vera' }).click();
    await expectText(vera.widget.locator('.status'), 'Chatting with Anna');
    await eventually('the badge goes', async () => (await anna.page.title()) === 'Switchboard console');
    await expectLines(anna.panel.locator('.transcript'), ['Where is my parcel?']);
  });

  it('shows typing only on the other side, and lines both ways', async () => {
    const vera = visitors.get('Vera')!;
    await anna.reply('Vera').pressSequentially('Let me look', { delay: 30 });
    await expectText(vera.widget.locator('.typing'), 'Anna is typing…');
    await expectText(anna.panel.locator('.typing'), '');
    await anna.reply('Vera').press('Enter');
    await expectLines(vera.widget.locator('.transcript'), ['Where is my parcel?', 'Let me look']);

    await vera.widget.getByLabel('Message').pressSequentially('Thanks', { delay: 30 });
    await expectText(anna.panel.locator('.typing'), 'Vera is typing…');
    await expectText(vera.widget.locator('.typing'), '');
    await vera.widget.getByLabel('Message').press('Enter');
    await expectLines(anna.panel.locator('.transcript'), ['Where is my parcel?', 'Let me look', 'Thanks']);
  });

  it('holds several chats: unread counts per tab and in the title; right-to-left lines read right to left', async () => {
    const vera = visitors.get('Vera')!;
    const omar = await visitor('Omar');
    await anna.page.getByRole('button', { name: 'Accept the chat with Omar' }).click();
    await expectText(omar.widget.locator('.status'), 'Chatting with Anna');
    await expect(anna.tab('Omar').getAttribute('aria-selected')).resolves.toBe('true');

    for (const text of ['Hello?', 'Is it shipped?']) await vera.say(text);
    await expectText(anna.tab('Vera').locator('.unread'), '2');
    await eventually(
      'the title counts unread lines',
      async () => (await anna.page.title()) === '(2) Switchboard console',
    );

    const arabic = 'مرحبا، أين طلبي؟';
    const hebrew = 'שלום, ההזמנה שלך בדרך';
    await omar.say(arabic);
    await expectLines(anna.panel.locator('.transcript'), [arabic]);
    await anna.say('Omar', hebrew);
    await expectLines(omar.widget.locator('.transcript'), [arabic, hebrew]);
    await expect(directions(anna.panel.locator('.transcript .line .text'))).resolves.toEqual(['rtl', 'rtl']);
    await expect(directions(omar.widget.locator('.transcript .line .text'))).resolves.toEqual(['rtl', 'rtl']);
    await anna.reply('Omar').fill(hebrew);
    await expect(directions(anna.reply('Omar'))).resolves.toEqual(['rtl']);
    await anna.reply('Omar').fill('');
    await screenshot(omar.page, 'widget-chat');

    await anna.tab('Vera').click();
    await expect(anna.tab('Vera').locator('.unread').isHidden()).resolves.toBe(true);
    await eventually('the title is clear', async () => (await anna.page.title()) === 'Switchboard console');
    await expectLines(anna.panel.locator('.transcript'), [
      'Where is my parcel?',
      'Let me look',
      'Thanks',
      'Hello?',
      'Is it shipped?',
    ]);
    await screenshot(anna.page, 'console-chats');
  });

  it('a declined chat goes back to the queue, the visitor told their position, not offered to the decliner again', async () => {
    const wen = await visitor('Wen');
    await anna.page.getByRole('button', { name: 'Decline the chat with Wen' }).click();
    await expectText(wen.widget.locator('.status'), /^You are number 1 in the queue/);
    // Nobody else is in Chat status; the cool-down keeps it from Anna: listed, never offered.
    await anna.page.getByRole('button', { name: 'Pick up the chat with Wen' }).waitFor();
    const offeredSince = Date.now();
    while (Date.now() - offeredSince < 6000) {
      expect(await anna.offer('Wen').getAttribute('class')).not.toBe('offer');
      await new Promise((done) => setTimeout(done, 250));
    }
    await bruno.setStatus(1);
    await bruno.page.getByRole('button', { name: 'Accept the chat with Wen' }).click();
    await expectText(wen.widget.locator('.status'), 'Chatting with Bruno');
    await wen.say('Hi Bruno');
    await expectLines(bruno.panel.locator('.transcript'), ['Hi Bruno']);
  });

  it('a line over the server limit is refused: the error in view, the line kept in the box', async () => {
    const long = 'x'.repeat(5000);
    await bruno.reply('Wen').fill(long);
    await bruno.reply('Wen').press('Enter');
    const alert = bruno.page.getByRole('alert');
    await expectText(alert.locator('.toast-text'), 'The line has 5000 characters; the limit is 4096.');
    const box = (await alert.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(LAPTOP.height);
    await expect(bruno.reply('Wen').inputValue()).resolves.toBe(long);
    await expectLines(bruno.panel.locator('.transcript'), ['Hi Bruno']);
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await bruno.reply('Wen').fill('');
  });

  it('log-out makes the agent offline and offers go to others; logging in again shows the held chats', async () => {
    await bruno.page.getByRole('button', { name: 'Log out' }).click();
    await bruno.page.getByLabel('Username').waitFor({ state: 'visible' });
    await eventually('Bruno is offline', async () => (await statusOf(BRUNO)) === 0);
    // Bruno holds one chat, Anna two: routing would pick Bruno if he were still in Chat status.
    const xena = await visitor('Xena');
    await anna.page.getByRole('button', { name: 'Accept the chat with Xena' }).click();
    await expectText(xena.widget.locator('.status'), 'Chatting with Anna');

    await bruno.logIn();
    await bruno.tab('Wen').click();
    await expectLines(bruno.panel.locator('.transcript'), ['Hi Bruno']);
    await bruno.setStatus(2);
  });

  it('a supervisor blocks a visitor (their next chat refused) and lifts the block', async () => {
    await anna.setStatus(2);
    await sam.logIn();
    await sam.setStatus(1);
    const zed = await visitor('Zed');
    await sam.page.getByRole('button', { name: 'Accept the chat with Zed' }).click();
    await expectText(zed.widget.locator('.status'), 'Chatting with Sam');
    sam.page.once('dialog', (dialog) => void dialog.accept('abusive language'));
    await sam.page.getByRole('button', { name: 'Block visitor' }).click();
    await expectText(zed.widget.locator('.status'), 'The chat has ended.');
    await zed.start('Zed');
    await expectText(zed.widget.locator('.error'), /.+/);
    await expect(zed.widget.locator('.error').textContent()).resolves.not.toContain('Waiting');

    await sam.page.getByRole('button', { name: 'Lift block' }).click();
    await sam.page.getByRole('button', { name: 'Lift block' }).waitFor({ state: 'hidden' });
    await eventually(
      'the block is lifted',
      async () => (await repositories.blockedVisitors.listActive()).length === 0,
    );
    await zed.widget.getByRole('button', { name: 'Start chat' }).click();
    await sam.page.getByRole('button', { name: 'Accept the chat with Zed' }).click();
    await expectText(zed.widget.locator('.status'), 'Chatting with Sam');
    await sam.panel.getByRole('button', { name: 'Close chat' }).click();
    await sam.setStatus(0);
  });

  it('shows WhatsApp media: an image inline (opens in full), a document as a link with type and size; sends an attachment', async () => {
    await admin('POST', 'sites', { siteKey: 'wa-shop', name: 'WhatsApp shop', domain: 'wa.test' });
    await admin('POST', 'chatconnectors', {
      siteKey: 'wa-shop',
      phoneNumber: `+${BUSINESS}`,
      apiKey: cluster.secret('tyntec-api-key'),
      language: 'en',
    });
    await cluster.tool(
      'whatsapp-webhooks/main.js',
      ['configure', '--allow-http', '--base-url', cluster.wsUrl],
      {
        ACD_WHATSAPP_TYNTEC_URL: `${cluster.tyntecUrl}/chat-api/v2/messages`,
        SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: cluster.secret('whatsapp-webhook-secret'),
      },
    );
    await anna.setStatus(1);
    // Vera's chat ends: Anna has room for the WhatsApp chat.
    await anna.tab('Vera').click();
    await anna.panel.getByRole('button', { name: 'Close chat' }).click();
    await anna.panel.getByRole('button', { name: 'Close tab' }).click();

    const inbound = (content: unknown) =>
      fake('inbound', { from: CUSTOMER, to: BUSINESS, content, whatsapp: { senderName: 'Wanda' } });
    await inbound({ contentType: 'text', text: 'Hello from WhatsApp' });
    const offer = anna.offer('Wanda');
    await expectText(offer.locator('.offer-details'), /^WhatsApp · wa-shop · /, 30_000);
    await anna.page.getByRole('button', { name: 'Accept the chat with Wanda' }).click();

    await fake('media', { mediaId: 'e2e-photo', contentType: 'image/png', base64: PNG.toString('base64') });
    await inbound({
      contentType: 'media',
      media: { type: 'image', mediaId: 'e2e-photo', caption: 'my parcel' },
    });
    await fake('media', {
      mediaId: 'e2e-invoice',
      contentType: 'application/pdf',
      base64: PDF.toString('base64'),
    });
    await inbound({ contentType: 'media', media: { type: 'document', mediaId: 'e2e-invoice' } });

    const transcript = anna.panel.locator('.transcript');
    const thumbnail = transcript.locator('img.media-thumbnail');
    await thumbnail.waitFor({ state: 'visible', timeout: 30_000 });
    const source = (await thumbnail.getAttribute('src'))!;
    expect(source).toMatch(new RegExp(`^${consoleUrl}/whatsapp/media/[a-f0-9]{32}\\.png$`));
    await eventually('the thumbnail loaded', () =>
      thumbnail.evaluate((image: { naturalWidth: number }) => image.naturalWidth === 2),
    );
    await expect(thumbnail.getAttribute('alt')).resolves.toBe('Image: my parcel');
    const [opened] = await Promise.all([anna.context.waitForEvent('page'), thumbnail.click()]);
    await opened.waitForLoadState();
    expect(opened.url()).toBe(source);
    await opened.close();
    const invoice = transcript.locator('a.media--file');
    await expectText(invoice, `document · application/pdf · ${Math.round(PDF.length / 1024)} KB`, 30_000);
    expect(await invoice.getAttribute('href')).toMatch(
      new RegExp(`^${consoleUrl}/whatsapp/media/[a-f0-9]{32}\\.pdf$`),
    );

    await anna.reply('Wanda').fill('Is this the one?');
    await anna.panel
      .locator('input[type="file"]')
      .setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: PNG });
    await transcript.locator('.line--own img.media-thumbnail').waitFor({ state: 'visible', timeout: 30_000 });
    await expectText(transcript.locator('.line--own .media-caption'), 'Is this the one?');
    await eventually(
      'the attachment reached TynTec',
      async () => {
        const { sent } = (await fake('sent')) as {
          sent: Array<{ request: { to: string; whatsapp: { media?: { type: string; caption?: string } } } }>;
        };
        return sent.some(
          (message) =>
            message.request.to === CUSTOMER &&
            message.request.whatsapp.media?.type === 'image' &&
            message.request.whatsapp.media.caption === 'Is this the one?',
        );
      },
      30_000,
    );
    await screenshot(anna.page, 'console-whatsapp');
  });

  it.each([
    ['a laptop', 1280, 720],
    ['a larger laptop', 1366, 768],
    ['a phone', 390, 844],
  ])('fits %s (%i×%i): nothing overflows sideways, the reply box is in view', async (_, width, height) => {
    await anna.page.setViewportSize({ width, height });
    await anna.tab('Omar').click();
    const { overflow, inView } = await layoutAt(anna.page, anna.reply('Omar'));
    expect({ overflow, inView }).toEqual({ overflow: 0, inView: true });
    // The widget on the same screen: its panel in view, nothing sideways.
    const omar = visitors.get('Omar')!;
    await omar.page.setViewportSize({ width, height });
    expect(await layoutAt(omar.page, omar.widget.getByLabel('Message'))).toEqual({
      overflow: 0,
      inView: true,
    });
    if (width < 500) {
      await screenshot(omar.page, 'widget-phone');
      await screenshot(anna.page, 'console-phone');
      await anna.page.setViewportSize(LAPTOP);
    }
  });
});
