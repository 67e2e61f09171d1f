import { Body, Delete, Get, Param, Post, Put, Req } from '@nestjs/common';
import { oidcSettingsSchema } from '@switchboard/identity';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { OidcProvidersService } from './oidc-providers.service';

/** `/api/oidcproviders`: OpenID Connect single sign-on providers (client secret write-only). */
@AdminController('api')
export class OidcProvidersController {
  constructor(private readonly providers: OidcProvidersService) {}

  @Get('oidcproviders')
  list() {
    return this.providers.list();
  }

  @Post('oidcproviders')
  create(@Body() body: unknown, @Req() request: Request) {
    return this.providers.create(parseInput(oidcSettingsSchema, body), actorOf(request));
  }

  @Put('oidcproviders/:id')
  replace(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.providers.replace(
      parseInput(idParameter, id),
      parseInput(oidcSettingsSchema, body),
      actorOf(request),
    );
  }

  @Delete('oidcproviders/:id')
  delete(@Param('id') id: string, @Req() request: Request) {
    return this.providers.delete(parseInput(idParameter, id), actorOf(request));
  }
}
