import { Body, Get, Param, Patch, Post, Put, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { ParameterService } from '@switchboard/config';
import { AdminAuditRepository } from '@switchboard/persistence';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput, siteKeyParameter, usernameParameter } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { buildOpenApiDocument } from './openapi';
import {
  auditQuery,
  cannedResponseChangesBody,
  namedItemBody,
  namedItemChangesBody,
  newCannedResponseBody,
  newSiteBody,
  newUserBody,
  newWorkPeriodBody,
  parameterBody,
  siteChangesBody,
  userChangesBody,
} from './management.dto';
import { ManagementService } from './management.service';

/** Switchboard's own JSON endpoints beyond WhosOn: create and update what the directory holds, parameters, audit. */
@AdminController('api')
export class ManagementController {
  constructor(
    private readonly adminAudit: AdminAuditRepository,
    private readonly management: ManagementService,
    private readonly parameters: ParameterService,
  ) {}

  @Get('openapi.json')
  openApi(): unknown {
    return buildOpenApiDocument();
  }

  @Get('parameters')
  listParameters(): unknown {
    return this.parameters.list();
  }

  @Put('parameters/:name')
  setParameter(@Param('name') name: string, @Body() body: unknown, @Req() request: Request) {
    return this.management.setParameter(name, parseInput(parameterBody, body).value, actorOf(request));
  }

  @Get('sites')
  sites() {
    return this.management.sites();
  }

  @Post('sites')
  createSite(@Body() body: unknown, @Req() request: Request) {
    return this.management.createSite(parseInput(newSiteBody, body), actorOf(request));
  }

  @Patch('sites/:sitekey')
  updateSite(@Param('sitekey') siteKey: string, @Body() body: unknown, @Req() request: Request) {
    return this.management.updateSite(
      parseInput(siteKeyParameter, siteKey),
      parseInput(siteChangesBody, body),
      actorOf(request),
    );
  }

  @Post('users')
  createUser(@Body() body: unknown, @Req() request: Request) {
    return this.management.createUser(parseInput(newUserBody, body), actorOf(request));
  }

  @Patch('users/:username')
  updateUser(@Param('username') username: string, @Body() body: unknown, @Req() request: Request) {
    return this.management.updateUser(
      parseInput(usernameParameter, username),
      parseInput(userChangesBody, body),
      actorOf(request),
    );
  }

  @Get(['skills', 'usergroups'])
  namedItems(@Req() request: Request) {
    return this.management.namedItems(kindOf(request));
  }

  @Post(['skills', 'usergroups'])
  createNamedItem(@Body() body: unknown, @Req() request: Request) {
    return this.management.createNamedItem(
      kindOf(request),
      parseInput(namedItemBody, body),
      actorOf(request),
    );
  }

  @Patch(['skills/:id', 'usergroups/:id'])
  updateNamedItem(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.management.updateNamedItem(
      kindOf(request),
      parseInput(idParameter, id),
      parseInput(namedItemChangesBody, body),
      actorOf(request),
    );
  }

  @Post('workperiods')
  addWorkPeriod(@Body() body: unknown, @Req() request: Request) {
    return this.management.addWorkPeriod(parseInput(newWorkPeriodBody, body), actorOf(request));
  }

  @Post('cannedresponses')
  createCannedResponse(@Body() body: unknown, @Req() request: Request) {
    return this.management.createCannedResponse(parseInput(newCannedResponseBody, body), actorOf(request));
  }

  @Patch('cannedresponses/:id')
  updateCannedResponse(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.management.updateCannedResponse(
      parseInput(idParameter, id),
      parseInput(cannedResponseChangesBody, body),
      actorOf(request),
    );
  }

  @Get('audit')
  audit(@Query() query: unknown) {
    const { kind, key, limit } = parseInput(auditQuery, query);
    return this.adminAudit.list({ targetKind: kind, targetKey: key, limit });
  }
}

const kindOf = (request: Request): 'skill' | 'usergroup' =>
  request.path.startsWith('/api/skills') ? 'skill' : 'usergroup';
