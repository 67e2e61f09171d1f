import { Logger, Module } from '@nestjs/common';
import { ChatModule } from '@switchboard/chat';
import { IdentityModule } from '@switchboard/identity';
import { randomBytes } from 'node:crypto';
import { OutboundLinks } from './media/outbound-links';
import { ParameterService } from '@switchboard/config';
import { SecretRepository } from '@switchboard/persistence';
import { ENVIRONMENT } from '@switchboard/platform';
import type { Environment } from '@switchboard/config';
import { InboundMessageHandler } from './inbound/inbound-message.handler';
import { StatusHandler } from './inbound/status.handler';
import { InboundMedia } from './media/inbound-media.service';
import { MediaController } from './media/media.controller';
import { UploadController } from './media/upload.controller';
import { AutoResponder } from './outbound/auto-responder.service';
import { OutboundSender } from './outbound/outbound-sender.service';
import { TyntecClient } from './outbound/tyntec-client';
import { InboxProcessor } from './webhooks/inbox-processor.service';
import { RawWebhookBody } from './webhooks/raw-webhook-body';
import { WebhookController } from './webhooks/webhook.controller';
import { InboxWriter } from './webhooks/inbox-writer';
import { WebhookIntake } from './webhooks/webhook-intake.service';
import { WebhookSecret } from './webhooks/webhook-secret';
import { loadWhatsappSettings, type WhatsappSettings } from './whatsapp-settings';
import { OUTBOUND_LINKS, WHATSAPP_SETTINGS } from './whatsapp.tokens';

/** The cluster-wide key outbound media links are signed with (any connector serves any link). */
const OUTBOUND_LINK_KEY_NAME = 'whatsapp.media-link-key';

/**
 * The whatsapp-connector feature: everything this service does, without the process around it, so that the
 * embedded all-in-one composes it with the others in one process.
 */
@Module({
  imports: [ChatModule, IdentityModule],
  controllers: [WebhookController, MediaController, UploadController],
  providers: [
    {
      provide: WHATSAPP_SETTINGS,
      inject: [ENVIRONMENT],
      useFactory: (environment: Environment) => loadWhatsappSettings(environment),
    },
    {
      provide: TyntecClient,
      inject: [ParameterService, WHATSAPP_SETTINGS],
      useFactory: (parameters: ParameterService, settings: WhatsappSettings) =>
        new TyntecClient({
          messagesUrl: () => parameters.get('ACD.Whatsapp.Tyntec.Url'),
          timeoutMs: settings.tyntecTimeoutMs,
          logger: new Logger('TyntecClient'),
        }),
    },
    {
      provide: OUTBOUND_LINKS,
      inject: [SecretRepository],
      useFactory: async (secrets: SecretRepository) =>
        new OutboundLinks(
          Buffer.from(
            await secrets.getOrCreate(OUTBOUND_LINK_KEY_NAME, () => randomBytes(32).toString('base64')),
            'base64',
          ),
        ),
    },
    WebhookSecret,
    RawWebhookBody,
    WebhookIntake,
    InboxWriter,
    InboxProcessor,
    InboundMessageHandler,
    StatusHandler,
    InboundMedia,
    OutboundSender,
    AutoResponder,
  ],
  exports: [InboxProcessor, OutboundSender],
})
export class WhatsappConnectorModule {}
