import fc from 'fast-check';
import { AGENT_REQUESTS, SOCKET_ERROR_CODES, VISITOR_REQUESTS } from '@switchboard/protocol';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { seedSiteAndAgent, startMessengerNode, TestSocket, type MessengerNode } from './testing';

// note: bounded by time, not by count — each event gets its share of FUZZ_SECONDS (seeded, so a
// failure prints the seed and path that replay it).
const FUZZ_SECONDS = 40;
const EVENTS = Object.keys(VISITOR_REQUESTS).length + Object.keys(AGENT_REQUESTS).length;
const PER_EVENT_MS = (FUZZ_SECONDS * 1000) / EVENTS;
const TABLES = ['chats', 'chat_lines', 'chat_events', 'chat_variables', 'blocked_visitors', 'operators'];

const hostileText = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 4000, maxLength: 5000 }),
  fc.constantFrom('', ' ', '\u0000', '\uD800', '\uDFFFx', '__proto__', "' OR 1=1 --", '<script>x</script>'),
  fc.constant('x'.repeat(70_000)),
);
const hostileValue = fc.oneof(
  hostileText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything(), { maxLength: 4 }),
  fc.object({ maxDepth: 3 }),
);

/** An own `__proto__` key, as JSON.parse makes it (a literal would set the prototype instead). */
const polluting = JSON.parse('{"__proto__":{"polluted":true}}') as Record<string, unknown>;

/** Payloads for one event: anything at all, its own fields with hostile values, polluting keys. */
function payloads(schema: z.ZodTypeAny, knownChatUids: readonly string[]): fc.Arbitrary<unknown> {
  const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const fieldValue = fc.oneof(hostileValue, fc.constantFrom(...knownChatUids));
  const ownFields =
    shape.length === 0
      ? fc.constant({})
      : fc.record(Object.fromEntries(shape.map((key) => [key, fieldValue])), { requiredKeys: [] });
  return fc.oneof(
    fc.anything(),
    ownFields,
    ownFields.map((fields) => ({ ...fields, ...polluting })),
    fc.constantFrom(undefined, null, 'chat', 42, [], [{}]),
  );
}

// Every socket event of both namespaces, driven with generated hostile payloads on one embedded node:
// each gets exactly one clear answer, the connection stays open, and a refusal stores nothing.
describe('socket events under hostile payloads (fast-check)', () => {
  let node: MessengerNode;
  let dataDirectory: string;
  let database: DataSource;
  let visitor: TestSocket;
  let agent: TestSocket;
  let chatUids: string[];

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-fuzz-'));
    node = await startMessengerNode({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' });
    database = node.app.get(DataSource);
    const seeded = await seedSiteAndAgent(node.repositories);
    agent = await TestSocket.connect(node.url, 'agent');
    await agent.ok('agent:login', seeded.agents[0]);
    await agent.ok('agent:status', { status: 1 });
    visitor = await TestSocket.connect(node.url, 'visitor');
    const held = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Vera' });
    await agent.ok('chat:pickup', { chatUid: held.chat.chatUid });
    const waiting = await visitor.ok('chat:start', { siteKey: seeded.siteKey, visitorName: 'Walt' });
    chatUids = [held.chat.chatUid, waiting.chat.chatUid, 'no-such-chat'];
  });

  afterAll(async () => {
    visitor?.close();
    agent?.close();
    await node?.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  async function rowCounts(): Promise<number[]> {
    return Promise.all(
      TABLES.map(async (table) => {
        const [row] = await database.query<Array<{ count: number | string }>>(
          `SELECT COUNT(*) AS count FROM ${table}`,
        );
        return Number(row.count);
      }),
    );
  }

  const cases = [
    ...Object.entries(VISITOR_REQUESTS).map(([event, schema]) => ['visitor', event, schema] as const),
    ...Object.entries(AGENT_REQUESTS).map(([event, schema]) => ['agent', event, schema] as const),
  ];

  it.each(cases)(
    '%s %s: one clear answer each, the connection stays, a refusal stores nothing',
    async (side, event, schema) => {
      const socket = side === 'visitor' ? visitor : agent;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(payloads(schema, chatUids), async (payload) => {
          runs += 1;
          const before = await rowCounts();
          const answer = (await socket.socket.timeout(5000).emitWithAck(event, payload)) as
            { ok: true } | { ok: false; error: { code: string; message: string } };
          expect(socket.socket.connected).toBe(true);
          if (answer.ok) return;
          expect(Object.keys(SOCKET_ERROR_CODES)).toContain(answer.error.code);
          expect(answer.error.code).not.toBe('INTERNAL');
          expect(answer.error.message.length).toBeGreaterThan(0);
          // The documented exceptions: a lost pickup race stores OPF, a refused transfer TFEF.
          const after = await rowCounts();
          if (answer.error.code === 'ALREADY_TAKEN' || answer.error.code === 'TRANSFER_FAILED')
            after[TABLES.indexOf('chat_events')] = before[TABLES.indexOf('chat_events')];
          expect(after).toEqual(before);
        }),
        {
          numRuns: 10_000,
          interruptAfterTimeLimit: PER_EVENT_MS,
          markInterruptAsFailure: false,
          seed: 0x5eed,
        },
      );
      expect(runs).toBeGreaterThan(5);
      expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
    },
    PER_EVENT_MS + 30_000,
  );
});
