import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { IdentityException, SessionService } from '@switchboard/identity';
import type { Request, Response } from 'express';
import { signedInAdministrators } from '../support/admin-actor';
import type { AdminAccessSettings } from './admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './admin-access.tokens';

/**
 * The WhosOn rule for every admin endpoint: the client's address is in the whitelist AND the query
 * carries the auth string as `a=`. The management API (`/api/*`) also takes, instead of the auth
 * string, an administrator's session token (`Authorization: Bearer …`). Anything else is a bare 403
 * that says nothing about which check failed.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(
    @Inject(ADMIN_ACCESS_SETTINGS) private readonly settings: AdminAccessSettings,
    private readonly sessions: SessionService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const hostAllowed = this.settings.whitelist.allows(request.socket.remoteAddress);
    // Both are evaluated every time, so the answer takes as long whichever check failed.
    const authorised = this.settings.authString.matches(request.query.a);
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    if (hostAllowed && (authorised || (await this.administrator(request)))) return true;
    throw new ForbiddenException();
  }

  /** True when a management request carries the access token of an enabled administrator's live session. */
  private async administrator(request: Request): Promise<boolean> {
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
