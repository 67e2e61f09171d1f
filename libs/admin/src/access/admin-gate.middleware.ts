import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { SERVICE_INFO, type ServiceInfo } from '@switchboard/platform';
import { AdminAccess } from './admin-access';
import { AdminLimits, tooManyRequests } from './admin-limits';
import { AdminListener } from './admin-listener';

// Monitoring routes need the whitelist but not the auth string (load balancers and scrapers), and are not rate limited.
const MONITORING_PATHS: ReadonlySet<string> = new Set(['/health', '/health/ready', '/metrics']);

/**
 * The seed's rule for the admin port, checked before routing: the host is in the whitelist and the
 * query carries the auth string (or, on `/api/*`, an administrator's session token; see {@link AdminAccess}),
 * for every path, known or not. Anything else gets the same bare 403,
 * so an outsider learns neither which paths exist nor which check failed. An address over its request
 * or failure limit ({@link AdminLimits}) gets 429 with Retry-After instead, before any check. On a port
 * that is not the admin port (the embedded all-in-one's 3000) only the admin routes' own guard applies.
 */
@Injectable()
export class AdminGateMiddleware implements NestMiddleware {
  private readonly gatesEveryRequest: boolean;

  constructor(
    private readonly access: AdminAccess,
    private readonly limits: AdminLimits,
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
    if (MONITORING_PATHS.has(request.path)) {
      if (this.access.hostAllowed(request)) next();
      else forbid(response);
      return;
    }
    // A failure of the session check (the database down) goes to Express's error handling.
    void this.limits
      .judge(request, () => this.access.admits(request))
      .then((verdict) => {
        if (verdict.kind === 'admitted') next();
        else if (verdict.kind === 'forbidden') forbid(response);
        else tooManyRequests(response, verdict.retryAfterMs);
      }, next);
  }
}

function forbid(response: Response): void {
  response.status(403).setHeader('Cache-Control', 'no-store');
  response.type('text/plain').send('Forbidden\n');
}
