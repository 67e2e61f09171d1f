import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SERVICE_INFO, type ServiceInfo } from '@switchboard/platform';
import type { AdminAccessSettings } from './admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './admin-access.tokens';
import { AdminListener } from './admin-listener';

// Monitoring routes need the whitelist but not the auth string (load balancers and scrapers).
const MONITORING_PATHS: ReadonlySet<string> = new Set(['/health', '/health/ready', '/metrics']);

/**
 * The seed's rule for the admin port, checked before routing: the host is in the whitelist and the
 * query carries the auth string, for every path, known or not. Anything else gets the same bare 403,
 * so an outsider learns neither which paths exist nor which check failed. On a port that is not the
 * admin port (the embedded all-in-one's 3000) only the admin routes' own guard applies.
 */
@Injectable()
export class AdminGateMiddleware implements NestMiddleware {
  private readonly gatesEveryRequest: boolean;

  constructor(
    @Inject(ADMIN_ACCESS_SETTINGS) private readonly settings: AdminAccessSettings,
    @Inject(SERVICE_INFO) serviceInfo: ServiceInfo,
    private readonly listener: AdminListener,
  ) {
    this.gatesEveryRequest = serviceInfo.service === 'admin-api';
  }

  use(request: Request, response: Response, next: NextFunction): void {
    if (!this.gatesEveryRequest && !this.listener.serves(request)) {
      next();
      return;
    }
    const hostAllowed = this.settings.whitelist.allows(request.socket.remoteAddress);
    // Both are evaluated every time, so the answer takes as long whichever check failed.
    const authorised = this.settings.authString.matches(request.query.a);
    if (hostAllowed && (authorised || MONITORING_PATHS.has(request.path))) {
      next();
      return;
    }
    response.status(403).setHeader('Cache-Control', 'no-store');
    response.type('text/plain').send('Forbidden\n');
  }
}
