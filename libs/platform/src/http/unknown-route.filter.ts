import { ArgumentsHost, Catch, NotFoundException } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import type { Request, Response } from 'express';

/**
 * Nest answers a request no route matches with `Cannot GET <url>`, the url with its query: an
 * admin auth string (`?a=…`) or a webhook secret (`?secret=…`, `/incoming/<secret>`) would come back
 * in the body. This answers the same 404 without echoing anything the client sent.
 */
@Catch(NotFoundException)
export class UnknownRouteFilter extends BaseExceptionFilter {
  override catch(error: NotFoundException, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<Request>();
    if (!error.message.startsWith(`Cannot ${request.method} `)) {
      super.catch(error, host);
      return;
    }
    host
      .switchToHttp()
      .getResponse<Response>()
      .status(404)
      .json({ statusCode: 404, error: 'Not Found', message: 'No such route.' });
  }
}
