import { z } from 'zod';
import type { Ack, SocketError } from './socket-errors';
import {
  agentStatusSchema,
  chatUidSchema,
  clientMessageIdSchema,
  sequenceSchema,
  type AgentView,
  type ChatLineView,
  type LineDelivery,
  type ChatState,
  type ChatSummary,
  type VisitorChatView,
} from './chat-views';

/** socket.io namespaces. */
export const VISITOR_NAMESPACE = '/visitor';
export const AGENT_NAMESPACE = '/agent';

/** Largest payload (bytes of JSON) one event may carry; the socket.io server also caps the frame size. */
export const MAX_EVENT_BYTES = 64 * 1024;

const variableName = z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 letters, digits, _ . or -');

// ---- visitor → server ----------------------------------------------------------------------------
export const startChatRequestSchema = z.object({
  siteKey: z.string().min(1).max(64),
  /**
   * A stable id the widget keeps for this browser (e.g. in localStorage): a visitor has at most one
   * open chat per site, so a second start with the same id returns the open chat.
   */
  visitorId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, 'must be 8-64 letters, digits, _ or -')
    .optional(),
  visitorName: z.string().trim().min(1).max(100),
  email: z.string().email().max(200).optional(),
  skill: z.string().min(1).max(100).optional(),
  /** The pre-chat form's answers. */
  variables: z
    .record(variableName, z.string().max(1000))
    .refine((variables) => Object.keys(variables).length <= 50, 'at most 50 variables')
    .optional(),
  /** The page the visitor chats from. */
  page: z.string().url().max(2048).optional(),
  /**
   * A random id the client makes for this start and sends again, unchanged, when it retries it (the
   * answer was lost): with `visitorId`, a retry answers the chat the first start opened.
   */
  clientRequestId: clientMessageIdSchema.optional(),
});
export const rejoinChatRequestSchema = z.object({
  chatUid: chatUidSchema,
  /** The token `chat:start` answered with. */
  token: z.string().min(16).max(200),
  /** The last sequence this client has; every line after it is sent back. 0 for all. */
  afterSequence: sequenceSchema,
});
export const sendLineRequestSchema = z.object({
  chatUid: chatUidSchema,
  text: z.string().min(1),
  clientMessageId: clientMessageIdSchema,
});
export const typingRequestSchema = z.object({ chatUid: chatUidSchema, typing: z.boolean() });
export const chatRequestSchema = z.object({ chatUid: chatUidSchema });
export const historyRequestSchema = z.object({
  chatUid: chatUidSchema,
  afterSequence: sequenceSchema,
  limit: z.number().int().min(1).max(1000).optional(),
});

// ---- agent → server ------------------------------------------------------------------------------
export const agentLoginRequestSchema = z.object({
  username: z.string().min(1).max(255),
  password: z.string().min(1).max(200),
  /** "Remember me": the session is refreshable for ACD.Chat.Session.RememberMe.Days instead of ACD.Chat.Session.Hours. */
  remember: z.boolean().optional(),
});
/** Trades a refresh token for a new pair and signs this connection in (the old refresh token is spent). */
export const agentRefreshRequestSchema = z.object({ refreshToken: z.string().min(16).max(300) });
export const agentStatusRequestSchema = z.object({ status: agentStatusSchema });
export const emptyRequestSchema = z.object({}).strict();
/** Where a transfer sends the chat: a named agent, the best agent with a skill, or another site's queue. */
export const transferTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('agent'), username: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('skill'), skill: z.string().min(1).max(100) }),
  z.object({ kind: z.literal('site'), siteKey: z.string().min(1).max(64) }),
]);
export type TransferTarget = z.infer<typeof transferTargetSchema>;
export const transferRequestSchema = z.object({ chatUid: chatUidSchema, target: transferTargetSchema });
/** An agent's close: `soft: true` is the console's soft close (SX) rather than Exit & Close (OC). */
export const agentCloseRequestSchema = chatRequestSchema.extend({ soft: z.boolean().optional() });
/** BX: the agent blocks the chat's visitor (their visitor id and address, on this site) and the chat ends. */
export const blockVisitorRequestSchema = z.object({
  chatUid: chatUidSchema,
  reason: z.string().trim().min(1).max(255).optional(),
  /** How long the block lasts; without it the visitor stays blocked until an admin lifts it. */
  hours: z.number().int().min(1).max(8760).optional(),
});

/** The schema of every request, by namespace and event: the gateways validate with these. */
export const VISITOR_REQUESTS = {
  'chat:start': startChatRequestSchema,
  'chat:rejoin': rejoinChatRequestSchema,
  'chat:send': sendLineRequestSchema,
  'chat:typing': typingRequestSchema,
  'chat:close': chatRequestSchema,
  'chat:history': historyRequestSchema,
} as const;

export const AGENT_REQUESTS = {
  'agent:login': agentLoginRequestSchema,
  'agent:refresh': agentRefreshRequestSchema,
  'agent:logout': emptyRequestSchema,
  'agent:status': agentStatusRequestSchema,
  'agent:activity': emptyRequestSchema,
  'queue:list': emptyRequestSchema,
  'chats:mine': emptyRequestSchema,
  'chat:pickup': chatRequestSchema,
  'chat:accept': chatRequestSchema,
  'chat:decline': chatRequestSchema,
  'chat:transfer': transferRequestSchema,
  'chat:acquire': chatRequestSchema,
  'chat:send': sendLineRequestSchema,
  'chat:typing': typingRequestSchema,
  'chat:close': agentCloseRequestSchema,
  'chat:block': blockVisitorRequestSchema,
  'chat:leave': chatRequestSchema,
  'chat:unblock': chatRequestSchema,
  'chat:history': historyRequestSchema,
} as const;

type Request<TSchemas, TEvent extends keyof TSchemas> = TSchemas[TEvent] extends z.ZodTypeAny
  ? z.input<TSchemas[TEvent]>
  : never;

/** The answer of each visitor request (inside `Ack`). */
export interface VisitorResults {
  'chat:start': { chat: VisitorChatView; token: string };
  'chat:rejoin': { chat: VisitorChatView; lines: ChatLineView[] };
  'chat:send': { line: ChatLineView };
  'chat:typing': Record<string, never>;
  'chat:close': Record<string, never>;
  'chat:history': { lines: ChatLineView[] };
}

/**
 * A session's tokens: `token` (short-lived, for `auth: { token }` and `Authorization: Bearer`) and
 * `refreshToken` (spent by `agent:refresh`, which answers a new pair). Keep both secret.
 */
export interface AgentSessionTokens {
  token: string;
  /** When `token` stops being accepted (ISO-8601); refresh before. */
  expiresAt: string;
  refreshToken: string;
}

/** The answer of each agent request (inside `Ack`). */
export interface AgentResults {
  'agent:login': AgentSessionTokens & { agent: AgentView };
  'agent:refresh': AgentSessionTokens & { agent: AgentView };
  'agent:logout': Record<string, never>;
  'agent:status': { agent: AgentView };
  'agent:activity': Record<string, never>;
  'queue:list': { chats: ChatSummary[] };
  'chats:mine': { chats: ChatSummary[] };
  'chat:pickup': { chat: ChatSummary; lines: ChatLineView[] };
  'chat:accept': { chat: ChatSummary; lines: ChatLineView[] };
  'chat:decline': Record<string, never>;
  'chat:transfer': { chat: ChatSummary };
  'chat:acquire': { chat: ChatSummary; lines: ChatLineView[] };
  'chat:send': { line: ChatLineView };
  'chat:typing': Record<string, never>;
  'chat:close': Record<string, never>;
  'chat:block': Record<string, never>;
  'chat:leave': Record<string, never>;
  /** How many blocks were lifted (0 when the chat's visitor was not blocked). */
  'chat:unblock': { lifted: number };
  'chat:history': { lines: ChatLineView[] };
}

export type VisitorClientEvents = {
  [TEvent in keyof VisitorResults]: (
    payload: Request<typeof VISITOR_REQUESTS, TEvent>,
    ack: (answer: Ack<VisitorResults[TEvent]>) => void,
  ) => void;
};
export type AgentClientEvents = {
  [TEvent in keyof AgentResults]: (
    payload: Request<typeof AGENT_REQUESTS, TEvent>,
    ack: (answer: Ack<AgentResults[TEvent]>) => void,
  ) => void;
};

/** A chat changed state (assigned, back to waiting, closed…), with the event code that made it. */
export interface ChatStateNotice {
  chatUid: string;
  state: ChatState;
  agentName: string | null;
  code: string | null;
  text: string | null;
}

/**
 * An agent connection's `chat:state`: also the username of the agent holding the chat now, so a
 * console tells "moved to me" (a transfer, an acquire) from "moved away from me".
 */
export interface AgentChatStateNotice extends ChatStateNotice {
  agentUsername: string | null;
}

/** The other side of a chat started or stopped typing: `by` says which side (never the receiver's own). */
export interface TypingNotice {
  chatUid: string;
  by: 'visitor' | 'operator';
  typing: boolean;
}

/** A queued visitor's place: position (1 = next), expected wait, and the QM text to show. */
export interface QueuePositionNotice {
  chatUid: string;
  position: number;
  /** null when no agent with the skill is online (no estimate). */
  expectedWaitSeconds: number | null;
  text: string;
}

/** A chat routing sends to this agent: accept it (`chat:accept`) or decline it (`chat:decline`) before `expiresAt`. */
export interface ChatOfferNotice {
  chat: ChatSummary;
  /** AC, ACR, QAC, QALL or QON, with its text (null only from a node older than the offer-to-all codes). */
  code: string | null;
  text: string | null;
  expiresAt: string;
}

// ---- server → clients ----------------------------------------------------------------------------
export interface VisitorServerEvents {
  /** A problem outside any request: an unknown event sent without an acknowledgement callback. */
  'request:error': (error: SocketError) => void;
  'chat:line': (line: ChatLineView) => void;
  'chat:typing': (notice: TypingNotice) => void;
  'chat:state': (notice: ChatStateNotice) => void;
  /** While the chat waits in the queue: its position and expected wait, whenever they change. */
  'chat:queue': (notice: QueuePositionNotice) => void;
}

export interface AgentServerEvents {
  /** A problem outside any request: a bad token at connection, an unknown event without an ack. */
  'request:error': (error: SocketError) => void;
  /** The session of this connection ended (logged out elsewhere, revoked, user disabled or deleted); it is then closed. */
  'agent:signed-out': (notice: { reason: string; message: string }) => void;
  /** Sent once after a connection authenticated with a token (`auth: { token }`). */
  'agent:ready': (agent: AgentView) => void;
  'agent:status': (agent: AgentView) => void;
  'chat:line': (line: ChatLineView) => void;
  /** A WhatsApp line's delivery state changed (sent, delivered, seen, failed, refused, deleted…). */
  'chat:delivery': (delivery: LineDelivery) => void;
  'chat:typing': (notice: TypingNotice) => void;
  'chat:state': (notice: AgentChatStateNotice) => void;
  /** A chat joined the waiting list every eligible agent sees. */
  'queue:added': (chat: ChatSummary) => void;
  /** A chat left the waiting list (picked up, closed, expired). */
  'queue:removed': (notice: { chatUid: string; reason: string }) => void;
  /** Routing offers this agent a chat (auto pickup request, or an offer to every eligible agent). */
  'chat:offer': (offer: ChatOfferNotice) => void;
}
