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
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(200),
});
export const agentStatusRequestSchema = z.object({ status: agentStatusSchema });
export const emptyRequestSchema = z.object({}).strict();

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
  'agent:status': agentStatusRequestSchema,
  'queue:list': emptyRequestSchema,
  'chats:mine': emptyRequestSchema,
  'chat:pickup': chatRequestSchema,
  'chat:send': sendLineRequestSchema,
  'chat:typing': typingRequestSchema,
  'chat:close': chatRequestSchema,
  'chat:leave': chatRequestSchema,
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

/** The answer of each agent request (inside `Ack`). */
export interface AgentResults {
  'agent:login': { token: string; agent: AgentView };
  'agent:status': { agent: AgentView };
  'queue:list': { chats: ChatSummary[] };
  'chats:mine': { chats: ChatSummary[] };
  'chat:pickup': { chat: ChatSummary; lines: ChatLineView[] };
  'chat:send': { line: ChatLineView };
  'chat:typing': Record<string, never>;
  'chat:close': Record<string, never>;
  'chat:leave': Record<string, never>;
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

// ---- server → clients ----------------------------------------------------------------------------
export interface VisitorServerEvents {
  /** A problem outside any request: an unknown event sent without an acknowledgement callback. */
  'request:error': (error: SocketError) => void;
  'chat:line': (line: ChatLineView) => void;
  'chat:typing': (notice: { chatUid: string; typing: boolean }) => void;
  'chat:state': (notice: ChatStateNotice) => void;
}

export interface AgentServerEvents {
  /** A problem outside any request: a bad token at connection, an unknown event without an ack. */
  'request:error': (error: SocketError) => void;
  /** Sent once after a connection authenticated with a token (`auth: { token }`). */
  'agent:ready': (agent: AgentView) => void;
  'agent:status': (agent: AgentView) => void;
  'chat:line': (line: ChatLineView) => void;
  /** A WhatsApp line's delivery state changed (sent, delivered, seen, failed, refused, deleted…). */
  'chat:delivery': (delivery: LineDelivery) => void;
  'chat:typing': (notice: { chatUid: string; typing: boolean }) => void;
  'chat:state': (notice: ChatStateNotice) => void;
  /** A chat joined the waiting list every eligible agent sees. */
  'queue:added': (chat: ChatSummary) => void;
  /** A chat left the waiting list (picked up, closed, expired). */
  'queue:removed': (notice: { chatUid: string; reason: string }) => void;
}
