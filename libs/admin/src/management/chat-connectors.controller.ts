import { Body, Get, Param, Patch, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { actorOf } from '../support/admin-actor';
import { idParameter, parseInput } from '../support/query';
import { AdminController } from '../whoson/whoson.decorators';
import { chatConnectorChangesBody, newChatConnectorBody } from './chat-connector.dto';
import { ChatConnectorsService } from './chat-connectors.service';

/** `/api/chatconnectors`: WhatsApp numbers at TynTec per site (API key write-only, shown masked). */
@AdminController('api/chatconnectors')
export class ChatConnectorsController {
  constructor(private readonly connectors: ChatConnectorsService) {}

  @Get()
  list() {
    return this.connectors.list();
  }

  @Post()
  create(@Body() body: unknown, @Req() request: Request) {
    return this.connectors.create(parseInput(newChatConnectorBody, body), actorOf(request));
  }

  @Patch(':id')
  update(@Param('id') id: string, @Body() body: unknown, @Req() request: Request) {
    return this.connectors.update(
      parseInput(idParameter, id),
      parseInput(chatConnectorChangesBody, body),
      actorOf(request),
    );
  }
}
