import type { SendMessageRequest } from '@switchboard/protocol';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { createServer, type Server, type ServerResponse } from 'node:http';
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

  it.each([429, 408])(
    'retries %i answers (TynTec did not take the message) and sends once they pass',
    async (status) => {
      fake.misbehave({ failNextSends: 2, failStatus: status });
      await client.send(API_KEY, textTo('4917612345'));
      expect(fake.sent).toHaveLength(1);
    },
  );

  it('gives up as unavailable when 429 answers outlast the retries', async () => {
    fake.misbehave({ failNextSends: 10, failStatus: 429 });
    await expect(client.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({
      kind: 'unavailable',
      status: 429,
    });
  });

  it('does not retry a 503 to a send: TynTec may have accepted it (ambiguous)', async () => {
    fake.misbehave({ failNextSends: 10, failStatus: 503 });
    await expect(client.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({
      kind: 'ambiguous',
      status: 503,
    });
    expect(fake.webhookAttempts).toHaveLength(0);
  });

  it('does not resend a message TynTec accepted but answered after the timeout: one message, ambiguous', async () => {
    const late = new FakeTyntec({ apiKey: API_KEY, lateAnswerMs: 400 });
    const base = await late.start();
    try {
      late.misbehave({ answerLateNext: 5 });
      const impatient = new TyntecClient({
        messagesUrl: () => `${base}/chat-api/v2/messages`,
        timeoutMs: 100,
        backoffMs: 1,
      });
      const error = await impatient.send(API_KEY, textTo('4917612345')).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ kind: 'ambiguous' });
      expect((error as Error).message).toContain('TynTec may have accepted it');
      expect(late.sent).toHaveLength(1);
    } finally {
      await late.stop();
    }
  });

  it('does not resend a message TynTec accepted before the connection dropped: one message, ambiguous', async () => {
    fake.misbehave({ dropAfterAcceptNext: 5 });
    await expect(client.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({ kind: 'ambiguous' });
    expect(fake.sent).toHaveLength(1);
  });

  it('does not retry a 4xx problem and says what TynTec objected to', async () => {
    const error = await client.send('wrong key', textTo('4917612345')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TyntecError);
    expect(error).toMatchObject({ kind: 'rejected', status: 401 });
    expect((error as Error).message).toContain('missing or wrong apikey header');
  });

  it('retries a timed-out download (a GET may be repeated)', async () => {
    fake.media.set('m-slow', { contentType: 'image/png', data: Buffer.alloc(10, 1) });
    fake.misbehave({ delayMs: 300 });
    const slow = new TyntecClient({
      messagesUrl: () => `${fake.baseUrl}/chat-api/v2/messages`,
      timeoutMs: 50,
      retries: 1,
      backoffMs: 1,
    });
    await expect(slow.downloadMedia(API_KEY, 'm-slow', 100)).rejects.toMatchObject({ kind: 'unavailable' });
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
    // Each ambiguous 503 is one attempt (never retried): three sends open the circuit.
    for (let call = 0; call < 3; call += 1)
      await expect(guarded.send(API_KEY, textTo('4917612345'))).rejects.toMatchObject({ status: 503 });
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

describe('TyntecClient retries against a server that refuses then answers', () => {
  let server: Server;
  let calls = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      calls += 1;
      if (calls < 3) {
        response.writeHead(429).end('slow down');
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

describe('TyntecClient never resends a message TynTec may have accepted', () => {
  const send = (url: string, timeoutMs = 200) =>
    new TyntecClient({ messagesUrl: () => url, timeoutMs, backoffMs: 1, retries: 3 })
      .send('k', textTo('4917612345'))
      .then(
        () => null,
        (error: unknown) => error as TyntecError,
      );

  /** A server that reads each request whole, counts it, then does `then` with the connection. */
  async function counting(then: (response: ServerResponse) => void) {
    let requests = 0;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        requests += 1;
        then(response);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/messages`,
      requests: () => requests,
      close: () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  it('retries a refused connection (nothing was written): unavailable after the retries', async () => {
    const free = createServer();
    await new Promise<void>((resolve) => free.listen(0, '127.0.0.1', resolve));
    const { port } = free.address() as AddressInfo;
    await new Promise<void>((resolve) => free.close(() => resolve()));
    const error = await send(`http://127.0.0.1:${port}/messages`);
    expect(error).toMatchObject({ kind: 'unavailable' });
    expect(error?.message).toContain('ECONNREFUSED');
  });

  it.each([
    ['the connection is reset after the request', (response: ServerResponse) => response.socket?.destroy()],
    ['no answer comes before the timeout', () => undefined],
    ['a 502 comes', (response: ServerResponse) => response.writeHead(502).end('bad gateway')],
    ['a 504 comes', (response: ServerResponse) => response.writeHead(504).end('gateway timeout')],
    [
      'a 202 without a messageId comes',
      (response: ServerResponse) => response.writeHead(202, { 'content-type': 'application/json' }).end('{}'),
    ],
  ])('sends once and answers ambiguous when %s', async (_case, then) => {
    const server = await counting(then);
    try {
      expect(await send(server.url)).toMatchObject({ kind: 'ambiguous' });
      expect(server.requests()).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('sends once and answers rejected on a 400 problem', async () => {
    const server = await counting((response) =>
      response
        .writeHead(400, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ status: 400, title: 'Constraint Violation' })),
    );
    try {
      expect(await send(server.url)).toMatchObject({ kind: 'rejected', status: 400 });
      expect(server.requests()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
