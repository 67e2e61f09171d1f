import { Body, Delete, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput, siteKeyParameter } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { deliveriesQuery, newOutboundWebhookBody, outboundWebhookChangesBody } from './outbound-webhook.dto';
import { OutboundWebhooksService } from './outbound-webhooks.service';

/** `/api/sites/{sitekey}/webhooks`: a site's outbound webhook endpoints (secret write-only) and their deliveries. */
@AdminController('api/sites/:sitekey/webhooks')
export class OutboundWebhooksController {
  constructor(private readonly webhooks: OutboundWebhooksService) {}

  @Get()
  list(@Param('sitekey') siteKey: string) {
    return this.webhooks.list(parseInput(siteKeyParameter, siteKey));
  }

  @Get('deliveries')
  deliveries(@Param('sitekey') siteKey: string, @Query() query: unknown) {
    const { state, limit } = parseInput(deliveriesQuery, query);
    return this.webhooks.deliveries(parseInput(siteKeyParameter, siteKey), state, limit);
  }

  @Post()
  create(@Param('sitekey') siteKey: string, @Body() body: unknown, @Req() request: Request) {
    return this.webhooks.create(
      parseInput(siteKeyParameter, siteKey),
      parseInput(newOutboundWebhookBody, body),
      actorOf(request),
    );
  }

  @Patch(':id')
  update(
    @Param('sitekey') siteKey: string,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() request: Request,
  ) {
    return this.webhooks.update(
      parseInput(siteKeyParameter, siteKey),
      parseInput(idParameter, id),
      parseInput(outboundWebhookChangesBody, body),
      actorOf(request),
    );
  }

  @Delete(':id')
  delete(@Param('sitekey') siteKey: string, @Param('id') id: string, @Req() request: Request) {
    return this.webhooks.delete(
      parseInput(siteKeyParameter, siteKey),
      parseInput(idParameter, id),
      actorOf(request),
    );
  }
}
