import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { appRepositories, type Repositories } from '@switchboard/persistence';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedAppModule } from '../embedded-app.module';

/** The embedded all-in-one listening on a free local port, over a throwaway data directory. */
export interface EmbeddedTestApp {
  readonly app: INestApplication;
  /** `http://127.0.0.1:<port>`, for socket.io clients. */
  readonly url: string;
  readonly repositories: Repositories;
  /** Closes the app and deletes its data directory. */
  stop(): Promise<void>;
}

export async function startEmbeddedTestApp(
  prefix: string,
  environment: Readonly<Record<string, string>> = {},
): Promise<EmbeddedTestApp> {
  const dataDirectory = mkdtempSync(join(tmpdir(), `switchboard-${prefix}-`));
  const moduleRef = await Test.createTestingModule({
    imports: [
      EmbeddedAppModule.forRoot({ ...environment, DATADIR: dataDirectory, PORT: '0', HOST: '127.0.0.1' }),
    ],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.listen(0, '127.0.0.1');
  return {
    app,
    url: `http://127.0.0.1:${((app.getHttpServer() as Server).address() as AddressInfo).port}`,
    repositories: appRepositories(app),
    stop: async () => {
      await app.close();
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
}
