import { Get, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { formatOf, sendAs } from '../formats/respond';
import { chatQuery, parseInput } from '../support/query';
import { chatAsText } from './chat-document';
import { ChatExportService } from './chat-export.service';
import { AdminController } from './whoson.decorators';

/** WhosOn's chat endpoints: one chat as JSON, XML, text or HTML (the site's template), and the open chats. */
@AdminController()
export class ChatsController {
  constructor(private readonly chats: ChatExportService) {}

  @Get(['chat.json', 'chat.xml'])
  async chatDocument(
    @Query() query: unknown,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const { sitekey, chatuid } = parseInput(chatQuery, query);
    sendAs(response, formatOf(request), await this.chats.document(sitekey, chatuid), {
      root: 'chat',
      title: 'Chat',
    });
  }

  @Get('chat.txt')
  async chatText(@Query() query: unknown, @Res() response: Response): Promise<void> {
    const { sitekey, chatuid } = parseInput(chatQuery, query);
    response.type('text/plain; charset=utf-8').send(chatAsText(await this.chats.document(sitekey, chatuid)));
  }

  @Get('chat.htm')
  async chatHtml(@Query() query: unknown, @Res() response: Response): Promise<void> {
    const { sitekey, chatuid } = parseInput(chatQuery, query);
    response.type('text/html; charset=utf-8').send(await this.chats.html(sitekey, chatuid));
  }

  @Get('chattingvisitors.json')
  async chattingVisitors(): Promise<unknown> {
    return this.chats.chattingVisitors();
  }
}
