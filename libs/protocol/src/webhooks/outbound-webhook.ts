import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/** The chat events a site's webhook endpoint may subscribe to. */
export const outboundWebhookEventTypes = [
  'chat.started',
  'chat.assigned',
  'chat.closed',
  'chat.line',
] as const;
export type OutboundWebhookEventType = (typeof outboundWebhookEventTypes)[number];

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-Switchboard-Signature';
/** The event's id: the same on every attempt, for the receiver to drop a repeat. */
export const WEBHOOK_EVENT_ID_HEADER = 'X-Switchboard-Event-Id';
export const WEBHOOK_EVENT_TYPE_HEADER = 'X-Switchboard-Event';

/** What each event type carries in `data`. */
export interface OutboundWebhookData {
  'chat.started': { visitorName: string | null; visitorEmail: string | null };
  'chat.assigned': { agent: { username: string; name: string } };
  'chat.closed': { state: 'closed' | 'missed'; code: string };
  'chat.line': { sequence: number; sender: string; senderName: string; text: string };
}

/** The JSON body of one delivery (docs/webhooks.md). */
export interface OutboundWebhookEvent<TType extends OutboundWebhookEventType = OutboundWebhookEventType> {
  readonly id: string;
  readonly type: TType;
  readonly occurredAt: string;
  readonly siteKey: string;
  readonly chat: { readonly uid: string; readonly channel: string };
  readonly data: OutboundWebhookData[TType];
}

/** The signature header's value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/**
 * True when `header` signs `body` with `secret` and its timestamp is within `toleranceSeconds` of
 * `nowSeconds` (a replayed old delivery is refused). What a receiver runs; docs/webhooks.md shows it.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = new Map(
    header.split(',').map((part) => {
      const [key, ...value] = part.trim().split('=');
      return [key, value.join('=')] as const;
    }),
  );
  const timestamp = Number(parts.get('t'));
  const signature = parts.get('v1') ?? '';
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body).split('v1=')[1], 'hex');
  const given = Buffer.from(signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The most a close answer's message may hold; it is shown to the visitor. */
export const WEBHOOK_CLOSE_MESSAGE_MAX = 1000;

const closeAnswer = z.object({
  action: z.literal('close'),
  message: z.string().trim().max(WEBHOOK_CLOSE_MESSAGE_MAX).optional(),
});

/** What an endpoint's answer asks for: nothing, or closing the chat (code SC) with a message for the visitor. */
export type WebhookAnswer = { action: 'none' } | { action: 'close'; message: string | null };

/** Events whose answer may close the chat. */
const closableBy: readonly OutboundWebhookEventType[] = ['chat.started', 'chat.line'];

/**
 * Reads a 2xx answer's body: `{"action":"close","message":"…"}` to a chat.started or chat.line
 * delivery closes the chat; anything else (empty, not JSON, another action, another event) asks nothing.
 */
export function parseWebhookAnswer(eventType: OutboundWebhookEventType, body: string): WebhookAnswer {
  if (!closableBy.includes(eventType) || body.trim() === '') return { action: 'none' };
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { action: 'none' };
  }
  const parsed = closeAnswer.safeParse(json);
  if (!parsed.success) return { action: 'none' };
  const message = parsed.data.message ?? '';
  return { action: 'close', message: message === '' ? null : message };
}

const loopbackHosts = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Why `url` cannot be a callback, or null when it can: HTTPS, or HTTP to a loopback host or with
 * `allowHttp`; no user or password in it (URLs end up in logs and audits).
 */
export function callbackUrlProblem(url: string, allowHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'must be an absolute URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'must not carry a user or password';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol !== 'http:') return 'must be https://';
  if (allowHttp || loopbackHosts.test(parsed.hostname)) return null;
  return 'must be https:// (http:// only to a loopback address, or with allowHttp)';
}
