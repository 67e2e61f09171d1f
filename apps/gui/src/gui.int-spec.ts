import type { Type } from '@nestjs/common';
import { startMessengerNode, type MessengerNode } from '@switchboard/messaging/testing';
import { RoutingModule } from '@switchboard/routing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AGENT = { username: 'anna', password: 'anna-secret-password', displayName: 'Anna' };
// Set GUI_SCREENSHOTS=<folder> to keep a screenshot of the widget and of the console.
const screenshots = process.env.GUI_SCREENSHOTS;

jest.setTimeout(60_000);

/** A client-messenger node (with `alongside` modules) serving the freshly built dist/gui, the demo site and agent. */
async function startPages(dataDirectory: string, maxChats: number, alongside: Array<Type<unknown>> = []) {
  execFileSync(process.execPath, [join(__dirname, '..', 'build.mjs')], { stdio: 'inherit' });
  const node = await startMessengerNode({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' }, alongside);
  await node.repositories.sites.create({ siteKey: 'demo', name: 'Demo site', domain: 'localhost' });
  // A supervisor: the console's 'Lift block' needs the role (chat:unblock answers FORBIDDEN to an agent).
  await node.repositories.operators.create({ ...AGENT, maxChats, role: 'supervisor' });
  // Playwright gives each launch a fresh temporary profile (it refuses --user-data-dir with launch()).
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return { node, browser };
}

/** A visitor and an agent, each in their own browser context; page errors are collected. */
async function openPages(browser: Browser) {
  const visitorContext = await browser.newContext();
  const agentContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  const problems: string[] = [];
  for (const page of [visitor, agent]) page.on('pageerror', (error) => problems.push(error.message));
  return {
    visitorContext,
    agentContext,
    visitor,
    agent,
    widget: visitor.locator('#switchboard-widget'),
    problems,
  };
}

/** Starts the pages before the suite (`beforeAll`) and stops everything after it (`afterAll`). */
function servePages(
  maxChats: number,
  alongside: Array<Type<unknown>> = [],
): { node: MessengerNode; browser: Browser } {
  const pages = {} as { node: MessengerNode; browser: Browser };
  let dataDirectory: string;
  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-gui-'));
    Object.assign(pages, await startPages(dataDirectory, maxChats, alongside));
  });
  afterAll(async () => {
    await pages.browser?.close();
    await pages.node?.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });
  return pages;
}

// The client-messenger service as it runs in every mode, serving the freshly built dist/gui, driven
// by a real Chromium: a visitor on the demo page, an agent in the console, in two browser contexts.
describe('the chat widget and the agent console in Chromium', () => {
  const pages = servePages(3);

  describe('serving /gui/', () => {
    it('serves the pages and scripts with their content types and cache headers', async () => {
      const demo = await fetch(`${pages.node.url}/gui/demo.html`);
      expect(demo.status).toBe(200);
      expect(demo.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await demo.text()).toContain('data-site-key="demo"');
      const widget = await fetch(`${pages.node.url}/gui/widget.js`);
      expect(widget.headers.get('content-type')).toMatch(/javascript/);
      expect(widget.headers.get('cache-control')).toBe('public, max-age=300');
      expect(widget.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${pages.node.url}/gui/console/`)).status).toBe(200);
    });

    it('answers config.json from the live parameters', async () => {
      const config = await fetch(`${pages.node.url}/gui/config.json`);
      expect(config.headers.get('cache-control')).toBe('no-cache');
      expect(await config.json()).toEqual({
        scriptLibraryUrl: 'http://localhost:3000/gui/',
        serverBaseUrl: 'ws://localhost:3000',
      });
    });

    it('redirects folders to their slash form', async () => {
      for (const [path, location] of [
        ['/gui', 'gui/'],
        ['/gui/console', 'console/'],
      ]) {
        const response = await fetch(`${pages.node.url}${path}`, { redirect: 'manual' });
        expect([response.status, response.headers.get('location')]).toEqual([301, location]);
      }
    });

    it.each([
      '/gui/..%2Fpackage.json',
      '/gui/%2e%2e/%2e%2e/package.json',
      '/gui/..%5c..%5cpackage.json',
      '/gui/.tsbuildinfo',
      '/gui/console/..%2F..%2F..%2Fpackage.json',
      '/gui/missing.js',
      '/gui/widget.ts',
    ])('refuses %s with 404', async (path) => {
      expect((await fetch(`${pages.node.url}${path}`)).status).toBe(404);
    });
  });

  it('carries a chat between the demo page and the console; offline, reload and close show each line once', async () => {
    const { visitorContext, agentContext, visitor, agent, widget, problems } = await openPages(pages.browser);

    await visitor.goto(`${pages.node.url}/gui/demo.html`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await widget.getByLabel('Name').fill('Vera');
    await widget.getByLabel('Email').fill('vera@example.com');
    await widget.getByRole('button', { name: 'Start chat' }).click();
    await expectText(widget.locator('.status'), 'Waiting for an agent…');

    await agent.goto(`${pages.node.url}/gui/console/`);
    await agent.getByLabel('Username').fill(AGENT.username);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Log in' }).click();
    await agent.getByLabel('Status').selectOption('1');
    await agent.getByRole('button', { name: 'Pick up the chat with Vera' }).click();
    await expectText(widget.locator('.notice'), 'Anna joined the chat');
    await expectText(widget.locator('.status'), 'Chatting with Anna');
    await expectText(agent.locator('.waiting h2'), 'Waiting (0)');

    await widget.getByLabel('Message').fill('Hello, where is my order?');
    await widget.getByLabel('Message').press('Enter');
    await expectLines(agent.locator('.transcript .line'), ['Hello, where is my order?']);

    const reply = agent.getByLabel('Reply to Vera');
    await reply.pressSequentially('Let me check');
    await expectText(widget.locator('.typing'), 'Anna is typing…');
    await reply.press('Enter');
    await expectLines(widget.locator('.transcript .line'), ['Hello, where is my order?', 'Let me check']);
    await expectText(agent.locator('.chat-panel .typing'), '');

    await widget.getByLabel('Message').pressSequentially('Thanks');
    await expectText(agent.locator('.chat-panel .typing'), 'Vera is typing…');
    await widget.getByLabel('Message').press('Enter');
    const earlier = ['Hello, where is my order?', 'Let me check', 'Thanks'];
    await expectLines(agent.locator('.transcript .line'), earlier);
    if (screenshots) await saveScreenshots(visitor, agent, 'chat');

    // Offline: the line waits as "sending"; back online, socket.io reconnects, the widget rejoins
    // and resends it with the same clientMessageId: the agent gets it once.
    await visitorContext.setOffline(true);
    await expectText(widget.locator('.status'), 'Reconnecting…');
    await widget.getByLabel('Message').fill('Are you there?');
    await widget.getByLabel('Message').press('Enter');
    await expectText(widget.locator('.line--pending .text'), 'Are you there?');
    await visitorContext.setOffline(false);
    await expectText(widget.locator('.status'), 'Chatting with Anna');
    await expectLines(agent.locator('.transcript .line'), [...earlier, 'Are you there?']);

    await visitor.reload();
    await expectText(widget.locator('.status'), 'Chatting with Anna');
    await agent.getByLabel('Reply to Vera').fill('It ships today');
    await agent.getByLabel('Reply to Vera').press('Enter');
    const transcript = [...earlier, 'Are you there?', 'It ships today'];
    await expectLines(widget.locator('.transcript .line'), transcript);
    await expect(widget.locator('.transcript .line').evaluateAll(sequences)).resolves.toEqual([
      1, 2, 3, 4, 5,
    ]);

    await agent.getByRole('button', { name: 'Close chat' }).click();
    await expectText(widget.locator('.status'), 'The chat has ended.');
    await expect(widget.getByRole('button', { name: 'Start a new chat' }).isVisible()).resolves.toBe(true);
    await expectLines(widget.locator('.transcript .line'), transcript);
    await agent.getByRole('button', { name: 'Close tab' }).click();
    await expectText(agent.locator('.empty'), 'No open chats. Pick one up from the waiting list.');
    expect(problems).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  });
});

// The same pages with the routing service in the process (as in the embedded mode): chats are offered.
describe('the widget and the console with routing', () => {
  const pages = servePages(1, [RoutingModule]);

  it('tells a visitor nobody can take the chat (OF), then offers the next chat to the agent, who accepts it', async () => {
    const { visitorContext, agentContext, visitor, agent, widget, problems } = await openPages(pages.browser);
    const startChat = async () => {
      await widget.getByLabel('Name').fill('Vera');
      await widget.getByRole('button', { name: 'Start chat' }).click();
    };

    await visitor.goto(`${pages.node.url}/gui/demo.html`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await startChat();
    await expectText(
      widget.locator('.notice'),
      'Nobody is available to chat right now. Please try again later.',
    );

    await agent.goto(`${pages.node.url}/gui/console/`);
    await agent.getByLabel('Username').fill(AGENT.username);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Log in' }).click();
    await agent.getByLabel('Status').selectOption('1');
    await widget.getByRole('button', { name: 'Start a new chat' }).click();
    await startChat();
    await agent.getByRole('button', { name: 'Accept the chat with Vera' }).click();
    await expectText(widget.locator('.status'), 'Chatting with Anna');

    // BX: the agent blocks the visitor (the console asks for a reason); the chat ends for both.
    agent.once('dialog', (dialog) => void dialog.accept('spam'));
    await agent.getByRole('button', { name: 'Block visitor' }).click();
    await widget.getByRole('button', { name: 'Start a new chat' }).waitFor({ state: 'visible' });
    const blocks = await pages.node.repositories.blockedVisitors.listActive();
    expect(blocks).toEqual([expect.objectContaining({ reason: 'spam', blockedBy: AGENT.username })]);
    // A block by mistake is lifted from the ended chat's tab.
    await agent.getByRole('button', { name: 'Lift block' }).click();
    await agent.getByRole('button', { name: 'Lift block' }).waitFor({ state: 'hidden' });
    const deadline = Date.now() + 5000;
    while ((await pages.node.repositories.blockedVisitors.listActive()).length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await pages.node.repositories.blockedVisitors.listActive()).toEqual([]);
    expect(problems).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  });
});

/** Waits until the locator's text is exactly `text` (trimmed), then passes; else fails saying what it was. */
async function expectText(locator: Locator, text: string): Promise<void> {
  await waitFor(async () => ((await locator.first().textContent()) ?? '').trim(), text);
}

/** Waits until the transcript shows exactly these line texts, in this order. */
async function expectLines(lines: Locator, texts: string[]): Promise<void> {
  await waitFor(
    () => lines.evaluateAll((items) => items.map((item) => item.querySelector('.text')?.textContent ?? '')),
    texts,
  );
}

async function waitFor<TValue>(
  read: () => Promise<TValue>,
  expected: TValue,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (JSON.stringify(actual) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    actual = await read();
  }
  expect(actual).toEqual(expected);
}

function sequences(items: Element[]): number[] {
  return items.map((item) => Number(item.getAttribute('data-sequence')));
}

async function saveScreenshots(visitor: Page, agent: Page, name: string): Promise<void> {
  mkdirSync(screenshots!, { recursive: true });
  await visitor.screenshot({ path: join(screenshots!, `${name}-widget.png`) });
  await agent.screenshot({ path: join(screenshots!, `${name}-console.png`) });
}
