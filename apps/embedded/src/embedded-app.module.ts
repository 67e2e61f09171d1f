import { Module, type DynamicModule } from '@nestjs/common';
import type { Environment } from '@switchboard/config';
import { AdminApiModule } from '@switchboard/admin';
import { ClientMessengerModule } from '@switchboard/messaging';
import { PlatformModule } from '@switchboard/platform';
import { RoutingModule } from '@switchboard/routing';
import { WhatsappConnectorModule } from '@switchboard/whatsapp';
import { DemoSeeder } from './demo-seeder';

/** The whole product in one process: the four services' feature modules on the in-memory cluster. */
@Module({})
export class EmbeddedAppModule {
  /** The product on `environment` (`process.env` and what the dev extensions add, a literal in tests). */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: EmbeddedAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'embedded', defaultPort: 3000, environment }),
        ClientMessengerModule,
        RoutingModule,
        WhatsappConnectorModule,
        AdminApiModule,
      ],
      providers: [DemoSeeder],
    };
  }
}
