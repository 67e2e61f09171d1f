import { z } from 'zod';
import {
  agentViewSchema,
  chatLineViewSchema,
  chatStateSchema,
  chatSummarySchema,
  chatUidSchema,
  lineDeliverySchema,
} from './socket/chat-views';

/** What a `reload` event asks every process to re-read from the database (the WhosOn load*.htm endpoints). */
export const RELOAD_TARGETS = [
  'site',
  'sites',
  'user',
  'users',
  'usergroups',
  'workperiods',
  'skills',
  'settings',
] as const;
export type ReloadTarget = (typeof RELOAD_TARGETS)[number];

const envelope = {
  /** The process that published the event (service name + node id). */
  origin: z.string().min(1).max(200),
  /** ISO-8601 time of publication. */
  at: z.string().datetime(),
};

export const parameterChangedEventSchema = z.object({
  type: z.literal('parameter.changed'),
  ...envelope,
  name: z.string().min(1).max(200),
  /** The stored value as text (what the registry parses), or null when reset to the default. */
  value: z.string().max(8192).nullable(),
  changedBy: z.string().min(1).max(200),
});

export const reloadEventSchema = z.object({
  type: z.literal('reload'),
  ...envelope,
  target: z.enum(RELOAD_TARGETS),
  /** The site key or username for `site` / `user`. */
  key: z.string().max(200).optional(),
});

/** A line was stored: every node delivers it to the chat's participants connected to it. */
export const chatLineEventSchema = z.object({
  type: z.literal('chat.line'),
  ...envelope,
  line: chatLineViewSchema,
});

/** A WhatsApp line's delivery state changed: every node tells the chat's agents connected to it. */
export const chatDeliveryEventSchema = z.object({
  type: z.literal('chat.delivery'),
  ...envelope,
  delivery: lineDeliverySchema,
});

export const chatTypingEventSchema = z.object({
  type: z.literal('chat.typing'),
  ...envelope,
  chatUid: chatUidSchema,
  by: z.enum(['visitor', 'operator']),
  typing: z.boolean(),
});

/** A chat changed state; `agentUsername` is the assigned agent after the change, if any. */
export const chatStateEventSchema = z.object({
  type: z.literal('chat.state'),
  ...envelope,
  chatUid: chatUidSchema,
  state: chatStateSchema,
  agentUsername: z.string().nullable(),
  agentName: z.string().nullable(),
  /** The previous agent when the chat left one (OL, transfer, close). */
  previousAgentUsername: z.string().nullable(),
  code: z.string().max(8).nullable(),
  text: z.string().max(2000).nullable(),
});

export const queueAddedEventSchema = z.object({
  type: z.literal('queue.added'),
  ...envelope,
  chat: chatSummarySchema,
});
export const queueRemovedEventSchema = z.object({
  type: z.literal('queue.removed'),
  ...envelope,
  chatUid: chatUidSchema,
  reason: z.string().max(200),
});

/** Routing sent a chat to agents: an auto pickup request (one agent) or an offer to all eligible agents. */
export const chatOfferEventSchema = z.object({
  type: z.literal('chat.offer'),
  ...envelope,
  chat: chatSummarySchema,
  agentUsernames: z.array(z.string()).min(1).max(1000),
  /** The stored event code (AC, ACR, QAC, QALL, QON) and its text (null only from a node older than the offer-to-all codes). */
  code: z.string().max(8).nullable(),
  text: z.string().max(2000).nullable(),
  /** When routing withdraws the offer if nobody accepted (`ACD.Chat.AutoPickup.AcceptTimeout.Seconds`). */
  expiresAt: z.string().datetime(),
});

/** An agent declined an offer: routing moves on at once instead of waiting for the accept timeout. */
export const offerDeclinedEventSchema = z.object({
  type: z.literal('offer.declined'),
  ...envelope,
  chatUid: chatUidSchema,
  agentUsername: z.string(),
});

/** Where queued chats stand now: each visitor is told their position and expected wait (QM). */
export const queuePositionsEventSchema = z.object({
  type: z.literal('queue.positions'),
  ...envelope,
  positions: z
    .array(
      z.object({
        chatUid: chatUidSchema,
        position: z.number().int().min(1),
        /** null when no agent with the skill is online (no estimate). */
        expectedWaitSeconds: z.number().int().min(0).nullable(),
        text: z.string().max(2000),
      }),
    )
    .max(100000),
});

/** Sessions of an operator ended (log-out, user disabled or deleted): every node closes their connections. */
export const sessionRevokedEventSchema = z.object({
  type: z.literal('session.revoked'),
  ...envelope,
  operatorId: z.number().int().min(1),
  username: z.string().min(1).max(255),
  /** The one session ended, or null for every session of the operator. */
  sessionKey: z.string().min(16).max(64).nullable(),
  reason: z.string().min(1).max(32),
});

export const agentStatusEventSchema = z.object({
  type: z.literal('agent.status'),
  ...envelope,
  agent: agentViewSchema,
});

/** Every event carried on the cluster's `CHAT` stream. Validated when read: a malformed event is logged and skipped. */
export const clusterEventSchema = z.discriminatedUnion('type', [
  parameterChangedEventSchema,
  reloadEventSchema,
  chatLineEventSchema,
  chatDeliveryEventSchema,
  chatTypingEventSchema,
  chatStateEventSchema,
  queueAddedEventSchema,
  queueRemovedEventSchema,
  agentStatusEventSchema,
  chatOfferEventSchema,
  offerDeclinedEventSchema,
  queuePositionsEventSchema,
  sessionRevokedEventSchema,
]);

export type ClusterEvent = z.infer<typeof clusterEventSchema>;

/** Every `type` an event on the stream may have. */
export const CLUSTER_EVENT_TYPES = clusterEventSchema.options.map((option) => option.shape.type.value);
export type ClusterEventType = ClusterEvent['type'];
export type ClusterEventOf<TType extends ClusterEventType> = Extract<ClusterEvent, { type: TType }>;

/** An event as a publisher writes it, before the envelope (`origin`, `at`) is added. */
export type ClusterEventBody = ClusterEvent extends infer TEvent
  ? TEvent extends ClusterEvent
    ? Omit<TEvent, 'origin' | 'at'>
    : never
  : never;

/** Adds the envelope: who publishes (`origin`) and when. */
export function withEnvelope(body: ClusterEventBody, origin: string, at = new Date()): ClusterEvent {
  return { ...body, origin, at: at.toISOString() };
}

/** Parses an event read from the stream; the error names the offending fields. */
export function parseClusterEvent(
  raw: unknown,
): { ok: true; event: ClusterEvent } | { ok: false; error: string } {
  const result = clusterEventSchema.safeParse(raw);
  if (result.success) return { ok: true, event: result.data };
  return {
    ok: false,
    error: result.error.issues
      .map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`)
      .join('; '),
  };
}
