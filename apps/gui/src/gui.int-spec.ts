import { RoutingModule } from '@switchboard/routing';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  AGENT,
  expectLines,
  expectText,
  logIn,
  openPages,
  saveScreenshots,
  screenshots,
  sequences,
  servePages,
} from './testing/gui-pages';

jest.setTimeout(60_000);

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

    it('serves text files compressed by Accept-Encoding (brotli, else gzip) and no source map', async () => {
      const plain = await rawGet(`${pages.node.url}/gui/widget.js`, undefined);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers.vary).toBe('Accept-Encoding');
      expect(plain.body.toString()).not.toContain('sourceMappingURL');
      const brotli = await rawGet(`${pages.node.url}/gui/widget.js`, 'gzip, deflate, br');
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotli.headers['content-type']).toMatch(/javascript/);
      expect(brotli.body.length).toBeLessThan(plain.body.length / 2);
      expect(brotliDecompressSync(brotli.body).equals(plain.body)).toBe(true);
      const gzip = await rawGet(`${pages.node.url}/gui/console/console.css`, 'gzip');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gzip.headers['content-type']).toMatch(/^text\/css/);
      expect(gunzipSync(gzip.body).toString()).toContain('.toast');
      for (const path of ['/gui/widget.js.map', '/gui/console/console.js.map', '/gui/widget.js.br'])
        expect((await fetch(`${pages.node.url}${path}`)).status).toBe(404);
    });

    it('answers config.json from the live parameters', async () => {
      const config = await fetch(`${pages.node.url}/gui/config.json`);
      expect(config.headers.get('cache-control')).toBe('no-cache');
      expect(await config.json()).toEqual({
        scriptLibraryUrl: 'http://localhost:3000/gui/',
        serverBaseUrl: 'ws://localhost:3000',
        lineMaxLength: 4096,
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

  it('widget: one start for a double click, the server line limit, safe links, an unread badge when folded', async () => {
    const { visitorContext, agentContext, visitor, agent, widget, problems } = await openPages(pages.browser);
    await visitor.goto(`${pages.node.url}/gui/demo.html`);
    await widget.getByRole('button', { name: 'Chat with us' }).click();
    await widget.getByLabel('Name').fill('Wendy');
    // Two clicks in one go: the second finds the button disabled while the first start is pending.
    const disabledBetween = await visitor.evaluate(() => {
      const button = document
        .querySelector('#switchboard-widget')!
        .shadowRoot!.querySelector<HTMLButtonElement>('.prechat button[type="submit"]')!;
      button.click();
      const disabled = button.disabled;
      button.click();
      return disabled;
    });
    expect(disabledBetween).toBe(true);
    await expectText(widget.locator('.status'), 'Waiting for an agent…');
    await expect(widget.getByLabel('Message').getAttribute('maxlength')).resolves.toBe('4096');

    await logIn(agent, pages.node.url);
    await expect(agent.getByRole('button', { name: 'Pick up the chat with Wendy' }).count()).resolves.toBe(1);
    await agent.getByRole('button', { name: 'Pick up the chat with Wendy' }).click();
    await expectText(widget.locator('.status'), 'Chatting with Anna');
    const risky =
      'See https://example.com/help?a=1 or <b>bold</b> <img src=x onerror=alert(1)> javascript:alert(1)';
    await agent.getByLabel('Reply to Wendy').fill(risky);
    await agent.getByLabel('Reply to Wendy').press('Enter');
    await expectLines(widget.locator('.transcript .line'), [risky]);
    const line = widget.locator('.transcript .line .text').first();
    await expect(
      line
        .locator('a')
        .evaluateAll((links) =>
          links.map((link) => [
            link.getAttribute('href'),
            link.getAttribute('rel'),
            link.getAttribute('target'),
          ]),
        ),
    ).resolves.toEqual([['https://example.com/help?a=1', 'noopener noreferrer', '_blank']]);
    await expect(line.locator('b, img').count()).resolves.toBe(0);

    await widget.getByRole('button', { name: 'Minimise chat' }).click();
    for (const text of ['Are you still there?', 'I can help now']) {
      await agent.getByLabel('Reply to Wendy').fill(text);
      await agent.getByLabel('Reply to Wendy').press('Enter');
    }
    const launcher = widget.locator('.launcher');
    await expectText(launcher.locator('.badge'), '2');
    await expect(launcher.getAttribute('aria-label')).resolves.toBe('Chat with us (2 unread)');
    await launcher.click();
    await expect(launcher.locator('.badge').isHidden()).resolves.toBe(true);
    await agent.getByRole('button', { name: 'Close chat' }).click();
    await widget.getByRole('button', { name: 'Start a new chat' }).waitFor({ state: 'visible' });
    await expectText(widget.locator('.error'), '');
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

/** A GET with exactly this Accept-Encoding (fetch would add its own and decode): headers and raw bytes. */
function rawGet(url: string, acceptEncoding: string | undefined) {
  return new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const headers = acceptEncoding ? { 'Accept-Encoding': acceptEncoding } : {};
      request(url, { headers }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      })
        .on('error', reject)
        .end();
    },
  );
}
