import { Module, type DynamicModule } from '@nestjs/common';
import type { Environment } from '@switchboard/config';
import { PlatformModule } from '@switchboard/platform';
import { WhatsappConnectorModule } from '@switchboard/whatsapp';

/**
 * The whatsapp-connector service as its own process: TynTec webhooks in, agent replies out. It reads
 * the cluster stream without a pause: an agent's line (`chat.line`) is sent to TynTec as it arrives.
 */
@Module({})
export class WhatsappConnectorAppModule {
  /** The process on `environment` (`process.env` in main.ts, a literal in tests). */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: WhatsappConnectorAppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'whatsapp-connector',
          defaultPort: 3200,
          streamReadPauseMs: 5,
          environment,
        }),
        WhatsappConnectorModule,
      ],
    };
  }
}
