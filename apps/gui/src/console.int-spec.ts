import { RoutingModule } from '@switchboard/routing';
import type { Page } from 'playwright-core';
import {
  AGENT,
  expectLines,
  expectText,
  logIn,
  servePages,
  startVisitorChat,
  waitUntil,
} from './testing/gui-pages';

jest.setTimeout(90_000);

// Records what the console asks of the browser's attention: every desktop notification (the
// context granted the permission) and every tone started.
const ATTENTION_HOOKS = () => {
  const recorded = { notifications: [] as Array<{ title: string; body: string }>, tones: 0 };
  (window as unknown as { attention: typeof recorded }).attention = recorded;
  const original = window.Notification;
  class RecordedNotification {
    static get permission(): NotificationPermission {
      return original.permission;
    }
    static requestPermission(): Promise<NotificationPermission> {
      return original.requestPermission();
    }
    onclick: (() => void) | null = null;
    constructor(title: string, options?: NotificationOptions) {
      recorded.notifications.push({ title, body: options?.body ?? '' });
    }
    close(): void {}
  }
  (window as unknown as { Notification: unknown }).Notification = RecordedNotification;
  const start = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
    recorded.tones += 1;
    return start.call(this, when);
  };
};

type Recorded = { notifications: Array<{ title: string; body: string }>; tones: number };
const recorded = (agent: Page) =>
  agent.evaluate(() => (window as unknown as { attention: Recorded }).attention);

// The agent console in Chromium against a messenger node with routing in the process (chats are
// offered): what makes an agent notice offers and lines, where errors show, the line limit, a new log-in.
describe('the agent console in Chromium', () => {
  // Three lines per 10 s on a connection: the fourth is refused (RATE_LIMITED) in the errors test.
  const pages = servePages(5, [RoutingModule], { ACD_CHAT_RATELIMIT_SEND_PER10SECONDS: '3' });

  it('notices offers and new lines: tone, desktop notification, title badge, unread count per tab, countdown and first line', async () => {
    const agentContext = await pages.browser.newContext({ permissions: ['notifications'] });
    await agentContext.addInitScript(ATTENTION_HOOKS);
    const agent = await agentContext.newPage();
    const problems: string[] = [];
    agent.on('pageerror', (error) => problems.push(error.message));
    await logIn(agent, pages.node.url);
    await expect(agent.title()).resolves.toBe('Switchboard console');
    // The permission is granted already: nothing to ask.
    await expect(agent.getByRole('button', { name: 'Enable notifications' }).isHidden()).resolves.toBe(true);

    const vera = await startVisitorChat(pages.browser, pages.node.url, 'Vera');
    const offer = agent.locator('.waiting-list li.offer');
    await expectText(offer.locator('strong'), 'Vera');
    await waitUntil(
      () => offer.locator('.offer-details').textContent(),
      (text) => /^Web · demo · since .+ · waiting \d+ s$/.test(text ?? ''),
    );
    // Routing's accept timeout is 20 s: the countdown starts near it and goes down.
    const left = async () =>
      Number(/^(\d+) s left$/.exec((await offer.locator('.countdown').textContent()) ?? '')?.[1]);
    const first = await waitUntil(left, (seconds) => seconds > 10 && seconds <= 20);
    await waitUntil(left, (seconds) => seconds < first);
    await expectText(offer.locator('.first-line'), 'No message yet');
    await vera.widget.getByLabel('Message').fill('Where is my parcel?');
    await vera.widget.getByLabel('Message').press('Enter');
    await expectText(offer.locator('.first-line'), 'Where is my parcel?');
    await waitUntil(
      () => agent.title(),
      (title) => title === '(1) Switchboard console',
    );
    const noticed = await recorded(agent);
    expect(noticed.notifications).toEqual([{ title: 'New chat: Vera', body: 'demo' }]);
    expect(noticed.tones).toBeGreaterThanOrEqual(1);
    await expectText(agent.locator('[aria-live="polite"].visually-hidden'), 'New chat offered: Vera on demo');

    await agent.getByRole('button', { name: 'Accept the chat with Vera' }).click();
    await expectText(vera.widget.locator('.status'), 'Chatting with Anna');
    await waitUntil(
      () => agent.title(),
      (title) => title === 'Switchboard console',
    );

    const otto = await startVisitorChat(pages.browser, pages.node.url, 'Otto');
    await agent.getByRole('button', { name: 'Accept the chat with Otto' }).click();
    await expectText(otto.widget.locator('.status'), 'Chatting with Anna');
    // Otto's tab is shown: Vera's two new lines count on her tab and in the title.
    const tones = (await recorded(agent)).tones;
    for (const text of ['Hello?', 'Anyone there?']) {
      await vera.widget.getByLabel('Message').fill(text);
      await vera.widget.getByLabel('Message').press('Enter');
    }
    const veraTab = agent.getByRole('tab', { name: /^Vera/ });
    await expectText(veraTab.locator('.unread'), '2');
    await expect(veraTab.locator('.unread').getAttribute('aria-label')).resolves.toBe('2 unread');
    await waitUntil(
      () => agent.title(),
      (title) => title === '(2) Switchboard console',
    );
    expect((await recorded(agent)).tones).toBeGreaterThanOrEqual(tones + 2);
    // Lines in the tab on show count for nothing.
    await otto.widget.getByLabel('Message').fill('Hi');
    await otto.widget.getByLabel('Message').press('Enter');
    await expectLines(agent.locator('.chat-panel:not([hidden]) .transcript .line'), ['Hi']);
    await expect(agent.getByRole('tab', { name: /^Otto/ }).locator('.unread').isHidden()).resolves.toBe(true);

    await veraTab.click();
    await expectLines(agent.locator('.chat-panel:not([hidden]) .transcript .line'), [
      'Where is my parcel?',
      'Hello?',
      'Anyone there?',
    ]);
    await expect(veraTab.locator('.unread').isHidden()).resolves.toBe(true);
    await waitUntil(
      () => agent.title(),
      (title) => title === 'Switchboard console',
    );
    expect(problems).toEqual([]);
    for (const context of [vera.context, otto.context, agentContext]) await context.close();
  });

  it('checks the line limit before sending, shows a refusal at the top and keeps the refused line; a new log-in shows the held chats', async () => {
    const agentContext = await pages.browser.newContext({ viewport: { width: 1024, height: 640 } });
    const agent = await agentContext.newPage();
    await logIn(agent, pages.node.url);
    const nina = await startVisitorChat(pages.browser, pages.node.url, 'Nina');
    await agent.getByRole('button', { name: 'Accept the chat with Nina' }).click();
    const reply = agent.getByLabel('Reply to Nina');
    const panel = agent.locator('.chat-panel:not([hidden])');
    const send = panel.getByRole('button', { name: 'Send' });

    // ACD.Chat.Line.MaxLength (4,096) from config.json: a longer line cannot be sent.
    await reply.fill('x'.repeat(4097));
    await expectText(panel.locator('.counter'), '4097 / 4096 · Too long: at most 4096 characters.');
    await expect(send.isDisabled()).resolves.toBe(true);
    await reply.press('Enter');
    await expect(reply.inputValue()).resolves.toHaveLength(4097);
    await reply.fill('x'.repeat(4096));
    await expectText(panel.locator('.counter'), '4096 / 4096');
    await expect(send.isEnabled()).resolves.toBe(true);

    // The fourth line in 10 s is refused: the error shows in view, the line goes back to the box.
    const sent = ['One', 'Two', 'Three'];
    for (const text of sent) {
      await reply.fill(text);
      await reply.press('Enter');
      await expectText(reply, '');
    }
    await expectLines(nina.widget.locator('.transcript .line'), sent);
    await reply.fill('Four');
    await reply.press('Enter');
    const toast = agent.getByRole('alert');
    await toast.waitFor({ state: 'visible' });
    expect(await toast.textContent()).toMatch(/too many|rate|slow down|try again/i);
    const box = (await toast.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    await expect(reply.inputValue()).resolves.toBe('Four');
    await expectLines(panel.locator('.transcript .line'), sent);
    await toast.getByRole('button', { name: 'Dismiss' }).click();
    await toast.waitFor({ state: 'hidden' });

    // Log out and in again in the same tab (no reload): Nina's chat is back with its lines.
    await agent.getByRole('button', { name: 'Log out' }).click();
    await agent.getByLabel('Username').fill(AGENT.username);
    await agent.getByLabel('Password').fill(AGENT.password);
    await agent.getByRole('button', { name: 'Log in' }).click();
    await agent.getByRole('tab', { name: /^Nina/ }).click();
    await expectLines(agent.locator('.chat-panel:not([hidden]) .transcript .line'), sent);
    for (const context of [nina.context, agentContext]) await context.close();
  });
});
