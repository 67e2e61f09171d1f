import { Injectable } from '@nestjs/common';
import * as openid from 'openid-client';

/** How to reach one provider: its issuer and this server's registration there. */
export interface OidcClientRegistration {
  /** Changes whenever the provider's settings change, so a stale discovery is never used. */
  readonly cacheKey: string;
  readonly issuer: URL;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Plain http to a loopback provider (tests, demos; ACD.Chat.Sso.AllowLoopbackHttp). */
  readonly allowHttp: boolean;
}

/** What the provider's redirect must be checked against. */
export interface AuthorizationChecks {
  readonly state: string;
  readonly nonce: string;
  readonly codeVerifier: string;
}

/** The claims of a checked ID token. */
export type IdTokenClaims = Readonly<Record<string, unknown>>;

const DISCOVERY_TIMEOUT_SECONDS = 10;

/**
 * The OpenID Connect protocol, through openid-client (a certified relying party): discovery,
 * authorization URLs with PKCE (S256), state and nonce, and the code exchange with the ID token's
 * signature, issuer, audience, expiry and nonce checked. The one class that talks to providers.
 */
@Injectable()
export class OidcClient {
  // note: discovery (metadata and keys) per provider and settings version, kept for the process's
  // life; openid-client refetches the keys itself when a token names an unknown key id.
  private readonly configurations = new Map<string, Promise<openid.Configuration>>();

  /** The URL to send the browser to, with fresh state, nonce and PKCE verifier to keep for the callback. */
  async authorizationUrl(
    registration: OidcClientRegistration,
    redirectUri: URL,
  ): Promise<{ url: URL; checks: AuthorizationChecks }> {
    const configuration = await this.configuration(registration);
    const checks = {
      state: openid.randomState(),
      nonce: openid.randomNonce(),
      codeVerifier: openid.randomPKCECodeVerifier(),
    };
    const url = openid.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri.href,
      scope: 'openid profile email',
      response_mode: 'query',
      code_challenge: await openid.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
    return { url, checks };
  }

  /** Exchanges the code of `callbackUrl` and answers the checked ID token's claims. */
  async claims(
    registration: OidcClientRegistration,
    callbackUrl: URL,
    checks: AuthorizationChecks,
  ): Promise<IdTokenClaims> {
    const configuration = await this.configuration(registration);
    const tokens = await openid.authorizationCodeGrant(configuration, callbackUrl, {
      expectedState: checks.state,
      expectedNonce: checks.nonce,
      pkceCodeVerifier: checks.codeVerifier,
      idTokenExpected: true,
    });
    const claims = tokens.claims();
    if (claims === undefined) throw new Error('the provider answered no ID token');
    return claims;
  }

  private configuration(registration: OidcClientRegistration): Promise<openid.Configuration> {
    const cached = this.configurations.get(registration.cacheKey);
    if (cached) return cached;
    const discovered = openid.discovery(
      registration.issuer,
      registration.clientId,
      registration.clientSecret,
      openid.ClientSecretPost(registration.clientSecret),
      {
        execute: registration.allowHttp ? [openid.allowInsecureRequests] : [],
        timeout: DISCOVERY_TIMEOUT_SECONDS,
      },
    );
    this.configurations.set(registration.cacheKey, discovered);
    // A failed discovery (provider down, wrong tenant) is tried again at the next log-in.
    void discovered.catch(() => this.configurations.delete(registration.cacheKey));
    return discovered;
  }
}
