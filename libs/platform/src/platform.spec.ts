import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { PlatformModule } from './platform.module';

describe('PlatformModule (embedded adapters)', () => {
  let dataDirectory: string;
  let app: INestApplication;
  let environment: Record<string, string>;

  beforeEach(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-platform-'));
    environment = { DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory', SWITCHBOARD_DRAIN_MS: '400' };
    @Module({ imports: [PlatformModule.forRoot({ service: 'routing', defaultPort: 0, environment })] })
    class ProcessModule {}
    const moduleRef = await Test.createTestingModule({ imports: [ProcessModule] }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
  });

  afterEach(() => {
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('fails its health check while draining, before it closes (HAProxy moves clients away)', async () => {
    const server = app.getHttpServer() as Server;
    await request(server).get('/health').expect(200);
    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const draining = await request(server).get('/health').expect(503);
    expect(draining.body).toMatchObject({ status: 'draining', service: 'routing' });
    await request(server).get('/health/ready').expect(503);
    await closing;
  });

  it('refuses to start with a bad environment, naming the variable', async () => {
    @Module({
      imports: [
        PlatformModule.forRoot({
          service: 'routing',
          defaultPort: 0,
          environment: { ...environment, SWITCHBOARD_CLUSTER: 'zookeeper' },
        }),
      ],
    })
    class BadModule {}
    await expect(Test.createTestingModule({ imports: [BadModule] }).compile()).rejects.toThrow(
      'SWITCHBOARD_CLUSTER must be memory or hazelcast',
    );
    await app.close();
  });
});
