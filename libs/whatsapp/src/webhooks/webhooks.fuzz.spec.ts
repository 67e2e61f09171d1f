import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startConnectorNode, type ConnectorNode } from '../testing';

const SECRET = 'fuzz-webhook-secret-0123456789';
/** Each route gets at most this long (CI keeps the suite under a minute); fast-check stops early then. */
const TIME_PER_ROUTE_MS = 15_000;
const RUNS_PER_ROUTE = 1500;
/** The largest body a generator makes: under the hard limit (16 × 60 KB), over the stored 60 KB. */
const LARGEST_STRING = 70_000;

/** Bodies as TynTec sends them, the starting points of the mutations. */
const SEEDS: Record<string, unknown>[] = [
  {
    messageId: 'm-1',
    event: 'MoMessage',
    from: '4917600001',
    to: '4930999999',
    channel: 'whatsapp',
    content: { contentType: 'text', text: 'Hi' },
    whatsapp: { senderName: 'P' },
  },
  {
    messageId: 'm-2',
    event: 'MoMessage',
    from: '4917600001',
    channel: 'whatsapp',
    content: { contentType: 'media', media: { type: 'image', mediaId: 'x', caption: 'c' } },
  },
  {
    messageId: 'm-3',
    event: 'MoMessage::PostBack',
    from: '4917600001',
    channel: 'whatsapp',
    postback: { data: 'd' },
    whatsapp: { text: 'Yes' },
  },
  {
    messageId: 'm-4',
    event: 'MoMessage::Order',
    from: '4917600001',
    channel: 'whatsapp',
    order: { catalogId: 'c', items: [{ productId: 'p', quantity: '1', itemPrice: '1.5', currency: 'EUR' }] },
  },
  { event: 'MessageStatus::delivered', messageId: 's-1', channel: 'whatsapp', userContext: 'u' },
  { event: 'MessageStatus::channelFailed', messageId: 's-2', details: { code: 'x', message: 'y' } },
  { event: 'WhatsAppGroupEvent::userJoined', groupId: 'g', users: ['4917600002'] },
];

// ---- generators of hostile input ------------------------------------------------------------------

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({
    unit: fc.oneof(loneSurrogate, fc.constantFrom('\u0000', '\u202e', '💬', '"', '\\')),
    maxLength: 20,
  }),
  fc.constantFrom(
    '',
    'MoMessage',
    'MessageStatus::seen',
    'WhatsAppGroupEvent::x',
    '__proto__',
    'constructor',
  ),
  fc.integer({ min: 4000, max: LARGEST_STRING }).map((length) => 'x'.repeat(length)),
);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(null, true, 0, -1, 1e308, [], {}),
);
/** Arrays nested `depth` levels around a value: deep, but within the body size limit. */
const nested = fc
  .tuple(fc.integer({ min: 1, max: 3000 }), hostileValue)
  .map(
    ([depth, value]) =>
      JSON.parse(`${'['.repeat(depth)}${JSON.stringify(value) ?? 'null'}${']'.repeat(depth)}`) as unknown,
  );

/** A seed with fields dropped, replaced by hostile values (wrong types included) or nested deep. */
const mutatedSeed = fc
  .tuple(
    fc.constantFrom(...SEEDS),
    fc.array(
      fc.tuple(
        fc.constantFrom(
          'event',
          'messageId',
          'from',
          'to',
          'channel',
          'content',
          'postback',
          'order',
          'whatsapp',
          'details',
          'extra',
        ),
        fc.option(fc.oneof(hostileValue, nested), { nil: undefined }),
      ),
      { maxLength: 4 },
    ),
  )
  .map(([seed, edits]) => {
    const body: Record<string, unknown> = { ...seed };
    for (const [key, value] of edits) {
      if (value === undefined) delete body[key];
      else body[key] = value;
    }
    return JSON.stringify(body);
  });

/** Any body: a mutated TynTec body, any JSON, deep nesting, or text that is not JSON at all. */
const hostileBody: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: mutatedSeed, weight: 5 },
  { arbitrary: fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value) ?? 'null'), weight: 2 },
  {
    arbitrary: nested.map((value) => JSON.stringify({ event: 'WhatsAppGroupEvent::userLeft', x: value })),
    weight: 1,
  },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 },
  { arbitrary: mutatedSeed.chain((text) => fc.nat(text.length).map((cut) => text.slice(0, cut))), weight: 1 },
);

// ---- the properties ------------------------------------------------------------------------------

describe('webhooks under generated hostile input (fast-check; no connector: nothing may become a chat)', () => {
  let node: ConnectorNode;
  let dataDirectory: string;

  const post = (path: string, body: string) =>
    fetch(`${node.url}${path}?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  /** Everything outside the inbox and the dead letters: a chat, a line, a WhatsApp line. */
  const chatState = async () => {
    const dataSource = node.app.get(DataSource);
    const count = async (table: string) =>
      Number((await dataSource.query<Array<{ n: number }>>(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
    return {
      chats: await count('chats'),
      lines: await count('chat_lines'),
      whatsappLines: await count('whatsapp_lines'),
    };
  };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-whatsapp-fuzz-'));
    node = await startConnectorNode({
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: SECRET,
      ACD_WHATSAPP_TYNTEC_URL: 'http://127.0.0.1:9/chat-api/v2/messages',
    });
  });

  afterAll(async () => {
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it.each(['/incoming', '/delivery'])(
    '%s: never 5xx; 400 (malformed) stores nothing, 200 stores one inbox row, one dead letter or nothing (duplicate)',
    async (path) => {
      const chatsBefore = await chatState();
      const outcomes = new Set<string>();
      await fc.assert(
        fc.asyncProperty(hostileBody, async (body) => {
          // Background processing of earlier rows settles first, so the counts below are this post's own.
          await node.idle();
          const before = await node.repositories.webhookInbox.countAll();
          const response = await post(path, body);
          const { outcome } = (await response.json()) as { outcome: string };
          outcomes.add(outcome);
          await node.idle();
          const after = await node.repositories.webhookInbox.countAll();
          // Dead letters of this very body (a postponed status of an earlier run may also end up there).
          const fresh = after.deadLetters - before.deadLetters;
          const newLetters = fresh > 0 ? await node.repositories.webhookInbox.listDeadLetters(fresh) : [];
          const ownLetters = newLetters.filter((letter) => body.startsWith(letter.rawBody)).length;
          const added = { inbox: after.inbox - before.inbox, ownLetters };
          // A stored row may be dead-lettered by its processing (no connector has the number).
          const expected = {
            malformed: [[400, { inbox: 0, ownLetters: 0 }]],
            duplicate: [[200, { inbox: 0, ownLetters: 0 }]],
            'dead-letter': [[200, { inbox: 0, ownLetters: 1 }]],
            stored: [
              [200, { inbox: 1, ownLetters: 0 }],
              [200, { inbox: 1, ownLetters: 1 }],
            ],
          }[outcome];
          expect(expected).toContainEqual([response.status, added]);
        }),
        { numRuns: RUNS_PER_ROUTE, interruptAfterTimeLimit: TIME_PER_ROUTE_MS, seed: 0x5eed },
      );
      await node.idle();
      // Processing what was stored makes no chat either (no connector has any number).
      expect(await chatState()).toEqual(chatsBefore);
      expect((await fetch(`${node.url}/health`)).status).toBe(200);
      // The generators reach every branch.
      expect([...outcomes].sort()).toEqual(['dead-letter', 'duplicate', 'malformed', 'stored']);
    },
    TIME_PER_ROUTE_MS + 30_000,
  );

  it('answers 503 while the database is down, so TynTec retries (and stores nothing)', async () => {
    await node.app.get(DataSource).destroy();
    const response = await post('/incoming', JSON.stringify(SEEDS[0]));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
