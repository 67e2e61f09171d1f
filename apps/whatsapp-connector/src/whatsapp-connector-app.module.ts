import { Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import { WhatsappConnectorModule } from '@switchboard/whatsapp';

/** The whatsapp-connector service as its own process: TynTec webhooks in, agent replies out. */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'whatsapp-connector', defaultPort: 3200, streamReadPauseMs: 100 }),
    WhatsappConnectorModule,
  ],
})
export class WhatsappConnectorAppModule {}
