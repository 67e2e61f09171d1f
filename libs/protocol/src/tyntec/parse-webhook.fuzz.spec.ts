import { GROUP_EXAMPLES, INCOMING_EXAMPLES, STATUS_EXAMPLES } from './tyntec-examples';
import { parseDeliveryWebhook, parseIncomingWebhook } from './parse-webhook';

// Mutates valid webhook bodies with a seeded PRNG (mulberry32): a failure replays with its seed.
const SEED = 0x5eed_7e57;
const ROUNDS = 4000;

function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ODD_VALUES: unknown[] = [
  null,
  undefined,
  0,
  -1,
  1e308,
  Number.NaN,
  '',
  'x'.repeat(5000),
  true,
  [],
  {},
  [null],
  { event: 1 },
  'MoMessage',
  'MessageStatus::seen',
  'WhatsAppGroupEvent::userJoined',
  '__proto__',
  { toString: 1 },
];

function mutate(value: unknown, random: () => number, depth = 0): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  if (depth > 4 || random() < 0.15) return pick(ODD_VALUES);
  if (Array.isArray(value)) {
    return (value as unknown[]).map((item) => (random() < 0.3 ? mutate(item, random, depth + 1) : item));
  }
  if (typeof value !== 'object' || value === null) return random() < 0.5 ? pick(ODD_VALUES) : value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  const roll = random();
  if (roll < 0.25 && keys.length > 0) delete copy[pick(keys)];
  else if (roll < 0.4)
    copy[pick(['event', 'extra', 'content', 'media', 'postback', 'order', '__proto__'])] = pick(ODD_VALUES);
  else if (keys.length > 0) {
    const key = pick(keys);
    copy[key] = mutate(copy[key], random, depth + 1);
  }
  return copy;
}

describe('webhook parsers under mutation', () => {
  const seeds = [
    ...Object.values(INCOMING_EXAMPLES),
    ...Object.values(STATUS_EXAMPLES),
    ...Object.values(GROUP_EXAMPLES),
  ];

  it(`never throw and always answer a known kind (${ROUNDS} mutations per parser, seed ${SEED})`, () => {
    const random = mulberry32(SEED);
    const incomingKinds = new Set<string>();
    const deliveryKinds = new Set<string>();
    for (let round = 0; round < ROUNDS; round += 1) {
      const body = mutate(seeds[round % seeds.length], random);
      incomingKinds.add(parseIncomingWebhook(body).kind);
      deliveryKinds.add(parseDeliveryWebhook(body).kind);
    }
    expect([...incomingKinds].sort()).toEqual(['invalid', 'malformed', 'message', 'unsupported']);
    expect([...deliveryKinds].sort()).toEqual(['group', 'invalid', 'malformed', 'status', 'unsupported']);
  });

  it('answers a JSON round trip of every mutation the same way (no reliance on undefined or NaN)', () => {
    const random = mulberry32(SEED + 1);
    for (let round = 0; round < ROUNDS / 4; round += 1) {
      const body = JSON.parse(
        JSON.stringify(mutate(seeds[round % seeds.length], random)) ?? 'null',
      ) as unknown;
      const result = parseIncomingWebhook(body);
      expect(['message', 'unsupported', 'invalid', 'malformed']).toContain(result.kind);
    }
  });
});
