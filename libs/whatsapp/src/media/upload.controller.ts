import {
  Controller,
  HttpCode,
  Logger,
  PayloadTooLargeException,
  Post,
  Req,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { SessionService } from '@switchboard/identity';
import type { IncomingMessage } from 'node:http';
import { readBody } from '../webhooks/raw-webhook-body';
import { InboundMedia, MEDIA_ROUTE } from './inbound-media.service';
import { ALLOWED_MEDIA_TYPES, MAX_MEDIA_BYTES } from './media-files';

/** Where an agent's console posts a file: the body is the file, `Content-Type` its type. */
export const UPLOAD_ROUTE = 'whatsapp/upload';

/** What an upload answers: the stored name the agent sends with `/attach <storedName> [caption]`. */
export interface UploadedMedium {
  readonly storedName: string;
  readonly link: string;
  readonly attach: string;
}

/**
 * An agent's file for a WhatsApp chat: only with a live session's access token (`Authorization: Bearer …`,
 * the token of the /agent namespace), only a type on the allow-list, at most MAX_MEDIA_BYTES. It is stored
 * under DATADIR/whatsapp-media under a random name: nothing the caller sends becomes part of a path.
 */
@Controller()
export class UploadController {
  private readonly logger = new Logger('WhatsappUpload');

  constructor(
    private readonly sessions: SessionService,
    private readonly media: InboundMedia,
  ) {}

  @Post(UPLOAD_ROUTE)
  @HttpCode(201)
  async upload(@Req() request: IncomingMessage): Promise<UploadedMedium> {
    const bearer = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    const agent = bearer && (await this.sessions.authenticate(bearer[1]).catch(() => undefined));
    if (!agent)
      throw new UnauthorizedException('Log in to the console again: the agent token is missing or expired.');
    const contentType = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (ALLOWED_MEDIA_TYPES[contentType] === undefined)
      throw new UnsupportedMediaTypeException(
        `WhatsApp files must be one of ${Object.keys(ALLOWED_MEDIA_TYPES).join(', ')}; got "${contentType}".`,
      );
    const tooBig = new PayloadTooLargeException(`A file may have at most ${MAX_MEDIA_BYTES} bytes.`);
    if (Number(request.headers['content-length'] ?? 0) > MAX_MEDIA_BYTES) throw tooBig;
    const { body, truncated, size } = await readBody(request, MAX_MEDIA_BYTES, 2 * MAX_MEDIA_BYTES);
    if (truncated) throw tooBig;
    const storedName = await this.media.files.save(contentType, body);
    this.logger.log(
      `agent ${agent.operator.username} uploaded ${storedName} (${contentType}, ${size} bytes)`,
    );
    return { storedName, link: `/${MEDIA_ROUTE}/${storedName}`, attach: `/attach ${storedName}` };
  }
}
