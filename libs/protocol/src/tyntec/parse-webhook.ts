import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  GROUP_EVENT_PREFIX,
  MESSAGE_STATUS_PREFIX,
  MESSAGE_STATUSES,
  messageStatusEventSchema,
  toGroupEvent,
  type MessageStatus,
  type WhatsAppGroupEvent,
} from './delivery-event.schema';
import {
  INBOUND_MEDIA_TYPES,
  MO_CONTENT_TYPES,
  MO_MESSAGE_EVENTS,
  moMessageSchema,
} from './mo-message.schema';
import { toInboundMessage, type InboundMessage } from './inbound-message';
import {
  describeIssues,
  eventNameOf,
  MAX_NESTING_DEPTH,
  nestedDeeperThan,
  wrongTypeIssues,
} from './tyntec-common';

/**
 * A well-formed body that cannot be used (a field missing or too long, nested too deep): answer 2xx
 * anyway (TynTec retries every non-2xx) and dead-letter it.
 */
export interface InvalidWebhook {
  readonly kind: 'invalid';
  readonly problems: readonly string[];
}
/**
 * A body TynTec never sends: not an object, or a field of the wrong JSON type. Answered 400 and not
 * stored (a caller that is not TynTec, or a bug to see in the logs).
 */
export interface MalformedWebhook {
  readonly kind: 'malformed';
  readonly problems: readonly string[];
}
/** A well-formed body the connector does not handle (other channel, content type, event). */
export interface UnsupportedWebhook {
  readonly kind: 'unsupported';
  readonly reason: string;
}

export type IncomingWebhookResult =
  | { readonly kind: 'message'; readonly message: InboundMessage; readonly dedupeKey: string }
  | UnsupportedWebhook
  | InvalidWebhook
  | MalformedWebhook;

export interface MessageStatusUpdate {
  readonly messageId: string;
  readonly status: MessageStatus;
  readonly channel?: string;
  readonly userContext?: string;
  readonly timestamp?: string;
  readonly details?: { readonly code?: string; readonly message?: string };
  readonly from?: string;
  readonly to?: string;
}

export type DeliveryWebhookResult =
  | { readonly kind: 'status'; readonly status: MessageStatusUpdate; readonly dedupeKey: string }
  | { readonly kind: 'group'; readonly event: WhatsAppGroupEvent; readonly dedupeKey: string }
  | UnsupportedWebhook
  | InvalidWebhook
  | MalformedWebhook;

const NOT_AN_OBJECT: MalformedWebhook = { kind: 'malformed', problems: ['(body): expected a JSON object'] };
const TOO_DEEP: InvalidWebhook = {
  kind: 'invalid',
  problems: [`(body): nested deeper than ${MAX_NESTING_DEPTH} levels`],
};

/** Why a body is unusable before its event is read: not an object, nested too deep, no string `event`. */
function unreadable(body: unknown): InvalidWebhook | MalformedWebhook | undefined {
  if (!isRecord(body)) return NOT_AN_OBJECT;
  if (nestedDeeperThan(body, MAX_NESTING_DEPTH)) return TOO_DEEP;
  if (body.event === undefined || body.event === null)
    return { kind: 'invalid', problems: ['event: expected a string'] };
  if (typeof body.event !== 'string') return { kind: 'malformed', problems: ['event: expected a string'] };
  return undefined;
}

/** Zod's issues as `invalid`, or as `malformed` when a field that is there has the wrong JSON type. */
function failed(body: unknown, error: z.ZodError): InvalidWebhook | MalformedWebhook {
  const wrongTypes = wrongTypeIssues(body, error);
  return wrongTypes.length > 0
    ? { kind: 'malformed', problems: describeIssues(wrongTypes) }
    : { kind: 'invalid', problems: describeIssues(error) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a body posted to the `/incoming` callback. Never throws. */
export function parseIncomingWebhook(body: unknown): IncomingWebhookResult {
  const problem = unreadable(body);
  if (problem !== undefined || !isRecord(body)) return problem ?? NOT_AN_OBJECT;
  const event = eventNameOf(body) ?? '';
  if (!(MO_MESSAGE_EVENTS as readonly string[]).includes(event)) {
    return { kind: 'unsupported', reason: `event ${event} is not an inbound message` };
  }
  const unsupportedContent = unsupportedContentReason(body.content);
  if (unsupportedContent !== undefined) return { kind: 'unsupported', reason: unsupportedContent };
  const parsed = moMessageSchema.safeParse(body);
  if (!parsed.success) return failed(body, parsed.error);
  if (parsed.data.channel !== 'whatsapp') {
    return { kind: 'unsupported', reason: `channel ${parsed.data.channel} is not whatsapp` };
  }
  const message = toInboundMessage(parsed.data);
  if (typeof message === 'string') return { kind: 'invalid', problems: [message] };
  return {
    kind: 'message',
    message,
    dedupeKey: dedupeKey({ kind: 'message', messageId: message.messageId }),
  };
}

function unsupportedContentReason(content: unknown): string | undefined {
  if (!isRecord(content) || typeof content.contentType !== 'string') return undefined;
  if (!(MO_CONTENT_TYPES as readonly string[]).includes(content.contentType)) {
    return `content type ${content.contentType} is not supported`;
  }
  const media = content.media;
  if (content.contentType === 'media' && isRecord(media) && typeof media.type === 'string') {
    if (!(INBOUND_MEDIA_TYPES as readonly string[]).includes(media.type)) {
      return `media type ${media.type} is not supported`;
    }
  }
  return undefined;
}

/** Reads a body posted to the `/delivery` callback: a status or a group event. Never throws. */
export function parseDeliveryWebhook(body: unknown): DeliveryWebhookResult {
  const problem = unreadable(body);
  if (problem !== undefined || !isRecord(body)) return problem ?? NOT_AN_OBJECT;
  const event = eventNameOf(body) ?? '';
  if (event.startsWith(GROUP_EVENT_PREFIX)) {
    return { kind: 'group', event: toGroupEvent(event, body), dedupeKey: dedupeKey({ kind: 'group', body }) };
  }
  if (!event.startsWith(MESSAGE_STATUS_PREFIX)) {
    return { kind: 'unsupported', reason: `event ${event} is not a status or group event` };
  }
  const statusName = event.slice(MESSAGE_STATUS_PREFIX.length);
  if (!(MESSAGE_STATUSES as readonly string[]).includes(statusName)) {
    return { kind: 'unsupported', reason: `status ${statusName} is not known` };
  }
  const parsed = messageStatusEventSchema.safeParse(body);
  if (!parsed.success) return failed(body, parsed.error);
  const {
    event: _event,
    status: _deprecatedStatus,
    deliveryChannel: _deliveryChannel,
    ...fields
  } = parsed.data;
  const status = { ...fields, status: statusName as MessageStatus };
  return { kind: 'status', status, dedupeKey: dedupeKey({ kind: 'status', ...status }) };
}

/** What a dedupe key is computed from. */
export type DedupeSubject =
  | { readonly kind: 'message'; readonly messageId: string }
  | { readonly kind: 'status'; readonly messageId: string; readonly status: MessageStatus }
  | { readonly kind: 'group'; readonly body: unknown };

/**
 * The idempotency key of a webhook delivery: TynTec retries (inbound for up to 14 days), so the
 * connector stores each key once. An inbound message is keyed by its id, a status by id and
 * status (a message has several), a group event (which has no id) by a SHA-256 of its body with
 * the keys sorted, so a retry with reordered fields is still a duplicate. The parsers refuse bodies
 * nested deeper than {@link MAX_NESTING_DEPTH}, so the canonical form's recursion stays shallow.
 */
export function dedupeKey(subject: DedupeSubject): string {
  switch (subject.kind) {
    case 'message':
      return `mo:${subject.messageId}`;
    case 'status':
      return `status:${subject.messageId}:${subject.status}`;
    case 'group':
      return `group:${createHash('sha256').update(canonicalJson(subject.body)).digest('hex')}`;
  }
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
