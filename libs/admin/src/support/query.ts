import { isIP } from 'node:net';
import { z } from 'zod';
import { AdminErrorCode, AdminException } from '../admin.exception';

/** Validates a query or body against `schema`; a failure names every bad field (the auth string never). */
export function parseInput<TSchema extends z.ZodType>(schema: TSchema, input: unknown): z.infer<TSchema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`,
  );
  throw new AdminException(AdminErrorCode.BadRequest, problems.join('; '));
}

// Query strings repeat a parameter as an array (`?sitekey=1&sitekey=2`): refused as malformed.
const single = z.string({ error: 'required, once' });

export const siteKeyParameter = single.trim().min(1).max(64);
export const usernameParameter = single.trim().min(1).max(100);
export const chatUidParameter = single.trim().uuid('must be a chat UID');
export const idParameter = single.regex(/^\d{1,9}$/, 'must be a positive whole number').transform(Number);
export const ipParameter = single.trim().refine((ip) => isIP(ip) !== 0, 'must be an IPv4 or IPv6 address');

export const siteQuery = z.object({ sitekey: siteKeyParameter });
export const userQuery = z.object({ username: usernameParameter });
export const idQuery = z.object({ id: idParameter });
export const chatQuery = z.object({ sitekey: siteKeyParameter, chatuid: chatUidParameter });
export const geoIpQuery = z.object({ ip: ipParameter });

export const usersQuery = z.object({
  contains: single.max(100).optional(),
  domain: single.max(255).optional(),
  status: z
    .enum(['all', 'connected', '0', '1', '2', '3'], { error: 'must be all, connected, 0, 1, 2 or 3' })
    .optional(),
  skills: single.max(1000).optional(),
});
