import type { SendMessageRequest } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TyntecClient, TyntecError } from './tyntec-client';

const API_KEY = 'client-spec-key';
const textTo = (to: string): SendMessageRequest => ({
  to,
  channels: ['whatsapp'],
  whatsapp: { from: '4930123456', contentType: 'text', text: 'hi' },
});

describe('TyntecClient against the local TynTec', () => {
  let fake: FakeTyntec;
  let client: TyntecClient;

  beforeEach(async () => {
    fake = new FakeTyntec({ apiKey: API_KEY, statusDelayMs: 0 });
    const base = await fake.start();
    client = new TyntecClient({
      messagesUrl: () => `${base}/chat-api/v2/messages`,
      backoffMs: 5,
      timeoutMs: 500,
    });
  });

  afterEach(() => fake.stop());

  it('sends with the apikey header and returns the accepted message id', async () => {
    const accepted = await client.send(API_KEY, textTo('4917612345'));
    expect(fake.sent.map((sent) => sent.messageId)).toEqual([accepted.messageId]);
  });

  it('retries 5xx answers with backoff and sends once they pass', async () => {
    fake.misbehave({ failNextSends: 2 });
    await client.send(API_KEY, textTo('4917612345'));
    expect(fake.sent).toHaveLength(1);
  });

  it('gives up as unavailable when 5xx answers outlast the retries', async () => {
    fake.misbehave({ failNextSends: 10 });
    await expect(client.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({
      kind: 'unavailable',
      status: 503,
    });
  });

  it('does not retry a 4xx problem and says what TynTec objected to', async () => {
    const error = await client.send('wrong key', textTo('4917612345')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TyntecError);
    expect(error).toMatchObject({ kind: 'rejected', status: 401 });
    expect((error as Error).message).toContain('missing or wrong apikey header');
  });

  it('retries a timeout', async () => {
    fake.misbehave({ delayMs: 300 });
    const slow = new TyntecClient({
      messagesUrl: () => `${fake.baseUrl}/chat-api/v2/messages`,
      timeoutMs: 50,
      retries: 1,
      backoffMs: 1,
    });
    await expect(slow.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('opens its circuit after attempts in a row TynTec failed, then fails fast without calling it', async () => {
    const logged: string[] = [];
    const guarded = new TyntecClient({
      messagesUrl: () => `${fake.baseUrl}/chat-api/v2/messages`,
      backoffMs: 1,
      retries: 1,
      failuresToOpen: 3,
      halfOpenAfterMs: 60_000,
      logger: { log: (line) => logged.push(line), warn: (line) => logged.push(line) },
    });
    fake.misbehave({ failNextSends: 100 });
    await expect(guarded.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({ status: 503 });
    await expect(guarded.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({ kind: 'unavailable' });
    fake.misbehave({ failNextSends: 0 });
    const error = await guarded.send(API_KEY, textTo('4917612345')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TyntecError);
    expect(error).toMatchObject({ kind: 'unavailable', status: undefined });
    expect((error as Error).message).toMatch(/^TynTec is not called: its circuit is open/);
    expect(fake.sent).toHaveLength(0);
    expect(logged).toEqual([expect.stringMatching(/^TynTec circuit opened after 3 failures in a row/)]);
    expect(logged.join('\n')).not.toContain(API_KEY);
  });

  it('keeps its circuit closed on 4xx answers (they concern the request, not whether TynTec is up)', async () => {
    const guarded = new TyntecClient({
      messagesUrl: () => `${fake.baseUrl}/chat-api/v2/messages`,
      failuresToOpen: 2,
    });
    for (let call = 0; call < 3; call += 1)
      await expect(guarded.send('wrong key', textTo('4917612345'))).rejects.toMatchObject({ status: 401 });
    await expect(guarded.send(API_KEY, textTo('4917612345'))).resolves.toHaveProperty('messageId');
  });

  it('downloads a medium, refusing one over the size limit', async () => {
    fake.media.set('m-1', { contentType: 'image/png', data: Buffer.alloc(100, 1) });
    expect(await client.downloadMedia(API_KEY, 'm-1', 100)).toMatchObject({ contentType: 'image/png' });
    await expect(client.downloadMedia(API_KEY, 'm-1', 99)).rejects.toMatchObject({ kind: 'rejected' });
    await expect(client.downloadMedia(API_KEY, 'unknown', 99)).rejects.toMatchObject({
      kind: 'rejected',
      status: 404,
    });
  });
});

describe('TyntecClient retries against a server that fails then answers', () => {
  let server: Server;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      calls += 1;
      if (calls < 3) {
        response.writeHead(502).end('bad gateway');
        return;
      }
      response.writeHead(202, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ messageId: 'abc', acceptedAt: new Date().toISOString() }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('backs off between attempts (full jitter) and succeeds on the third', async () => {
    const { port } = server.address() as AddressInfo;
    const client = new TyntecClient({ messagesUrl: () => `http://127.0.0.1:${port}/messages`, backoffMs: 1 });
    expect((await client.send('k', textTo('4917612345'))).messageId).toBe('abc');
    expect(calls).toBe(3);
  });
});
