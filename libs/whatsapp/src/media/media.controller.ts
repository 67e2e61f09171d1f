import { Controller, Get, NotFoundException, Param, Res } from '@nestjs/common';
import type { Response } from 'express';
import { InboundMedia, MEDIA_ROUTE } from './inbound-media.service';

/** Serves stored customer media to agents: only files under DATADIR/whatsapp-media, only by their unguessable name. */
@Controller(MEDIA_ROUTE)
export class MediaController {
  constructor(private readonly media: InboundMedia) {}

  @Get(':name')
  serve(@Param('name') name: string, @Res() response: Response): void {
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
