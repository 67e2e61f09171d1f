import { Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import { ClientMessengerModule } from '@switchboard/messaging';

/** The client-messenger service as its own process: the socket.io gateway for visitors and agents. */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'client-messenger', defaultPort: 3000 }),
    ClientMessengerModule,
  ],
})
export class ClientMessengerAppModule {}
