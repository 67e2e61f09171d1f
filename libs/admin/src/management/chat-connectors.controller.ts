import { Body, Delete, Get, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { WebhookInboxRepository } from '@switchboard/persistence';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { chatConnectorChangesBody, limitQuery, newChatConnectorBody } from './chat-connector.dto';
import { ChatConnectorsService } from './chat-connectors.service';

/**
 * `/api/chatconnectors`: WhatsApp numbers at TynTec per site (API key write-only, shown masked);
 * `/api/webhooks/deadletters`: the TynTec webhooks that could never be processed, with the reason.
 */
@AdminController('api')
export class ChatConnectorsController {
  constructor(
    private readonly webhookInbox: WebhookInboxRepository,
    private readonly connectors: ChatConnectorsService,
  ) {}

  @Get('chatconnectors')
  list() {
    return this.connectors.list();
  }

  @Get('webhooks/deadletters')
  deadLetters(@Query() query: unknown) {
    return this.webhookInbox.listDeadLetters(parseInput(limitQuery, query).limit);
  }

  @Post('chatconnectors')
  create(@Body() body: unknown, @Req() request: Request) {
    return this.connectors.create(parseInput(newChatConnectorBody, body), actorOf(request));
  }

  @Patch('chatconnectors/:id')
  update(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.connectors.update(
      parseInput(idParameter, id),
      parseInput(chatConnectorChangesBody, body),
      actorOf(request),
    );
  }

  @Delete('chatconnectors/:id')
  delete(@Param('id') id: string, @Req() request: Request) {
    return this.connectors.delete(parseInput(idParameter, id), actorOf(request));
  }
}
