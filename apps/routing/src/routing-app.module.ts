import { Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import { RoutingModule } from '@switchboard/routing';

/** The routing service as its own process: the ACD that decides who gets which chat. */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'routing', defaultPort: 3100, streamReadPauseMs: 5 }),
    RoutingModule,
  ],
})
export class RoutingAppModule {}
