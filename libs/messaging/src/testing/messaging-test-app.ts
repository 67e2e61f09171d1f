import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { Module, type INestApplication, type Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { appRepositories, type Repositories } from '@switchboard/persistence';
import { AppLogger, PlatformModule, type LogOutput } from '@switchboard/platform';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { ClientMessengerModule } from '../client-messenger.module';

/** A ClientMessenger node listening on a free port, on the SWITCHBOARD_* environment it was given. */
export interface MessengerNode {
  readonly app: INestApplication;
  readonly url: string;
  readonly repositories: Repositories;
}

/**
 * `alongside`: further feature modules in the same process (e.g. routing, as in the embedded mode).
 * `logOutput`: every line of the app logger (JSON) goes there; without it only errors are shown.
 */
export async function startMessengerNode(
  environment: Record<string, string>,
  alongside: Array<Type<unknown>> = [],
  logOutput?: LogOutput,
): Promise<MessengerNode> {
  @Module({
    imports: [
      PlatformModule.forRoot({
        service: 'client-messenger',
        defaultPort: 0,
        environment: { PORT: '0', HOST: '127.0.0.1', ...encryptionTestEnvironment(), ...environment },
        logOutput,
      }),
      ClientMessengerModule,
      ...alongside,
    ],
  })
  class NodeModule {}
  const moduleRef = await Test.createTestingModule({ imports: [NodeModule] }).compile();
  const app = moduleRef.createNestApplication(logOutput ? { bufferLogs: true } : { logger: ['error'] });
  if (logOutput) {
    app.useLogger(app.get(AppLogger));
    app.flushLogs();
  }
  await app.listen(0, '127.0.0.1');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, repositories: appRepositories(app) };
}
