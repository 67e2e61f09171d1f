import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AppLogger, PlatformModule, type LogOutput } from '@switchboard/platform';
import { AdminApiModule } from '../admin-api.module';
import { RELOAD_WAIT_OPTIONS } from '../whoson/reload.service';

export const TEST_AUTH = 'test-auth-string-1234';

/**
 * One admin-api process for tests: the platform (on the SWITCHBOARD_* the caller gives) and the
 * admin feature, acknowledgements awaited briefly, logging through the app logger (getlog.txt) with
 * only errors shown (or to `logOutput`). Not listening: drive it with supertest.
 */
export async function startAdminTestApp(
  environment: Record<string, string>,
  reloadWait = { maxWaitMs: 2000, quietMs: 100 },
  logOutput: LogOutput = errorsTo(process.stderr),
): Promise<INestApplication> {
  const processEnvironment = {
    SWITCHBOARD_ADMIN_AUTH: TEST_AUTH,
    SWITCHBOARD_DRAIN_MS: '0',
    ...encryptionTestEnvironment(),
    ...environment,
  };
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'admin-api',
        defaultPort: 0,
        environment: { SWITCHBOARD_LOG_FORMAT: 'json', ...processEnvironment },
        logOutput,
      }),
      AdminApiModule,
    ],
  })
  class AdminTestModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AdminTestModule] })
    .overrideProvider(RELOAD_WAIT_OPTIONS)
    .useValue(reloadWait)
    .compile();
  const app = moduleRef.createNestApplication({ bufferLogs: true });
  app.useLogger(app.get(AppLogger));
  app.flushLogs();
  await app.init();
  return app;
}

/** Writes only the error lines (pino levels 50 and 60) of the JSON log. */
function errorsTo(stream: NodeJS.WritableStream): LogOutput {
  return { write: (line: string) => (/"level":[56]0,/.test(line) ? stream.write(line) : true) };
}
