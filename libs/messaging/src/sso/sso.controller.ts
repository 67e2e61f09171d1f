import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { IdentityException, SsoException, SsoService } from '@switchboard/identity';
import type { Request, Response } from 'express';
import { withoutIpv4Mapping } from '@switchboard/platform';
import { z } from 'zod';
import { ClientAddresses } from '../client-address';
import { refusedPage, signedInPage } from './sso-pages';

const identifyBody = z
  .object({
    /** The username or email typed in the log-in's first step. */
    username: z.string().trim().min(1, 'is required').max(255),
    remember: z.boolean().optional(),
  })
  .strict();

/**
 * The log-in's username-first step (`POST /auth/identify`) and the OpenID Connect callback
 * (`GET /auth/oidc/callback`), served by every node behind HAProxy: the log-in in flight is in the
 * database, so the callback may land on any of them.
 */
@Controller('auth')
export class SsoController {
  constructor(
    private readonly sso: SsoService,
    private readonly addresses: ClientAddresses,
  ) {}

  @Post('identify')
  @HttpCode(200)
  async identify(@Body() body: unknown, @Res({ passthrough: true }) response: Response) {
    const parsed = identifyBody.safeParse(body);
    if (!parsed.success) {
      response.status(400);
      const issue = parsed.error.issues[0];
      return { code: 'INVALID_REQUEST', message: `${issue.path.join('.') || 'body'}: ${issue.message}` };
    }
    try {
      return await this.sso.identify(parsed.data.username, parsed.data.remember ?? false);
    } catch (error) {
      if (!(error instanceof SsoException)) throw error;
      response.status(503);
      return { code: error.code, message: error.message };
    }
  }

  @Get('oidc/callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    // The code and state are single-use secrets: the answer is never cached nor sent on as a referrer.
    response.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' }).type('html');
    const query = new URL(request.originalUrl, 'http://callback').searchParams;
    const origin = {
      remoteAddress: this.addresses.resolve(
        withoutIpv4Mapping(request.socket.remoteAddress ?? 'unknown'),
        request.headers['x-forwarded-for'],
      ),
    };
    try {
      response.status(200).send(signedInPage(await this.sso.complete(query, origin)));
    } catch (error) {
      if (error instanceof SsoException) response.status(error.code === 'SSO_UNAVAILABLE' ? 502 : 403);
      else if (error instanceof IdentityException) response.status(403);
      else throw error;
      response.send(refusedPage(error.message));
    }
  }
}
