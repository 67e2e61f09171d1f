import { Module, type DynamicModule } from '@nestjs/common';
import type { Environment } from '@switchboard/config';
import { PlatformModule } from '@switchboard/platform';
import { RoutingModule } from '@switchboard/routing';

/** The routing service as its own process: the ACD that decides who gets which chat. */
@Module({})
export class RoutingAppModule {
  /** The process on `environment` (`process.env` in main.ts, a literal in tests). */
  static forRoot(environment: Environment): DynamicModule {
    return {
      module: RoutingAppModule,
      imports: [
        PlatformModule.forRoot({ service: 'routing', defaultPort: 3100, streamReadPauseMs: 5, environment }),
        RoutingModule,
      ],
    };
  }
}
