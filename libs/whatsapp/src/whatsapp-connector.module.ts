import { Module } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { InboundMessageHandler } from './inbound/inbound-message.handler';
import { StatusHandler } from './inbound/status.handler';
import { InboundMedia } from './media/inbound-media.service';
import { MediaController } from './media/media.controller';
import { OutboundSender } from './outbound/outbound-sender.service';
import { TyntecClient } from './outbound/tyntec-client';
import { InboxProcessor } from './webhooks/inbox-processor.service';
import { RawWebhookBody } from './webhooks/raw-webhook-body';
import { WebhookController } from './webhooks/webhook.controller';
import { WebhookIntake } from './webhooks/webhook-intake.service';
import { WebhookSecret } from './webhooks/webhook-secret';
import { loadWhatsappSettings } from './whatsapp-settings';
import { WhatsappPublisher } from './whatsapp-publisher';
import { WhatsappStore } from './whatsapp-store';
import { WHATSAPP_SETTINGS } from './whatsapp.tokens';

/**
 * The whatsapp-connector feature: everything this service does, without the process around it, so that the
 * embedded all-in-one composes it with the others in one process.
 */
@Module({
  controllers: [WebhookController, MediaController],
  providers: [
    { provide: WHATSAPP_SETTINGS, useFactory: () => loadWhatsappSettings(process.env) },
    {
      provide: TyntecClient,
      inject: [ParameterService],
      useFactory: (parameters: ParameterService) =>
        new TyntecClient({ messagesUrl: () => parameters.get('ACD.Whatsapp.Tyntec.Url') }),
    },
    WhatsappStore,
    WhatsappPublisher,
    WebhookSecret,
    RawWebhookBody,
    WebhookIntake,
    InboxProcessor,
    InboundMessageHandler,
    StatusHandler,
    InboundMedia,
    OutboundSender,
  ],
  exports: [InboxProcessor, OutboundSender],
})
export class WhatsappConnectorModule {}
