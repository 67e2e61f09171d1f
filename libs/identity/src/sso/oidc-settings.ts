import { OPERATOR_ROLES } from '@switchboard/persistence';
import { z } from 'zod';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** True for http(s) URLs whose host is this machine (tests and demos only). */
export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

const domainName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
    'must be a domain name like contoso.com',
  );

const issuerUrl = z
  .url({ protocol: /^https?$/ })
  .refine((value) => {
    const url = new URL(value);
    return url.protocol === 'https:' || isLoopbackUrl(url);
  }, 'must be an https:// URL (http:// only for a loopback test provider)')
  .refine((value) => !new URL(value).search && !new URL(value).hash, 'must have no query nor fragment');

const enabledFlag = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((value) => value === true || value === 'true');

const properties = z
  .object({
    /** Azure: the Directory (tenant) ID; the issuer is derived from it. */
    TENANT: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,99}$/, 'must be the Directory (tenant) ID, like 72f988bf-…')
      .optional(),
    /** Any other provider: its issuer, read through discovery (`/.well-known/openid-configuration`). */
    ISSUER: issuerUrl.optional(),
    CLIENTID: z.string().trim().min(1, 'is required').max(255),
    CLIENTSECRET: z.string().min(1, 'must not be empty').max(1024).optional(),
    /** The ID token claim listing the user's groups. @default "groups" */
    GROUPCLAIM: z.string().trim().min(1).max(100).optional(),
    /** Group (as the claim names it) → role given at each SSO log-in. */
    GROUPROLES: z.record(z.string().trim().min(1).max(255), z.enum(OPERATOR_ROLES)).optional(),
  })
  .strict()
  .refine((value) => (value.TENANT === undefined) !== (value.ISSUER === undefined), {
    message: 'give TENANT (Azure) or ISSUER (any other provider), not both',
    path: ['TENANT'],
  });

/** The seed's "Template OIDC JSON", validated; `IsEnabled` may be the seed's string "true". */
export const oidcSettingsSchema = z
  .object({
    IdDomain: domainName,
    IsEnabled: enabledFlag,
    Name: z.string().trim().min(1, 'is required').max(100),
    Properties: properties,
  })
  .strict();

export type OidcSettingsInput = z.input<typeof oidcSettingsSchema>;
export type OidcSettings = z.output<typeof oidcSettingsSchema>;
/** The settings as stored and shown: everything but the client secret. */
export type StoredOidcSettings = Omit<OidcSettings, 'Properties'> & {
  Properties: Omit<OidcSettings['Properties'], 'CLIENTSECRET'>;
};

/** The settings without the client secret (to store, to show, to audit). */
export function withoutSecret(settings: OidcSettings): StoredOidcSettings {
  const { CLIENTSECRET: _secret, ...rest } = settings.Properties;
  return { ...settings, Properties: rest };
}

/** The issuer: Azure's v2.0 endpoint of the tenant, or the ISSUER property as it is. */
export function issuerOf(settings: Pick<StoredOidcSettings, 'Properties'>): URL {
  const { TENANT, ISSUER } = settings.Properties;
  if (ISSUER !== undefined) return new URL(ISSUER);
  return new URL(`https://login.microsoftonline.com/${encodeURIComponent(TENANT ?? '')}/v2.0`);
}

/** True when `login` (a username or email) is an address in `idDomain` (case-insensitive). */
export function inIdDomain(login: string, idDomain: string): boolean {
  const at = login.trim().lastIndexOf('@');
  return (
    at > 0 &&
    login
      .trim()
      .slice(at + 1)
      .toLowerCase() === idDomain.toLowerCase()
  );
}

/**
 * The callback address the provider sends the browser back to: the public chat endpoint
 * (`ACD.Chat.Server.Base.URL`, HAProxy's wss frontend) as https, path /auth/oidc/callback. http only
 * for a loopback address and only when `allowLoopbackHttp` says so (tests, demos).
 */
export function redirectUriOf(serverBaseUrl: string, allowLoopbackHttp: boolean): URL {
  const base = new URL(serverBaseUrl);
  const secure = base.protocol === 'wss:' || base.protocol === 'https:';
  if (!secure && !(allowLoopbackHttp && isLoopbackUrl(base)))
    throw new Error(
      `ACD.Chat.Server.Base.URL (${base.origin}) must be wss:// or https:// for single sign-on: providers only send users back over HTTPS`,
    );
  return new URL('/auth/oidc/callback', `${secure ? 'https' : 'http'}://${base.host}`);
}
