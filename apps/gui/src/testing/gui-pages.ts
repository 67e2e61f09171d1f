import type { Type } from '@nestjs/common';
import { startMessengerNode, type MessengerNode } from '@switchboard/messaging/testing';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

// Shared by the Chromium suites of apps/gui: a messenger node serving the freshly built dist/gui,
// a browser, and waits on what the pages show.

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const AGENT = { username: 'anna', password: 'anna-secret-password', displayName: 'Anna' };
// Set GUI_SCREENSHOTS=<folder> to keep a screenshot of the widget and of the console.
export const screenshots = process.env.GUI_SCREENSHOTS;

/** A client-messenger node (with `alongside` modules) serving the freshly built dist/gui, the demo site and agent. */
async function startPages(
  dataDirectory: string,
  maxChats: number,
  alongside: Array<Type<unknown>> = [],
  environment: Record<string, string> = {},
) {
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'build.mjs')], { stdio: 'inherit' });
  const node = await startMessengerNode(
    { DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory', ...environment },
    alongside,
  );
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
export async function openPages(browser: Browser) {
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
export function servePages(
  maxChats: number,
  alongside: Array<Type<unknown>> = [],
  environment: Record<string, string> = {},
): { node: MessengerNode; browser: Browser } {
  const pages = {} as { node: MessengerNode; browser: Browser };
  let dataDirectory: string;
  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-gui-'));
    Object.assign(pages, await startPages(dataDirectory, maxChats, alongside, environment));
  });
  afterAll(async () => {
    await pages.browser?.close();
    await pages.node?.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });
  return pages;
}

/** Waits until the locator's text is exactly `text` (trimmed), then passes; else fails saying what it was. */
export async function expectText(locator: Locator, text: string): Promise<void> {
  await waitFor(async () => ((await locator.first().textContent()) ?? '').trim(), text);
}

/** Waits until the transcript shows exactly these line texts, in this order. */
export async function expectLines(lines: Locator, texts: string[]): Promise<void> {
  await waitFor(
    () => lines.evaluateAll((items) => items.map((item) => item.querySelector('.text')?.textContent ?? '')),
    texts,
  );
}

export async function waitFor<TValue>(
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

export function sequences(items: Element[]): number[] {
  return items.map((item) => Number(item.getAttribute('data-sequence')));
}

export async function saveScreenshots(visitor: Page, agent: Page, name: string): Promise<void> {
  mkdirSync(screenshots!, { recursive: true });
  await visitor.screenshot({ path: join(screenshots!, `${name}-widget.png`) });
  await agent.screenshot({ path: join(screenshots!, `${name}-console.png`) });
}

/** Logs the agent in on the console and sets the Chat status. */
export async function logIn(agent: Page, url: string): Promise<void> {
  await agent.goto(`${url}/gui/console/`);
  await agent.getByLabel('Username').fill(AGENT.username);
  await agent.getByLabel('Password').fill(AGENT.password);
  await agent.getByRole('button', { name: 'Log in' }).click();
  await agent.getByLabel('Status').selectOption('1');
}

/** A visitor on the demo page who starts a chat under `name` (the widget opened, the pre-chat form sent). */
export async function startVisitorChat(browser: Browser, url: string, name: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const widget = page.locator('#switchboard-widget');
  await page.goto(`${url}/gui/demo.html`);
  await widget.getByRole('button', { name: 'Chat with us' }).click();
  await widget.getByLabel('Name').fill(name);
  await widget.getByRole('button', { name: 'Start chat' }).click();
  return { context, page, widget };
}

/** Waits until `read` passes `check` (a polled condition), else fails with the last value. */
export async function waitUntil<TValue>(
  read: () => Promise<TValue>,
  check: (value: TValue) => boolean,
  timeoutMs = 10_000,
): Promise<TValue> {
  const deadline = Date.now() + timeoutMs;
  let actual = await read();
  while (!check(actual) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    actual = await read();
  }
  expect({ value: actual, passed: check(actual) }).toEqual({ value: actual, passed: true });
  return actual;
}
