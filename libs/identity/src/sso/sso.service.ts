import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  OidcLoginRepository,
  OidcProviderRepository,
  OperatorRepository,
  type OidcProviderRecord,
  type OperatorRecord,
} from '@switchboard/persistence';
import { AuthorizationResponseError } from 'openid-client';
import { LoginAudit, type ClientOrigin } from '../sessions/login-audit';
import { SessionService, type IssuedSession } from '../sessions/session.service';
import { OidcClient, type IdTokenClaims, type OidcClientRegistration } from './oidc-client';
import {
  inIdDomain,
  issuerOf,
  oidcSettingsSchema,
  redirectUriOf,
  type StoredOidcSettings,
} from './oidc-settings';
import { roleFromGroups } from './role-mapping';
import { SsoException } from './sso.exception';

/** The username-first step's answer: the password step, or the provider to send the browser to. */
export type IdentifyAnswer =
  | { readonly step: 'password' }
  | { readonly step: 'sso'; readonly provider: string; readonly authorizationUrl: string };

/** A session opened by single sign-on, and whether the user ticked "Remember me" before the redirect. */
export interface SsoSession extends IssuedSession {
  readonly remember: boolean;
}

interface Provider {
  readonly record: OidcProviderRecord;
  readonly settings: StoredOidcSettings;
}

/** How long the browser has at the provider between identify and the callback. */
const LOGIN_MINUTES = 10;
/** ID token claims that may name the user, in the order they are tried (Azure: preferred_username, upn). */
const LOGIN_CLAIMS = ['preferred_username', 'email', 'upn'] as const;

/**
 * OpenID Connect single sign-on: the username-first step decides between the password and a provider,
 * the callback turns the provider's checked ID token into the same session a password log-in opens.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger('Sso');

  constructor(
    private readonly providers: OidcProviderRepository,
    private readonly logins: OidcLoginRepository,
    private readonly operators: OperatorRepository,
    private readonly parameters: ParameterService,
    private readonly client: OidcClient,
    private readonly sessions: SessionService,
    private readonly audit: LoginAudit,
  ) {}

  /**
   * Where `login` (username or email) logs in. An address in an enabled provider's IdDomain, or an SSO
   * user's username, goes to the provider; anything else (a local user, an LDAP user, nobody) to the
   * password step, so the answer never tells whether a local user exists.
   */
  async identify(login: string, remember: boolean, now = new Date()): Promise<IdentifyAnswer> {
    const provider = await this.providerFor(login.trim());
    if (provider === undefined) return { step: 'password' };
    let authorization: Awaited<ReturnType<OidcClient['authorizationUrl']>>;
    try {
      authorization = await this.client.authorizationUrl(
        await this.registration(provider),
        this.redirectUri(),
      );
    } catch (error) {
      this.logger.warn(`discovery of "${provider.settings.Name}" failed: ${messageOf(error)}`);
      throw new SsoException('SSO_UNAVAILABLE');
    }
    const { url, checks } = authorization;
    await this.logins.begin(
      {
        state: checks.state,
        providerId: provider.record.id,
        codeVerifier: checks.codeVerifier,
        nonce: checks.nonce,
        remember,
        expiresAt: new Date(now.getTime() + LOGIN_MINUTES * 60_000),
      },
      now,
    );
    // The provider's own log-in form starts with the name already typed.
    if (login.includes('@')) url.searchParams.set('login_hint', login.trim());
    return { step: 'sso', provider: provider.settings.Name, authorizationUrl: url.href };
  }

  /** The provider sent the browser back with `query`: checks it all and opens the user's session. */
  async complete(query: URLSearchParams, origin: ClientOrigin): Promise<SsoSession> {
    const state = query.get('state');
    const login = state === null ? null : await this.logins.consume(state);
    if (login === null) return this.refuse('', origin, new SsoException('SSO_LOGIN_EXPIRED'));
    const provider = await this.enabledProvider(login.providerId);
    if (provider === undefined) return this.refuse('', origin, new SsoException('SSO_UNAVAILABLE'));
    const callbackUrl = this.redirectUri();
    callbackUrl.search = query.toString();
    let claims: IdTokenClaims;
    try {
      claims = await this.client.claims(await this.registration(provider), callbackUrl, login);
    } catch (error) {
      return this.refuse('', origin, this.explain(provider, error));
    }
    const names = namesIn(claims);
    const operator = await this.operatorNamed(names);
    if (operator === null) return this.refuse(names[0] ?? '', origin, new SsoException('SSO_UNKNOWN_USER'));
    if (operator.authSource !== 'oidc' || !belongsTo(operator, provider.settings))
      return this.refuse(operator.username, origin, new SsoException('SSO_NOT_SSO_USER'));
    const signingIn = await this.withMappedRole(operator, provider.settings, claims);
    const issued = await this.sessions.open(signingIn, { remember: login.remember, method: 'oidc' }, origin);
    return { ...issued, remember: login.remember };
  }

  private async refuse(username: string, origin: ClientOrigin, error: SsoException): Promise<never> {
    await this.audit.record('login.failed', username, origin, { reason: error.code, method: 'oidc' });
    throw error;
  }

  private explain(provider: Provider, error: unknown): SsoException {
    this.logger.warn(`the callback of "${provider.settings.Name}" failed: ${messageOf(error)}`);
    if (error instanceof AuthorizationResponseError)
      return new SsoException('SSO_REFUSED', `The sign-in provider did not sign you in (${error.error}).`);
    if (error instanceof TypeError) return new SsoException('SSO_UNAVAILABLE');
    return new SsoException('SSO_TOKEN_INVALID');
  }

  private async operatorNamed(names: readonly string[]): Promise<OperatorRecord | null> {
    for (const name of names) {
      const operator = await this.operators.findByLogin(name);
      if (operator !== null) return operator;
    }
    return null;
  }

  /** The role the provider's groups give (GROUPROLES), stored when it differs; the user's own otherwise. */
  private async withMappedRole(
    operator: OperatorRecord,
    settings: StoredOidcSettings,
    claims: IdTokenClaims,
  ): Promise<OperatorRecord> {
    const role = roleFromGroups(settings.Properties, claims);
    if (role === undefined || role === operator.role) return operator;
    return (await this.operators.update(operator.id, { role })) ?? operator;
  }

  private async providerFor(login: string): Promise<Provider | undefined> {
    const providers = (await this.enabledProviders()).filter(Boolean);
    const byDomain = providers.find((provider) => inIdDomain(login, provider.settings.IdDomain));
    if (byDomain !== undefined || login.includes('@') || providers.length === 0) return byDomain;
    // A bare username: an SSO user's goes to the provider of their email's (or username's) domain.
    const operator = await this.operators.findByLogin(login);
    if (operator?.authSource !== 'oidc') return undefined;
    return providers.find((provider) => belongsTo(operator, provider.settings));
  }

  private async enabledProviders(): Promise<Provider[]> {
    const providers: Provider[] = [];
    for (const record of await this.providers.list()) {
      const provider = this.parse(record);
      if (provider?.settings.IsEnabled) providers.push(provider);
    }
    return providers;
  }

  private async enabledProvider(id: number): Promise<Provider | undefined> {
    const record = await this.providers.findById(id);
    const provider = record && this.parse(record);
    return provider && provider.settings.IsEnabled ? provider : undefined;
  }

  private parse(record: OidcProviderRecord): Provider | undefined {
    const parsed = oidcSettingsSchema.safeParse(JSON.parse(record.settings));
    if (parsed.success) return { record, settings: parsed.data };
    this.logger.warn(`OIDC provider "${record.name}" has invalid settings: ${parsed.error.message}`);
    return undefined;
  }

  private async registration(provider: Provider): Promise<OidcClientRegistration> {
    const allowHttp = this.parameters.get('ACD.Chat.Sso.AllowLoopbackHttp');
    return {
      cacheKey: `${provider.record.id}:${provider.record.updatedAt.getTime()}:${allowHttp}`,
      issuer: issuerOf(provider.settings),
      clientId: provider.settings.Properties.CLIENTID,
      clientSecret: (await this.providers.revealClientSecret(provider.record.id)) ?? '',
      allowHttp,
    };
  }

  private redirectUri(): URL {
    try {
      return redirectUriOf(
        this.parameters.get('ACD.Chat.Server.Base.URL'),
        this.parameters.get('ACD.Chat.Sso.AllowLoopbackHttp'),
      );
    } catch (error) {
      this.logger.warn(messageOf(error));
      throw new SsoException('SSO_UNAVAILABLE');
    }
  }
}

/** The distinct names the ID token gives the user, in {@link LOGIN_CLAIMS} order. */
export function namesIn(claims: IdTokenClaims): string[] {
  const names = LOGIN_CLAIMS.map((claim) => claims[claim]).filter(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return [...new Set(names.map((name) => name.trim()))];
}

/** An SSO user belongs to a provider when their username or email is in its IdDomain. */
function belongsTo(operator: OperatorRecord, settings: StoredOidcSettings): boolean {
  return [operator.username, operator.email ?? ''].some((login) => inIdDomain(login, settings.IdDomain));
}

/** The error's message, with its causes' (openid-client wraps the check that failed, e.g. the `aud` claim's). */
function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${messageOf(error.cause)}` : error.message;
}
