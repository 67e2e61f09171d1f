import { Module } from '@nestjs/common';
import { AdminApiModule } from '@switchboard/admin';
import { ClientMessengerModule } from '@switchboard/messaging';
import { PlatformModule } from '@switchboard/platform';
import { RoutingModule } from '@switchboard/routing';
import { WhatsappConnectorModule } from '@switchboard/whatsapp';
import { DemoSeeder } from './demo-seeder';

/** The whole product in one process: the four services' feature modules on the in-memory cluster. */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'embedded', defaultPort: 3000 }),
    ClientMessengerModule,
    RoutingModule,
    WhatsappConnectorModule,
    AdminApiModule,
  ],
  providers: [DemoSeeder],
})
export class EmbeddedAppModule {}
