import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { startConnectorNode, type ConnectorNode } from '../testing';

const SECRET = 'fuzz-webhook-secret-0123456789';
// Seeded, so a failure replays: the seed of each round is its index.
const ROUNDS_PER_ENDPOINT = 1500;
const CONCURRENCY = 16;

const SEEDS = [
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
    to: '4930999999',
    channel: 'whatsapp',
    content: { contentType: 'media', media: { type: 'image', mediaId: 'x', caption: 'c' } },
  },
  {
    messageId: 'm-3',
    event: 'MoMessage::PostBack',
    from: '4917600001',
    to: '4930999999',
    channel: 'whatsapp',
    postback: { data: 'd' },
    context: { messageId: 'm-1' },
  },
  {
    messageId: 'm-4',
    event: 'MoMessage',
    from: '4917600001',
    channel: 'whatsapp',
    content: { contentType: 'location', location: { latitude: 1, longitude: 2 } },
  },
  {
    event: 'MessageStatus::delivered',
    messageId: 's-1',
    channel: 'whatsapp',
    userContext: 'u',
    timestamp: '2019-06-26T11:41:28Z',
  },
  {
    event: 'MessageStatus::channelFailed',
    messageId: 's-2',
    channel: 'whatsapp',
    details: { code: 'x', message: 'y' },
  },
  {
    event: 'MessageStatus::deleted',
    messageId: 's-3',
    channel: 'whatsapp',
    from: '1',
    to: '2',
    status: 'deleted',
  },
  { event: 'WhatsAppGroupEvent::userJoined', groupId: 'g', user: 'u' },
];

const ODD = [
  null,
  0,
  -1,
  1e308,
  '',
  'x'.repeat(5000),
  true,
  [],
  {},
  [null],
  'MoMessage',
  'MessageStatus::seen',
  '__proto__',
  '💬',
  '\u0000',
];

/** A deterministic generator per round (xorshift over a hash of the round), so rounds are independent. */
function generator(round: number): () => number {
  let state = createHash('sha256').update(String(round)).digest().readUInt32LE(0) || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function mutateValue(value: unknown, random: () => number, depth: number): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (depth > 3 || random() < 0.2) return pick(ODD);
  if (typeof value !== 'object' || value === null) return random() < 0.5 ? pick(ODD) : value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = random();
  if (roll < 0.3 && keys.length > 0) delete copy[pick(keys)];
  else if (roll < 0.45) copy[pick(['event', 'messageId', 'content', 'to', 'extra'])] = pick(ODD);
  else if (keys.length > 0) copy[pick(keys)] = mutateValue(copy[pick(keys)], random, depth + 1);
  return copy;
}

/** A mutated body as text: a mutated object, or its JSON cut short or with bytes spliced in. */
function mutatedBody(round: number): string {
  const random = generator(round);
  const text = JSON.stringify(mutateValue(SEEDS[round % SEEDS.length], random, 0)) ?? 'null';
  const roll = random();
  if (roll < 0.15) return text.slice(0, Math.floor(random() * text.length));
  if (roll < 0.25) {
    const at = Math.floor(random() * text.length);
    return `${text.slice(0, at)}${String.fromCharCode(Math.floor(random() * 0x2fff))}${text.slice(at)}`;
  }
  return text;
}

describe('webhooks under thousands of mutated bodies (no connector configured: nothing may become a chat)', () => {
  let node: ConnectorNode;
  let dataDirectory: string;

  const post = (path: string, body: string) =>
    fetch(`${node.url}${path}?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });

  const stateOf = async () => {
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
    `answers every one of ${ROUNDS_PER_ENDPOINT} mutated bodies on %s with 200 (400 when malformed), never crashes and changes no chat`,
    async (path) => {
      const before = await stateOf();
      const statuses = new Map<number, number>();
      const outcomes = new Set<string>();
      let next = 0;
      const worker = async () => {
        while (next < ROUNDS_PER_ENDPOINT) {
          const round = next;
          next += 1;
          const response = await post(path, mutatedBody(round));
          const { outcome } = (await response.json()) as { outcome: string };
          outcomes.add(outcome);
          const status = outcome === 'malformed' ? 400 : 200;
          statuses.set(status, (statuses.get(status) ?? 0) + (response.status === status ? 1 : 0));
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      await node.idle();
      // 400 exactly for the malformed bodies, 200 for every other.
      expect((statuses.get(200) ?? 0) + (statuses.get(400) ?? 0)).toBe(ROUNDS_PER_ENDPOINT);
      // The mutations reach every branch: stored, retried (duplicate), dead-lettered and refused bodies.
      expect([...outcomes].sort()).toEqual(['dead-letter', 'duplicate', 'malformed', 'stored']);
      expect(await stateOf()).toEqual(before);
      expect((await fetch(`${node.url}/health`)).status).toBe(200);
    },
    120_000,
  );

  it('answers 503 while the database is down, so TynTec retries (and stores nothing)', async () => {
    await node.app.get(DataSource).destroy();
    const response = await post('/incoming', JSON.stringify(SEEDS[0]));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
  });
});
