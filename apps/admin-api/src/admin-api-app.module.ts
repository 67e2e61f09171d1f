import { Module } from '@nestjs/common';
import { PlatformModule } from '@switchboard/platform';
import { AdminApiModule } from '@switchboard/admin';

/** The admin-api service as its own process: the WhosOn-style HTTP interface for sysadmins. */
@Module({
  imports: [
    PlatformModule.forRoot({ service: 'admin-api', defaultPort: 8899, streamReadPauseMs: 100 }),
    AdminApiModule,
  ],
})
export class AdminApiAppModule {}
