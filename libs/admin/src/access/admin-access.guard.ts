import {
  ForbiddenException,
  HttpException,
  HttpStatus,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminAccess } from './admin-access';
import { AdminLimits } from './admin-limits';

/**
 * {@link AdminAccess} on every admin route, on every port; a refusal is a bare 403 that says nothing
 * about which check failed. A request the admin gate has not counted (the embedded all-in-one's main
 * port) is counted here against the same limits, and answered 429 with Retry-After over them.
 */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(
    private readonly access: AdminAccess,
    private readonly limits: AdminLimits,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    const response = context.switchToHttp().getResponse<Response>();
    response.setHeader('Cache-Control', 'no-store');
    if (this.limits.hasJudged(request)) {
      if (await this.access.admits(request)) return true;
      throw new ForbiddenException();
    }
    const verdict = await this.limits.judge(request, () => this.access.admits(request));
    if (verdict.kind === 'admitted') return true;
    if (verdict.kind === 'forbidden') throw new ForbiddenException();
    response.setHeader('Retry-After', String(Math.ceil(verdict.retryAfterMs / 1000)));
    throw new HttpException('Too Many Requests', HttpStatus.TOO_MANY_REQUESTS);
  }
}
