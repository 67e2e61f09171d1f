import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { PlatformModule } from '@switchboard/platform';
import { AdminApiModule } from '../admin-api.module';
import { RELOAD_WAIT_OPTIONS } from '../whoson/reload.service';

export const TEST_AUTH = 'test-auth-string-1234';

/**
 * One admin-api process for tests: the platform (on the SWITCHBOARD_* the caller gives) and the
 * admin feature, acknowledgements awaited briefly. Not listening: drive it with supertest.
 */
export async function startAdminTestApp(
  environment: Record<string, string>,
  reloadWait = { maxWaitMs: 2000, quietMs: 100 },
): Promise<INestApplication> {
  const processEnvironment = { SWITCHBOARD_ADMIN_AUTH: TEST_AUTH, SWITCHBOARD_DRAIN_MS: '0', ...environment };
  @Module({
    imports: [
      PlatformModule.forRoot({ service: 'admin-api', defaultPort: 0, environment: processEnvironment }),
      AdminApiModule,
    ],
  })
  class AdminTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AdminTestModule] })
    .overrideProvider(RELOAD_WAIT_OPTIONS)
    .useValue(reloadWait)
    .compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}
