import { Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import { WhatsappConnectorModule } from '@switchboard/whatsapp';

/**
 * The whatsapp-connector service as its own process: TynTec webhooks in, agent replies out. It reads
 * the cluster stream without a pause: an agent's line (`chat.line`) is sent to TynTec as it arrives.
 */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'whatsapp-connector', defaultPort: 3200, streamReadPauseMs: 5 }),
    WhatsappConnectorModule,
  ],
})
export class WhatsappConnectorAppModule {}
