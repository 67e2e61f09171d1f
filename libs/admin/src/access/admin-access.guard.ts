import {
  ForbiddenException,
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import type { AdminAccessSettings } from './admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './admin-access.tokens';

/**
 * The WhosOn rule for every admin endpoint: the client's address is in the whitelist AND the query
 * carries the auth string as `a=`. Anything else is a bare 403 that says nothing about which failed.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(@Inject(ADMIN_ACCESS_SETTINGS) private readonly settings: AdminAccessSettings) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const hostAllowed = this.settings.whitelist.allows(request.socket.remoteAddress);
    // Both are evaluated every time, so the answer takes as long whichever check failed.
    const authorised = this.settings.authString.matches(request.query.a);
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    if (hostAllowed && authorised) return true;
    throw new ForbiddenException();
  }
}
