import { z } from 'zod';

/**
 * A TynTec message id. Not always a UUID (postback and order examples use ids such as
 * `ABGHSRdiRDUxLwIQHWZNgHd-WIdpPHTMERqTgQ`): an opaque string with a length limit.
 */
export const tyntecMessageIdSchema = z.string().min(1).max(256);

/** `userContext` of a send request, echoed back in status events (TynTec's limit: 255 characters). */
export const userContextSchema = z.string().max(255);

/** A phone number as TynTec writes it: E.164 digits, usually without the leading `+`. */
export const tyntecNumberSchema = z.string().min(1).max(32);

const E164_PATTERN = /^\+?[1-9]\d{1,14}$/;

/**
 * True for an E.164 number: up to 15 digits, no leading zero, an optional leading `+`
 * (TynTec's wire format omits it, the chat connector settings usually include it).
 */
export function isE164(number: string): boolean {
  return E164_PATTERN.test(number);
}

/** True for an absolute `https:` URL: TynTec refuses webhook callbacks on anything else. */
export function isHttpsUrl(url: string): boolean {
  return URL.canParse(url) && new URL(url).protocol === 'https:';
}

/** One line per zod issue, `path: message`, for `{ kind: 'invalid', problems }`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}

/** The `event` field of a webhook body, if it has one that is a string. */
export function eventNameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const event = (body as Record<string, unknown>).event;
  return typeof event === 'string' ? event : undefined;
}
