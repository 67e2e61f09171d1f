import { z } from 'zod';

/** A chat UID: opaque, URL-safe, ≤ 64 characters. */
export const chatUidSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
/** Chosen by the sender of a line so that a resend after a lost acknowledgement is stored once. */
export const clientMessageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');
export const sequenceSchema = z.number().int().min(0);

export const CHAT_STATES = ['waiting', 'queued', 'offered', 'active', 'closed', 'missed'] as const;
export const chatStateSchema = z.enum(CHAT_STATES);
export type ChatState = z.infer<typeof chatStateSchema>;

export const SENDER_KINDS = ['visitor', 'operator', 'system'] as const;
export const senderKindSchema = z.enum(SENDER_KINDS);
export type SenderKind = z.infer<typeof senderKindSchema>;

/** One stored chat line as every client sees it. `sequence` is per chat, from 1, without gaps. */
export const chatLineViewSchema = z.object({
  chatUid: chatUidSchema,
  sequence: sequenceSchema,
  sender: senderKindSchema,
  senderName: z.string(),
  text: z.string(),
  at: z.string().datetime(),
  clientMessageId: clientMessageIdSchema.nullable(),
});
export type ChatLineView = z.infer<typeof chatLineViewSchema>;

/**
 * How far a WhatsApp line got: `pending` (stored, not sent yet), `refused` (outside the customer care
 * window: send a template), `unknown` (TynTec may have it, its answer was lost: not resent, waiting for
 * its status; also TynTec's own `unknown`), `unconfirmed` (no status came in time: it may not have
 * reached the customer), then TynTec's statuses; `deleted` marks a customer's message they deleted.
 */
export const LINE_DELIVERY_STATES = [
  'pending',
  'refused',
  'unknown',
  'unconfirmed',
  'accepted',
  'channelFailed',
  'failed',
  'delivered',
  'seen',
  'deleted',
] as const;

/** A WhatsApp line's delivery state changed; `detail` says why it failed or was refused. */
export const lineDeliverySchema = z.object({
  chatUid: chatUidSchema,
  sequence: sequenceSchema,
  state: z.enum(LINE_DELIVERY_STATES),
  detail: z.string().max(2000).nullable(),
});
export type LineDelivery = z.infer<typeof lineDeliverySchema>;

/** What an agent's waiting list and chat tabs show of a chat. */
export const chatSummarySchema = z.object({
  chatUid: chatUidSchema,
  siteKey: z.string(),
  channel: z.enum(['web', 'whatsapp']),
  visitorName: z.string(),
  visitorEmail: z.string().nullable(),
  skill: z.string().nullable(),
  state: chatStateSchema,
  agentUsername: z.string().nullable(),
  lastSequence: sequenceSchema,
  createdAt: z.string().datetime(),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

/** What a visitor sees of their own chat. */
export const visitorChatViewSchema = z.object({
  chatUid: chatUidSchema,
  siteKey: z.string(),
  state: chatStateSchema,
  agentName: z.string().nullable(),
  lastSequence: sequenceSchema,
});
export type VisitorChatView = z.infer<typeof visitorChatViewSchema>;

/** WhosOn status codes: 0 offline, 1 online (Chat: takes chats), 2 busy, 3 away. */
export const agentStatusSchema = z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]);
export type AgentStatus = z.infer<typeof agentStatusSchema>;

export const agentViewSchema = z.object({
  username: z.string(),
  displayName: z.string(),
  status: agentStatusSchema,
  maxChats: z.number().int(),
  openChats: z.number().int(),
  skills: z.array(z.string()),
  /**
   * Why the status last changed, on an `agent:status` push that reports a change: the agent set it
   * (`manual`), all their connections were gone for the grace (`disconnected`), idle (`idle`), or
   * they logged out (`logout`). Absent when only the counts changed.
   */
  reason: z.enum(['manual', 'disconnected', 'idle', 'logout']).optional(),
});
export type AgentView = z.infer<typeof agentViewSchema>;
