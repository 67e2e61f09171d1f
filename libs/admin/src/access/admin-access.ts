import { Inject, Injectable } from '@nestjs/common';
import { IdentityException, SessionService } from '@switchboard/identity';
import type { Request } from 'express';
import { signedInAdministrators } from '../support/admin-actor';
import type { AdminAccessSettings } from './admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './admin-access.tokens';

/**
 * Who may use the admin interface: the WhosOn rule (the host is in the whitelist AND the query carries
 * the auth string as `a=`) for every endpoint; the management API (`/api/*`) also takes, instead of
 * the auth string, the access token of an enabled administrator's live session (`Authorization: Bearer …`).
 */
@Injectable()
export class AdminAccess {
  constructor(
    @Inject(ADMIN_ACCESS_SETTINGS) private readonly settings: AdminAccessSettings,
    private readonly sessions: SessionService,
  ) {}

  hostAllowed(request: Request): boolean {
    return this.settings.whitelist.allows(request.socket.remoteAddress);
  }

  async admits(request: Request): Promise<boolean> {
    const hostAllowed = this.hostAllowed(request);
    // Both are evaluated every time, so the answer takes as long whichever check failed.
    const authorised = this.settings.authString.matches(request.query.a);
    return hostAllowed && (authorised || (await this.administrator(request)));
  }

  /** True when a management request carries the access token of an enabled administrator's live session. */
  private async administrator(request: Request): Promise<boolean> {
    if (signedInAdministrators.has(request)) return true;
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    if (!request.path.startsWith('/api/') || !bearer) return false;
    try {
      const { operator } = await this.sessions.authenticateAs(bearer[1], 'administrator');
      signedInAdministrators.set(request, operator.username);
      return true;
    } catch (error) {
      if (error instanceof IdentityException) return false;
      throw error;
    }
  }
}
