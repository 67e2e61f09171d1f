import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

// Pages of the browser suite against the local cluster: Debian's Chromium, an agent's console and a
// visitor's demo page, each in its own context (own cookies, storage and HAProxy stickiness).

/** What the page functions below read in Chromium (this suite compiles without the DOM types). */
export interface InBrowser {
  readonly document: { readonly documentElement: { readonly scrollWidth: number } };
  readonly innerWidth: number;
  getComputedStyle(element: unknown): { readonly direction: string };
}

/** The text direction Chromium lays each element out in (`ltr`, `rtl`). */
export function directions(elements: Locator): Promise<string[]> {
  return elements.evaluateAll((all: unknown[]) =>
    all.map((each) => (globalThis as unknown as InBrowser).getComputedStyle(each).direction),
  );
}

/** Where the suite writes the screenshots docs/gui.md shows (fixed names, rewritten by every run). */
export const SCREENSHOTS = resolve(__dirname, '..', '..', 'docs', 'images');
export const LAPTOP = { width: 1280, height: 720 };

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
}

export interface Operator {
  readonly username: string;
  readonly password: string;
  readonly displayName: string;
}

/** A console in its own context; `pageErrors` collects the page's uncaught errors. */
export class ConsolePage {
  readonly pageErrors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly baseUrl: string,
    readonly operator: Operator,
  ) {
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
  }

  static async open(browser: Browser, baseUrl: string, operator: Operator): Promise<ConsolePage> {
    const context = await browser.newContext({ viewport: LAPTOP });
    return new ConsolePage(context, await context.newPage(), baseUrl, operator);
  }

  async logIn(): Promise<void> {
    if (!this.page.url().includes('/gui/console/')) await this.page.goto(`${this.baseUrl}/gui/console/`);
    await this.page.getByLabel('Username').fill(this.operator.username);
    await this.page.getByLabel('Password').fill(this.operator.password);
    await this.page.getByRole('button', { name: 'Log in' }).click();
    await this.page.getByLabel('Status').waitFor({ state: 'visible' });
  }

  async setStatus(status: 0 | 1 | 2 | 3): Promise<void> {
    await this.page.getByLabel('Status').selectOption(String(status));
  }

  /** The chat panel on show. */
  get panel(): Locator {
    return this.page.locator('.chat-panel:not([hidden])');
  }

  offer(visitorName: string): Locator {
    return this.page.locator('.waiting-list li', { has: this.page.getByText(visitorName, { exact: true }) });
  }

  reply(visitorName: string): Locator {
    return this.page.getByLabel(`Reply to ${visitorName}`);
  }

  async say(visitorName: string, text: string): Promise<void> {
    await this.tab(visitorName).click();
    await this.reply(visitorName).fill(text);
    await this.reply(visitorName).press('Enter');
  }

  tab(visitorName: string): Locator {
    return this.page.getByRole('tab', { name: new RegExp(`^${visitorName}`) });
  }
}

/** A visitor on a page that embeds the widget (the demo page unless `path` names another). */
export class VisitorPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
  ) {}

  /** The demo page of `baseUrl`, or a page of `siteKey` that embeds the widget as a site does. */
  static async open(browser: Browser, baseUrl: string, siteKey = 'demo'): Promise<VisitorPage> {
    const context = await browser.newContext({ viewport: LAPTOP });
    const page = await context.newPage();
    if (siteKey === 'demo') await page.goto(`${baseUrl}/gui/demo.html`);
    else {
      const url = `${baseUrl}/gui/site-${siteKey}.html`;
      await page.route(url, (route) =>
        route.fulfill({
          contentType: 'text/html',
          body: `<!doctype html><title>${siteKey}</title><script src="${baseUrl}/gui/widget.js" data-site-key="${siteKey}" async></script>`,
        }),
      );
      await page.goto(url);
    }
    return new VisitorPage(context, page);
  }

  get widget(): Locator {
    return this.page.locator('#switchboard-widget');
  }

  async start(name: string): Promise<void> {
    if (!(await this.widget.locator('.panel').isVisible()))
      await this.widget.getByRole('button', { name: /^Chat with us/ }).click();
    const again = this.widget.getByRole('button', { name: 'Start a new chat' });
    if (await again.isVisible()) await again.click();
    await this.widget.getByLabel('Name').fill(name);
    await this.widget.getByRole('button', { name: 'Start chat' }).click();
  }

  async say(text: string): Promise<void> {
    await this.widget.getByLabel('Message').fill(text);
    await this.widget.getByLabel('Message').press('Enter');
  }
}

/** Polls the locator's trimmed text until `expected` matches it (a string exactly); fails showing the last text. */
export async function expectText(
  locator: Locator,
  expected: string | RegExp,
  timeoutMs = 15_000,
): Promise<void> {
  const matches = (text: string) => (typeof expected === 'string' ? text === expected : expected.test(text));
  const deadline = Date.now() + timeoutMs;
  let text = '';
  for (;;) {
    text = (
      (await locator
        .first()
        .textContent({ timeout: 1000 })
        .catch(() => null)) ?? ''
    ).trim();
    if (matches(text) || Date.now() > deadline) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  if (typeof expected === 'string') expect(text).toBe(expected);
  else expect(text).toMatch(expected);
}

/** The texts of the transcript's lines, in order. */
export function lineTexts(transcript: Locator): Promise<string[]> {
  return transcript
    .locator('.line .text')
    .evaluateAll((texts: Array<{ textContent: string | null }>) =>
      texts.map((text) => text.textContent ?? ''),
    );
}

/** Polls until the transcript shows exactly `expected`. */
export async function expectLines(
  transcript: Locator,
  expected: string[],
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let texts = await lineTexts(transcript);
  while (JSON.stringify(texts) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((done) => setTimeout(done, 100));
    texts = await lineTexts(transcript);
  }
  expect(texts).toEqual(expected);
}

/** Writes `<name>.png` for docs/gui.md. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** What overflows the page sideways at its viewport, and whether `box` is wholly in view. */
export async function layoutAt(page: Page, box: Locator) {
  const overflow = await page.evaluate(() => {
    const { document, innerWidth } = globalThis as unknown as InBrowser;
    return document.documentElement.scrollWidth - innerWidth;
  });
  const viewport = page.viewportSize()!;
  const bounds = await box.boundingBox();
  const inView =
    bounds !== null &&
    bounds.x >= 0 &&
    bounds.y >= 0 &&
    bounds.x + bounds.width <= viewport.width &&
    bounds.y + bounds.height <= viewport.height;
  return { overflow, inView };
}
