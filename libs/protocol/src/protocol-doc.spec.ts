import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { z } from 'zod';
import { clusterEventSchema } from './cluster-events';
import {
  PROTOCOL_DOC_SECTIONS,
  renderMarkdownTable,
  renderProtocolDocSections,
  SOCKET_ERROR_ADVICE,
} from './protocol-docs';
import {
  agentViewSchema,
  chatLineViewSchema,
  chatStateSchema,
  chatSummarySchema,
  chatUidSchema,
  lineDeliverySchema,
  visitorChatViewSchema,
} from './socket/chat-views';
import { SOCKET_ERROR_CODES, type SocketErrorCode } from './socket/socket-errors';
import {
  AGENT_REQUESTS,
  VISITOR_REQUESTS,
  type AgentResults,
  type AgentServerEvents,
  type VisitorResults,
  type VisitorServerEvents,
} from './socket/socket-events';

const DOC_PATH = join(__dirname, '..', '..', '..', 'docs', 'protocol.md');
const doc = readFileSync(DOC_PATH, 'utf8');

// ---- what the examples are checked against ------------------------------------------------------
// Results and pushes are TypeScript interfaces in the protocol; these schemas mirror them, and
// `satisfies` makes the compiler reject a mirror that drifts from its interface.
type ResultSchemas<TResults> = { [TEvent in keyof TResults]: z.ZodType<TResults[TEvent]> };
type PushSchemas<TEvents> = {
  [TEvent in keyof TEvents]: TEvents[TEvent] extends (payload: infer TPayload) => void
    ? z.ZodType<TPayload>
    : never;
};

const errorCodes = Object.keys(SOCKET_ERROR_CODES) as [SocketErrorCode, ...SocketErrorCode[]];
const socketErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string().min(1),
  retryAfterMs: z.number().int().positive().optional(),
});
const linesResult = z.object({ lines: z.array(chatLineViewSchema) });
const nothing = z.object({});
const sessionResult = z.object({
  token: z.string().min(16),
  expiresAt: z.string().datetime(),
  refreshToken: z.string().min(16),
  agent: agentViewSchema,
});

const VISITOR_RESULTS = {
  'chat:start': z.object({ chat: visitorChatViewSchema, token: z.string().min(16) }),
  'chat:rejoin': z.object({ chat: visitorChatViewSchema, lines: z.array(chatLineViewSchema) }),
  'chat:send': z.object({ line: chatLineViewSchema }),
  'chat:typing': nothing,
  'chat:close': nothing,
  'chat:history': linesResult,
} satisfies ResultSchemas<VisitorResults>;

const AGENT_RESULTS = {
  'agent:login': sessionResult,
  'agent:refresh': sessionResult,
  'agent:logout': nothing,
  'agent:status': z.object({ agent: agentViewSchema }),
  'agent:activity': nothing,
  'queue:list': z.object({ chats: z.array(chatSummarySchema) }),
  'chats:mine': z.object({ chats: z.array(chatSummarySchema) }),
  'chat:pickup': z.object({ chat: chatSummarySchema, lines: z.array(chatLineViewSchema) }),
  'chat:accept': z.object({ chat: chatSummarySchema, lines: z.array(chatLineViewSchema) }),
  'chat:decline': nothing,
  'chat:transfer': z.object({ chat: chatSummarySchema }),
  'chat:acquire': z.object({ chat: chatSummarySchema, lines: z.array(chatLineViewSchema) }),
  'chat:send': z.object({ line: chatLineViewSchema }),
  'chat:typing': nothing,
  'chat:close': nothing,
  'chat:block': nothing,
  'chat:leave': nothing,
  'chat:unblock': z.object({ lifted: z.number().int().min(0) }),
  'chat:history': linesResult,
} satisfies ResultSchemas<AgentResults>;

const typingNotice = z.object({
  chatUid: chatUidSchema,
  by: z.enum(['visitor', 'operator']),
  typing: z.boolean(),
});
const stateNotice = z.object({
  chatUid: chatUidSchema,
  state: chatStateSchema,
  agentName: z.string().nullable(),
  code: z.string().nullable(),
  text: z.string().nullable(),
});

const VISITOR_PUSHES = {
  'chat:line': chatLineViewSchema,
  'chat:typing': typingNotice,
  'chat:state': stateNotice,
  'chat:queue': z.object({
    chatUid: chatUidSchema,
    position: z.number().int().min(1),
    expectedWaitSeconds: z.number().int().min(0).nullable(),
    text: z.string(),
  }),
  'request:error': socketErrorSchema,
} satisfies PushSchemas<VisitorServerEvents>;

const AGENT_PUSHES = {
  'agent:ready': agentViewSchema,
  'agent:signed-out': z.object({ reason: z.string(), message: z.string() }),
  'agent:status': agentViewSchema,
  'chat:line': chatLineViewSchema,
  'chat:delivery': lineDeliverySchema,
  'chat:typing': typingNotice,
  'chat:state': stateNotice.extend({ agentUsername: z.string().nullable() }),
  'queue:added': chatSummarySchema,
  'queue:removed': z.object({ chatUid: chatUidSchema, reason: z.string() }),
  'chat:offer': z.object({
    chat: chatSummarySchema,
    code: z.string().nullable(),
    text: z.string().nullable(),
    expiresAt: z.string().datetime(),
  }),
  'request:error': socketErrorSchema,
} satisfies PushSchemas<AgentServerEvents>;

interface NamespaceContract {
  readonly requests: Readonly<Record<string, z.ZodType>>;
  readonly results: Readonly<Record<string, z.ZodObject>>;
  readonly pushes: Readonly<Record<string, z.ZodType>>;
}
type NamespaceName = 'visitor' | 'agent';
const NAMESPACES: Readonly<Record<NamespaceName, NamespaceContract>> = {
  visitor: { requests: VISITOR_REQUESTS, results: VISITOR_RESULTS, pushes: VISITOR_PUSHES },
  agent: { requests: AGENT_REQUESTS, results: AGENT_RESULTS, pushes: AGENT_PUSHES },
};

const CLUSTER_EVENTS: Record<string, z.ZodObject> = Object.fromEntries(
  clusterEventSchema.options.map((option) => [option.shape.type.value, option]),
);

/** The schema with every nested object made strict, so that a misspelt field in an example fails. */
function strict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = schema.shape as Record<string, z.ZodType>;
    return z.strictObject(
      Object.fromEntries(Object.entries(shape).map(([name, field]) => [name, strict(field)])),
    );
  }
  if (schema instanceof z.ZodArray) return z.array(strict(schema.element as z.ZodType));
  if (schema instanceof z.ZodNullable) return strict(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodOptional) return strict(schema.unwrap() as z.ZodType).optional();
  return schema;
}

/** The record's own entry (never an inherited one such as `toString`). */
function own<TValue>(record: Readonly<Record<string, TValue>>, key: string): TValue | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}
const has = (record: Readonly<Record<string, unknown>>, key: string) => own(record, key) !== undefined;

// ---- what the document holds ---------------------------------------------------------------------
interface Example {
  readonly tag: string;
  readonly scope: string;
  readonly event: string;
  readonly kind: string;
  readonly language: string;
  readonly source: string;
}

const examples: Example[] = [...doc.matchAll(/<!-- example: ([^>]*?) -->\s*```(\w+)\n([\s\S]*?)\n```/g)].map(
  ([, tag, language, source]) => {
    const [scope = '', event = '', kind = ''] = tag.split(' ');
    return { tag, scope, event, kind, language, source };
  },
);
const jsonExamples = examples.filter((example) => example.language === 'json');
const clientExamples = examples.filter((example) => example.scope === 'client');

/** The `####` sections between a `###` heading and the next `##`/`###` heading. */
function sections(heading: string): Map<string, string> {
  const start = doc.indexOf(`\n### ${heading}`);
  if (start < 0) throw new Error(`docs/protocol.md has no "### ${heading}" section`);
  const end = doc.slice(start + 1).search(/\n##{1,2} /);
  const body = end < 0 ? doc.slice(start) : doc.slice(start, start + 1 + end);
  const found = new Map<string, string>();
  for (const part of body.split('\n#### ').slice(1)) {
    const name = /^`([^`]+)`/.exec(part)?.[1];
    if (name) found.set(name, part);
  }
  return found;
}

const REFERENCE = {
  visitor: sections('Visitor requests'),
  agent: sections('Agent requests'),
  pushes: sections('Server pushes'),
};

function validate(schema: z.ZodType, value: unknown): string[] {
  const result = strict(schema).safeParse(value);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`);
}

function problemsOf(example: Example): string[] {
  let value: unknown;
  try {
    value = JSON.parse(example.source);
  } catch (error) {
    return [`not JSON: ${String(error)}`];
  }
  if (example.scope === 'cluster') {
    if (example.kind !== 'event') return [`a cluster example is an "event", not "${example.kind}"`];
    const schema = CLUSTER_EVENTS[example.event];
    if (!schema) return [`no cluster event has the type "${example.event}"`];
    const type = (value as { type?: unknown }).type;
    if (type !== example.event) return [`its type is ${JSON.stringify(type)}, the tag says ${example.event}`];
    return validate(schema, value);
  }
  const namespace = own(NAMESPACES, example.scope);
  if (!namespace) return [`unknown scope "${example.scope}"`];
  switch (example.kind) {
    case 'request': {
      const schema = own(namespace.requests, example.event);
      return schema ? validate(schema, value) : [`/${example.scope} has no request ${example.event}`];
    }
    case 'ack': {
      const result = own(namespace.results, example.event);
      if (!result) return [`/${example.scope} has no request ${example.event}`];
      if ((value as { ok?: unknown }).ok === true)
        return validate(result.extend({ ok: z.literal(true) }), value);
      return validate(z.object({ ok: z.literal(false), error: socketErrorSchema }), value);
    }
    case 'push': {
      const schema = own(namespace.pushes, example.event);
      return schema ? validate(schema, value) : [`/${example.scope} pushes no ${example.event}`];
    }
    default:
      return [`unknown kind "${example.kind}" (request, ack, push or event)`];
  }
}

const exampled = (scope: string, event: string, kind: string) =>
  jsonExamples.some((example) => example.scope === scope && example.event === event && example.kind === kind);

// ---- the checks ----------------------------------------------------------------------------------
describe('docs/protocol.md', () => {
  describe('JSON examples', () => {
    it('tags every JSON block with <!-- example: SCOPE EVENT KIND -->', () => {
      const jsonBlocks = doc.match(/^```json$/gm) ?? [];
      expect(jsonExamples).toHaveLength(jsonBlocks.length);
      expect(jsonExamples.length).toBeGreaterThan(0);
    });

    it.each(jsonExamples.map((example, index) => [`#${index + 1} (${example.tag})`, example] as const))(
      'example %s matches its schema',
      (_name, example) => {
        expect(problemsOf(example)).toEqual([]);
      },
    );
  });

  describe.each(Object.keys(NAMESPACES) as NamespaceName[])('the %s namespace', (scope) => {
    const { requests, pushes } = NAMESPACES[scope];

    it.each(Object.keys(requests))('documents %s with a section, a request and an answer', (event) => {
      expect(REFERENCE[scope].has(event)).toBe(true);
      expect(exampled(scope, event, 'request')).toBe(true);
      expect(exampled(scope, event, 'ack')).toBe(true);
    });

    it('documents no request the namespace does not have', () => {
      expect([...REFERENCE[scope].keys()].filter((event) => !has(requests, event))).toEqual([]);
    });

    it('lists the errors of every request, with known codes only', () => {
      for (const [event, section] of REFERENCE[scope]) {
        const errors = /\nErrors: ([\s\S]*?)\n\n/.exec(section)?.[1];
        expect({ event, errors: errors !== undefined }).toEqual({ event, errors: true });
        const unknown = [...(errors ?? '').matchAll(/`([A-Z_]+)`/g)]
          .map(([, code]) => code)
          .filter((code) => !has(SOCKET_ERROR_CODES, code));
        expect({ event, unknown }).toEqual({ event, unknown: [] });
      }
    });

    it.each(Object.keys(pushes))('documents the push %s with a section', (event) => {
      expect(REFERENCE.pushes.has(event)).toBe(true);
    });
  });

  it('has an example of every server push', () => {
    const pushes = new Set([...Object.keys(VISITOR_PUSHES), ...Object.keys(AGENT_PUSHES)]);
    expect(
      [...pushes].filter((event) => !exampled('visitor', event, 'push') && !exampled('agent', event, 'push')),
    ).toEqual([]);
  });

  it('documents no push the server does not send', () => {
    expect(
      [...REFERENCE.pushes.keys()].filter(
        (event) => !has(VISITOR_PUSHES, event) && !has(AGENT_PUSHES, event),
      ),
    ).toEqual([]);
  });

  it.each(errorCodes)('explains the error code %s', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });

  it.each(Object.keys(CLUSTER_EVENTS))('describes the cluster event %s', (type) => {
    expect(doc).toContain(`| \`${type}\``);
  });

  describe.each(['visitor', 'agent'] as const)('the %s client example', (scope) => {
    const source = clientExamples.find((example) => example.event === scope)?.source ?? '';

    it('is there and parses as JavaScript', () => {
      expect(source).not.toBe('');
      expect(() => new Script(source)).not.toThrow();
    });

    it('sends only requests its namespace has', () => {
      const sent = [...source.matchAll(/request\('([^']+)'/g)].map(([, event]) => event);
      expect(sent.length).toBeGreaterThan(0);
      expect(sent.filter((event) => !has(NAMESPACES[scope].requests, event))).toEqual([]);
    });

    it('listens to every push of its namespace and to nothing else', () => {
      const heard = new Set(
        [...source.matchAll(/socket\.(?:on|once)\('([^']+)'/g)].map(([, event]) => event),
      );
      for (const reserved of ['connect', 'disconnect', 'connect_error']) heard.delete(reserved);
      expect([...heard].sort()).toEqual(Object.keys(NAMESPACES[scope].pushes).sort());
    });
  });

  describe('generated sections', () => {
    it.each(Object.keys(PROTOCOL_DOC_SECTIONS))('has the section %s', (name) => {
      expect(doc).toContain(`<!-- generated: ${name} -->`);
      expect(doc).toContain(`<!-- end generated: ${name} -->`);
    });

    it('is up to date (UPDATE_PROTOCOL_DOC=1 npx jest libs/protocol/src/protocol-doc.spec.ts rewrites it)', () => {
      const rendered = renderProtocolDocSections(doc);
      if (process.env.UPDATE_PROTOCOL_DOC && rendered !== doc) writeFileSync(DOC_PATH, rendered);
      else expect(doc).toBe(rendered);
    });
  });
});

describe('protocol doc rendering', () => {
  it('lays a table out as Prettier does, escaping pipes', () => {
    expect(renderMarkdownTable(['a', 'long header'], [['x|y', 'z']])).toBe(
      ['| a    | long header |', '| ---- | ----------- |', '| x\\|y | z           |'].join('\n'),
    );
  });

  it('advises on every error code', () => {
    expect(Object.keys(SOCKET_ERROR_ADVICE).sort()).toEqual([...errorCodes].sort());
  });

  it('refuses an unknown generated section', () => {
    expect(() =>
      renderProtocolDocSections('<!-- generated: nope -->\nx\n<!-- end generated: nope -->'),
    ).toThrow(/unknown generated section "nope"/);
  });
});
