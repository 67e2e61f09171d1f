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
export function describeIssues(source: z.ZodError | readonly z.core.$ZodIssue[]): string[] {
  const issues = source instanceof z.ZodError ? source.issues : source;
  return issues.map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
}

/** The deepest nesting of objects and arrays a webhook body may have (TynTec's are a few levels deep). */
export const MAX_NESTING_DEPTH = 32;

/** True when `value` nests objects or arrays deeper than `limit`; iterative, so no depth overflows the stack. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= limit) return true;
    for (const child of Object.values(next.value)) pending.push({ value: child, depth: next.depth + 1 });
  }
  return false;
}

/**
 * The issues about a field that is there but of the wrong JSON type (a number for a string, an
 * object for an array); a missing (or null) field is not one of them.
 */
export function wrongTypeIssues(body: unknown, error: z.ZodError): z.core.$ZodIssue[] {
  return error.issues.filter((issue) => {
    if (issue.code !== 'invalid_type' && issue.code !== 'invalid_union') return false;
    const value = issue.path.reduce<unknown>(
      (parent, key) =>
        typeof parent === 'object' && parent !== null
          ? (parent as Record<PropertyKey, unknown>)[key]
          : undefined,
      body,
    );
    return value !== undefined && value !== null;
  });
}

/** The `event` field of a webhook body, if it has one that is a string. */
export function eventNameOf(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const event = (body as Record<string, unknown>).event;
  return typeof event === 'string' ? event : undefined;
}
