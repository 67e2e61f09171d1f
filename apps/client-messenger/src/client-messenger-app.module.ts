import { Module, type DynamicModule } from '@nestjs/common';
import type { Environment } from '@switchboard/config';
import { PlatformModule } from '@switchboard/platform';
import { ClientMessengerModule } from '@switchboard/messaging';

/** The client-messenger service as its own process: the socket.io gateway for visitors and agents. */
@Module({})
export class ClientMessengerAppModule {
  /** The process on `environment` (`process.env` in main.ts, a literal in tests). */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: ClientMessengerAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'client-messenger', defaultPort: 3000, environment }),
        ClientMessengerModule,
      ],
    };
  }
}
