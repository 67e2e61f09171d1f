import { AUTH_SOURCES, OPERATOR_ROLES } from '@switchboard/persistence';
import { textRuleMaxLength, textRulePhrasePattern, textRulesPerSite } from '@switchboard/routing-domain';
import { z } from 'zod';

const text = (max: number) => z.string().trim().min(1).max(max);
const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'must be HH:MM (00:00 to 24:00)')
  .transform((value) => Number(value.slice(0, 2)) * 60 + Number(value.slice(3)));

export const newSiteBody = z
  .object({
    siteKey: text(64).regex(/^[\w.-]+$/, 'letters, digits, _ . - only'),
    name: text(200),
    domain: text(255),
    paused: z.boolean().optional(),
    timeZone: text(64).optional(),
    chatTemplate: text(100).nullable().optional(),
    offlineMessage: z.string().max(4000).nullable().optional(),
    textRules: z
      .array(
        z
          .string()
          .trim()
          .max(textRuleMaxLength)
          .regex(
            textRulePhrasePattern,
            "a word or phrase (letters, digits, ' and -, single spaces), not a pattern",
          ),
      )
      .max(textRulesPerSite)
      .nullable()
      .optional(),
    textRuleMessage: z.string().trim().min(1).max(4000).nullable().optional(),
  })
  .strict();

export const siteChangesBody = newSiteBody.omit({ siteKey: true }).partial().strict();

const userFields = z
  .object({
    username: text(100),
    displayName: text(200),
    /** Only for `local` users; LDAP and OIDC users have no local password. */
    password: z.string().min(8).max(200),
    role: z.enum(OPERATOR_ROLES).optional(),
    authSource: z.enum(AUTH_SOURCES).optional(),
    disabled: z.boolean().optional(),
    email: z.email().max(255).nullable().optional(),
    maxChats: z.number().int().min(0).max(100).optional(),
    userGroup: text(100).nullable().optional(),
    skills: z.array(text(100)).max(100).optional(),
    photo: z.base64().max(65_000).nullable().optional(),
  })
  .strict();

const noDirectoryPassword = (user: { authSource?: string; password?: string }) =>
  user.authSource === undefined || user.authSource === 'local' || user.password === undefined;
const directoryPasswordRefusal = {
  message: 'LDAP and OIDC users have no local password (their directory checks it): remove password',
  path: ['password'],
};

export const newUserBody = userFields
  .extend({ password: userFields.shape.password.optional() })
  .refine(noDirectoryPassword, directoryPasswordRefusal)
  .refine((user) => (user.authSource ?? 'local') !== 'local' || user.password !== undefined, {
    message: 'a local user needs a password (8 to 200 characters)',
    path: ['password'],
  });

export const userChangesBody = userFields
  .omit({ username: true })
  .partial()
  .strict()
  .refine(noDirectoryPassword, directoryPasswordRefusal);

export const namedItemBody = z
  .object({ name: text(100), description: z.string().max(255).nullable().optional() })
  .strict();
export const namedItemChangesBody = namedItemBody.partial().strict();

export const newWorkPeriodBody = z
  .object({ siteKey: text(64), dayOfWeek: z.number().int().min(0).max(6), start: clockTime, end: clockTime })
  .strict();

export const newCannedResponseBody = z
  .object({ username: text(100).optional(), title: text(200), text: z.string().min(1).max(10_000) })
  .strict();
export const cannedResponseChangesBody = newCannedResponseBody.omit({ username: true }).partial().strict();

export const parameterBody = z.object({ value: z.string().max(8192).nullable() }).strict();

export const auditQuery = z.object({
  kind: z.string().max(32).optional(),
  key: z.string().max(191).optional(),
  limit: z
    .string()
    .regex(/^\d{1,4}$/)
    .transform(Number)
    .optional(),
});
