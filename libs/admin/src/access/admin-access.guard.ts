import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AdminAccess } from './admin-access';

/** {@link AdminAccess} on every admin route, on every port; a refusal is a bare 403 that says nothing about which check failed. */
@Injectable()
export class AdminAccessGuard implements CanActivate {
  constructor(private readonly access: AdminAccess) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    context.switchToHttp().getResponse<Response>().setHeader('Cache-Control', 'no-store');
    if (await this.access.admits(request)) return true;
    throw new ForbiddenException();
  }
}
