import { Body, Delete, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput, siteQuery } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { newRoutingRuleBody, routingRuleChangesBody } from './routing-rule.dto';
import { RoutingRulesService } from './routing-rules.service';

/** `/api/routingrules`: a site's routing rules (conditions, the skill, actions per case), in run order. */
@AdminController('api')
export class RoutingRulesController {
  constructor(private readonly rules: RoutingRulesService) {}

  @Get('routingrules')
  list(@Query() query: unknown) {
    return this.rules.list(parseInput(siteQuery, query).sitekey);
  }

  @Post('routingrules')
  create(@Body() body: unknown, @Req() request: Request) {
    return this.rules.create(parseInput(newRoutingRuleBody, body), actorOf(request));
  }

  @Patch('routingrules/:id')
  update(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.rules.update(
      parseInput(idParameter, id),
      parseInput(routingRuleChangesBody, body),
      actorOf(request),
    );
  }

  @Delete('routingrules/:id')
  delete(@Param('id') id: string, @Req() request: Request) {
    return this.rules.delete(parseInput(idParameter, id), actorOf(request));
  }
}
