import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { OUTBOUND_LINKS } from '../whatsapp.tokens';
import { InboundMedia, MEDIA_ROUTE } from './inbound-media.service';
import { OUTBOUND_ROUTE, type OutboundLinks } from './outbound-links';

/**
 * Serves stored media: to agents by their unguessable name (`/whatsapp/media/<name>`), to WhatsApp
 * by a signed link that expires (`/whatsapp/outbound/<name>?expires=…&signature=…`). Only files
 * under DATADIR/whatsapp-media, only by names of the shape the connector writes.
 */
@Controller()
export class MediaController {
  constructor(
    private readonly media: InboundMedia,
    @Inject(OUTBOUND_LINKS) private readonly links: OutboundLinks,
  ) {}

  @Get(`${MEDIA_ROUTE}/:name`)
  serve(@Param('name') name: string, @Res() response: Response): void {
    this.send(name, response);
  }

  @Get(`${OUTBOUND_ROUTE}/:name`)
  serveOutbound(
    @Param('name') name: string,
    @Query('expires') expires: unknown,
    @Query('signature') signature: unknown,
    @Res() response: Response,
  ): void {
    if (!this.links.isValid(name, expires, signature))
      throw new NotFoundException('No such medium, or the link expired.');
    this.send(name, response);
  }

  private send(name: string, response: Response): void {
    const located = this.media.files.locate(name);
    if (!located) throw new NotFoundException('No such medium.');
    response.setHeader('content-type', located.contentType);
    response.setHeader('x-content-type-options', 'nosniff');
    response.setHeader('content-disposition', 'inline');
    response.setHeader('cache-control', 'private, max-age=86400');
    response.sendFile(located.path, (error) => {
      if (error && !response.headersSent)
        response.status(404).json({ statusCode: 404, message: 'No such medium.' });
    });
  }
}
