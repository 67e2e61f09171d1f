import { ChatConnectorRepository } from '@switchboard/persistence';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { ParameterService, type BootstrapSettings } from '@switchboard/config';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';
import type { InboundContent } from '@switchboard/protocol';
import { TyntecClient, TyntecError } from '../outbound/tyntec-client';
import { MAX_MEDIA_BYTES, MediaFiles } from './media-files';

type MediaContent = Extract<InboundContent, { type: 'media' }>;

/** What became of a customer's medium: a description for the line, or a reason to try the message later. */
export interface FetchedMedium {
  readonly description?: string;
  readonly retry?: string;
}

/** The path agents load stored media from, under `ACD.Whatsapp.Server.Base.URL`. */
export const MEDIA_ROUTE = 'whatsapp/media';

/**
 * Downloads a customer's medium from TynTec and stores it under DATADIR, so the agent gets a link.
 * A medium TynTec refuses (unknown, too large, a type off the allow-list) leaves the reason in the
 * line; TynTec being unreachable makes the whole message wait for a retry.
 */
@Injectable()
export class InboundMedia {
  private readonly logger = new Logger('WhatsappMedia');
  readonly files: MediaFiles;

  constructor(
    private readonly chatConnectors: ChatConnectorRepository,
    private readonly tyntec: TyntecClient,
    private readonly parameters: ParameterService,
    @Inject(BOOTSTRAP_SETTINGS) settings: BootstrapSettings,
  ) {
    this.files = new MediaFiles(settings.dataDirectory);
  }

  async fetch(connectorId: number, content: MediaContent): Promise<FetchedMedium> {
    if (content.mediaId === undefined) return { description: '(no media id: not downloaded)' };
    const apiKey = await this.chatConnectors.revealApiKey(connectorId);
    if (apiKey === null) return { retry: `chat connector ${connectorId} is gone` };
    try {
      const medium = await this.tyntec.downloadMedia(apiKey, content.mediaId, MAX_MEDIA_BYTES);
      const name = await this.files.save(medium.contentType, medium.data);
      return {
        description: `${this.parameters.get('ACD.Whatsapp.Server.Base.URL').replace(/\/$/, '')}/${MEDIA_ROUTE}/${name}`,
      };
    } catch (error) {
      if (error instanceof TyntecError && error.kind === 'unavailable') return { retry: error.message };
      const reason = (error as Error).message;
      this.logger.warn(`medium ${content.mediaId} not stored: ${reason}`);
      return { description: `(not downloaded: ${reason})` };
    }
  }
}
