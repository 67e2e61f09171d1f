import { Module, type DynamicModule } from '@nestjs/common';
import type { Environment } from '@switchboard/config';
import { PlatformModule } from '@switchboard/platform';
import { AdminApiModule } from '@switchboard/admin';

/** The admin-api service as its own process: the WhosOn-style HTTP interface for sysadmins. */
@Module({})
export class AdminApiAppModule {
  /** The process on `environment` (`process.env` in main.ts, a literal in tests). */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: AdminApiAppModule,
      imports: [
        PlatformModule.forRoot({
          service: 'admin-api',
          defaultPort: 8899,
          streamReadPauseMs: 100,
          environment,
        }),
        AdminApiModule,
      ],
    };
  }
}
