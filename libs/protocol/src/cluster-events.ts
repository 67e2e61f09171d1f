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
]);

export type ClusterEvent = z.infer<typeof clusterEventSchema>;
export type ClusterEventType = ClusterEvent['type'];
export type ClusterEventOf<TType extends ClusterEventType> = Extract<ClusterEvent, { type: TType }>;

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
