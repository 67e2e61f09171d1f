import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseDeliveryWebhook, webhookConfiguration } from '@switchboard/protocol';
import { FakeTyntec } from './fake-tyntec';

const API_KEY = 'k-123';
const TEXT = {
  to: '12331132',
  channels: ['whatsapp'],
  whatsapp: { from: '1233423454', contentType: 'text', text: 'hi!' },
};

/** A connector stand-in: records bodies per path, answers `statusFor(path)`. */
async function startReceiver(statusFor: (path: string) => number = () => 200) {
  const received: { path: string; body: unknown }[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      received.push({ path, body: JSON.parse(Buffer.concat(chunks).toString()) as unknown });
      response.writeHead(statusFor(path)).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { received, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('FakeTyntec', () => {
  let fake: FakeTyntec;
  let api: string;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let receiverStatus = 200;
  const call = (method: string, path: string, body?: unknown, apikey: string | null = API_KEY) =>
    fetch(`${api}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(apikey === null ? {} : { apikey }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const configureWebhooks = () => {
    const https = webhookConfiguration('https://connector.example', 's');
    return call('PATCH', '/chat-api/v2/applications/default', {
      webhooks: https.webhooks.map((webhook) => ({
        ...webhook,
        callbackUrl: webhook.callbackUrl.replace('https://connector.example', receiver.url),
      })),
    });
  };
  const statusesOf = (messageId: string) =>
    receiver.received
      .filter((entry) => entry.path === '/delivery')
      .map((entry) => parseDeliveryWebhook(entry.body))
      .flatMap((result) =>
        result.kind === 'status' && result.status.messageId === messageId ? [result.status.status] : [],
      );

  beforeEach(async () => {
    receiverStatus = 200;
    receiver = await startReceiver(() => receiverStatus);
    fake = new FakeTyntec({ apiKey: API_KEY, allowHttpCallbacks: true, retryDelayMs: 5, statusDelayMs: 1 });
    api = await fake.start({ port: 0 });
    expect((await configureWebhooks()).status).toBe(204);
  });

  afterEach(async () => {
    await fake.stop();
    await receiver.close();
  });

  it('accepts a send with 202 and posts accepted, delivered, seen to /delivery', async () => {
    const response = await call('POST', '/chat-api/v2/messages', {
      ...TEXT,
      context: { userContext: 'line-7' },
    });
    expect(response.status).toBe(202);
    const { messageId } = (await response.json()) as { messageId: string };
    await fake.settled();
    expect(statusesOf(messageId)).toEqual(['accepted', 'delivered', 'seen']);
    expect(receiver.received[0].body).toMatchObject({ userContext: 'line-7' });
  });

  it.each([
    ['without', null],
    ['with a wrong', 'nope'],
  ])('answers 401 problem+json %s apikey', async (_name, apikey) => {
    const response = await call('POST', '/chat-api/v2/messages', TEXT, apikey);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 400 problem+json naming the field of an invalid send', async () => {
    const response = await call('POST', '/chat-api/v2/messages', {
      ...TEXT,
      whatsapp: { ...TEXT.whatsapp, text: '' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toContain('whatsapp.text');
  });

  it('serves stored media and answers 404 problem+json for unknown media', async () => {
    fake.media.set('m1', { contentType: 'image/png', data: Buffer.from([1, 2, 3]) });
    const found = await call('GET', '/chat-api/v2/media/m1');
    expect(Buffer.from(await found.arrayBuffer())).toEqual(Buffer.from([1, 2, 3]));
    const missing = await call('GET', '/chat-api/v2/media/nope');
    expect([missing.status, missing.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
  });

  it('merges PATCHed webhooks by event type and answers them on GET', async () => {
    const moved = `${receiver.url}/other`;
    expect(
      (
        await call('PATCH', '/chat-api/v2/applications/default', {
          webhooks: [{ events: ['MessageStatus::seen'], callbackUrl: moved }],
        })
      ).status,
    ).toBe(204);
    const application = (await (
      await call('GET', '/chat-api/v2/applications/default')
    ).json()) as typeof fake.application;
    expect(application).toMatchObject({ id: 'default', name: 'Default Application' });
    const byEvent = (event: string) =>
      application.webhooks.find((webhook) => webhook.events.includes(event))?.callbackUrl;
    expect([byEvent('MessageStatus::seen'), byEvent('MoMessage')]).toEqual([
      moved,
      `${receiver.url}/incoming?secret=s`,
    ]);
  });

  it('refuses http callback URLs unless started to allow them', async () => {
    const strict = new FakeTyntec({ apiKey: API_KEY });
    const strictApi = await strict.start();
    const response = await fetch(`${strictApi}/chat-api/v2/applications/default`, {
      method: 'PATCH',
      headers: { apikey: API_KEY, 'content-type': 'application/json' },
      body: JSON.stringify({
        webhooks: [{ events: ['MoMessage'], callbackUrl: 'http://insecure/incoming' }],
      }),
    });
    await strict.stop();
    expect(response.status).toBe(400);
  });

  it('posts an injected inbound message to /incoming and records mark-read', async () => {
    const injected = await (
      await fetch(`${api}/__fake/inbound`, {
        method: 'POST',
        body: JSON.stringify({ from: '49123512314', content: { contentType: 'text', text: 'hello' } }),
      })
    ).json();
    await fake.settled();
    expect(receiver.received).toEqual([{ path: '/incoming', body: injected }]);
    expect(
      (await call('PUT', '/chat-api/v2/channels/whatsapp/messages/abc', { status: 'read' })).status,
    ).toBe(200);
    expect(fake.markedRead).toEqual(['abc']);
  });

  it('misbehaves on demand: 5xx for the next sends, duplicates, out-of-order statuses', async () => {
    await fetch(`${api}/__fake/misbehave`, {
      method: 'POST',
      body: JSON.stringify({ failNextSends: 2, duplicateStatuses: true, outOfOrderStatuses: true }),
    });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt += 1)
      statuses.push((await call('POST', '/chat-api/v2/messages', TEXT)).status);
    expect(statuses).toEqual([503, 503, 202]);
    await fake.settled();
    expect(statusesOf(fake.sent[0].messageId)).toEqual([
      'seen',
      'seen',
      'accepted',
      'accepted',
      'delivered',
      'delivered',
    ]);
  });

  it('accepts then answers late on demand: recorded at once, statuses with the userContext posted, the 202 after lateAnswerMs', async () => {
    const late = new FakeTyntec({
      apiKey: API_KEY,
      allowHttpCallbacks: true,
      statusDelayMs: 1,
      lateAnswerMs: 300,
    });
    const lateApi = await late.start();
    try {
      await fetch(`${lateApi}/chat-api/v2/applications/default`, {
        method: 'PATCH',
        headers: { apikey: API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({
          webhooks: [{ events: ['MessageStatus::accepted'], callbackUrl: `${receiver.url}/delivery` }],
        }),
      });
      await fetch(`${lateApi}/__fake/misbehave`, {
        method: 'POST',
        body: JSON.stringify({ answerLateNext: 1 }),
      });
      const started = Date.now();
      const answer = fetch(`${lateApi}/chat-api/v2/messages`, {
        method: 'POST',
        headers: { apikey: API_KEY, 'content-type': 'application/json' },
        body: JSON.stringify({ ...TEXT, context: { userContext: 'chat-1#4' } }),
      });
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(late.sent).toHaveLength(1);
      const response = await answer;
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      expect(response.status).toBe(202);
      expect(((await response.json()) as { messageId: string }).messageId).toBe(late.sent[0].messageId);
      await late.settled();
      expect(receiver.received.map((entry) => entry.body)).toEqual([
        expect.objectContaining({ messageId: late.sent[0].messageId, userContext: 'chat-1#4' }),
      ]);
    } finally {
      await late.stop();
    }
  });

  it('accepts then drops the connection on demand, and holds statuses back until released', async () => {
    fake.misbehave({ dropAfterAcceptNext: 1, holdStatuses: true });
    await expect(
      call('POST', '/chat-api/v2/messages', { ...TEXT, context: { userContext: 'chat-1#5' } }),
    ).rejects.toThrow();
    expect(fake.sent).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.received).toEqual([]);
    expect((await fetch(`${api}/__fake/release-statuses`, { method: 'POST' })).status).toBe(200);
    await fake.settled();
    expect(statusesOf(fake.sent[0].messageId)).toEqual(['accepted', 'delivered', 'seen']);
    expect(receiver.received[0].body).toMatchObject({ userContext: 'chat-1#5' });
    expect((await call('POST', '/chat-api/v2/messages', TEXT)).status).toBe(202);
  });

  it('delays answers on demand', async () => {
    fake.misbehave({ delayMs: 150 });
    const started = Date.now();
    await call('GET', '/chat-api/v2/applications/default');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('retries a webhook on any non-2xx, 4xx included, at most twice more', async () => {
    receiverStatus = 400;
    fake.injectInbound({ from: '49123512314', content: { contentType: 'text', text: 'x' } });
    await fake.settled();
    expect(fake.webhookAttempts.map((attempt) => attempt.status)).toEqual([400, 400, 400]);
  });
});
