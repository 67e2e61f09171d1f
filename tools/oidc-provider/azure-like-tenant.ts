import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';

/** A user of the tenant: `sub` and the claims its ID tokens carry (Azure: preferred_username, email, upn). */
export interface TenantUser {
  readonly sub: string;
  readonly preferred_username?: string;
  readonly email?: string;
  readonly upn?: string;
  readonly name?: string;
  readonly groups?: readonly string[];
}

/** An app registration: a confidential web client. */
export interface TenantClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUris: readonly string[];
  /**
   * A misconfigured registration to test relying parties with: its ID tokens name this audience
   * instead of the client id.
   */
  readonly idTokenAudience?: string;
}

export interface TenantOptions {
  /** The directory (tenant) id: the issuer is `http://host:port/{tenant}/v2.0`, as Azure AD's. */
  readonly tenant: string;
  readonly clients: readonly TenantClient[];
  readonly users: readonly TenantUser[];
}

/**
 * An OpenID provider shaped like an Azure AD tenant, on `oidc-provider` (a certified implementation):
 * the issuer path `/{tenant}/v2.0`, confidential clients with a secret, PKCE required, ID tokens
 * carrying the user's claims, consent granted up front (as an admin-consented app registration).
 * Users sign in at its development log-in form (any password), which tests fill in programmatically.
 */
export class AzureLikeTenant {
  private server: Server | undefined;

  constructor(private readonly options: TenantOptions) {}

  /** Listens on `host:port` (0 = any free port); answers the issuer. */
  async start(port: number, host = '127.0.0.1'): Promise<string> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(port, host, resolve));
    const address = server.address() as AddressInfo;
    const mountPath = `/${this.options.tenant}/v2.0`;
    const issuer = `http://${host}:${address.port}${mountPath}`;
    const provider = new Provider(issuer, this.configuration());
    misissueAudiences(provider, this.options.clients);
    const callback = provider.callback();
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      const url = request.url ?? '/';
      if (!url.startsWith(`${mountPath}/`)) {
        response.writeHead(404).end();
        return;
      }
      // Mounted under the tenant's path: the provider reads its mount from originalUrl.
      Object.assign(request, { originalUrl: url });
      request.url = url.slice(mountPath.length);
      void callback(request, response);
    });
    this.server = server;
    return issuer;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private configuration(): Configuration {
    const users = new Map(this.options.users.map((user) => [user.sub, user]));
    const byLogin = (login: string) =>
      this.options.users.find((user) =>
        [user.sub, user.preferred_username, user.email].some(
          (name) => name?.toLowerCase() === login.toLowerCase(),
        ),
      );
    return {
      clients: this.options.clients.map((client) => ({
        client_id: client.clientId,
        client_secret: client.clientSecret,
        redirect_uris: [...client.redirectUris],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_post',
      })),
      claims: {
        openid: ['sub'],
        email: ['email'],
        profile: ['name', 'preferred_username', 'upn', 'groups'],
      },
      // Azure puts the profile claims in the ID token itself.
      conformIdTokenClaims: false,
      pkce: { required: () => true },
      features: { devInteractions: { enabled: true } },
      findAccount(_context: KoaContextWithOIDC, id: string) {
        // The development form signs in with what was typed: a sub, a username or an email.
        const user = users.get(id) ?? byLogin(id);
        if (user === undefined) return undefined;
        return {
          accountId: id,
          claims: () => ({ ...user, sub: id, groups: user.groups && [...user.groups] }),
        };
      },
      async loadExistingGrant(context: KoaContextWithOIDC) {
        const { client, session } = context.oidc;
        if (!client || !session?.accountId) return undefined;
        const grantId = context.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
        if (grantId) return context.oidc.provider.Grant.find(grantId);
        const grant = new context.oidc.provider.Grant({
          clientId: client.clientId,
          accountId: session.accountId,
        });
        grant.addOIDCScope('openid email profile');
        await grant.save();
        return grant;
      },
      cookies: { keys: ['azure-like-tenant test cookie key'] },
    };
  }
}

/** Makes the ID tokens of clients with `idTokenAudience` name that audience (a misconfigured tenant). */
function misissueAudiences(provider: Provider, clients: readonly TenantClient[]): void {
  const audiences = new Map(
    clients
      .filter((client) => client.idTokenAudience)
      .map((client) => [client.clientId, client.idTokenAudience]),
  );
  if (audiences.size === 0) return;
  type Issuing = { client: { clientId: string } };
  const prototype = provider.IdToken.prototype as unknown as {
    issue: (this: Issuing, options?: unknown) => Promise<string>;
  };
  const issue = prototype.issue;
  prototype.issue = function issueTo(this: Issuing, options?: unknown) {
    const audience = audiences.get(this.client.clientId);
    if (audience !== undefined)
      this.client = new Proxy(this.client, {
        get: (target, property) =>
          property === 'clientId' ? audience : (Reflect.get(target, property) as unknown),
      });
    return issue.call(this, options);
  };
}
