import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import type { Server } from 'node:http';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  eventually,
  startHazelcastTestCluster,
  type HazelcastTestCluster,
} from '@switchboard/cluster/testing';
import { ParameterService, ParameterValidationError } from '@switchboard/config';
import { ParameterRepository, dropMysqlDatabase } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { ClusterEventBus } from './cluster-event-bus';
import { PlatformModule } from './platform.module';

// Two processes' worth of platform (as two Nest applications with their own Hazelcast clients and
// database pools) against real Hazelcast members and the real MariaDB.
const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;

async function startProcess(service: string, cluster: HazelcastTestCluster): Promise<INestApplication> {
  const environment = {
    SWITCHBOARD_CLUSTER: 'hazelcast',
    SWITCHBOARD_HAZELCAST_MEMBERS: cluster.addresses.join(','),
    SWITCHBOARD_HAZELCAST_CLUSTER_NAME: cluster.clusterName,
    SWITCHBOARD_DATABASE_URL: databaseUrl,
    SWITCHBOARD_NODE_ID: `${service}@test`,
    SWITCHBOARD_DRAIN_MS: '0',
    ...encryptionTestEnvironment(),
  };
  @Module({ imports: [PlatformModule.forRoot({ service, defaultPort: 0, environment })] })
  class ProcessModule {}
  const moduleRef = await Test.createTestingModule({ imports: [ProcessModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}

describe('platform on real Hazelcast members and MariaDB', () => {
  let cluster: HazelcastTestCluster;
  let adminProcess: INestApplication;
  let routingProcess: INestApplication;

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    adminProcess = await startProcess('admin-api', cluster);
    routingProcess = await startProcess('routing', cluster);
  });

  afterAll(async () => {
    await adminProcess?.close();
    await routingProcess?.close();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
  });

  it('reports the database and the Hazelcast cluster ready', async () => {
    const ready = await request(routingProcess.getHttpServer() as Server)
      .get('/health/ready')
      .expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      checks: expect.arrayContaining([
        expect.objectContaining({ name: 'database', ok: true, detail: 'mysql' }),
        expect.objectContaining({ name: 'cluster', ok: true }),
      ]) as unknown,
    });
  });

  it('applies a parameter changed in one process to the other without a restart', async () => {
    const routingParameters = routingProcess.get(ParameterService);
    expect(routingParameters.get('ACD.Chat.Queue.MaxLength')).toBe(50);
    await adminProcess.get(ParameterService).set('ACD.Chat.Queue.MaxLength', '12', 'admin');
    await eventually(
      'the routing process sees the new value',
      () => routingParameters.get('ACD.Chat.Queue.MaxLength') === 12,
      15_000,
    );
    const history = await routingProcess.get(ParameterRepository).history('ACD.Chat.Queue.MaxLength');
    expect(history).toEqual([
      expect.objectContaining({ oldValue: null, newValue: '12', changedBy: 'admin' }),
    ]);
  });

  it('resets a parameter to its default everywhere', async () => {
    const routingParameters = routingProcess.get(ParameterService);
    await adminProcess.get(ParameterService).set('ACD.Chat.Distribution.Mode', 'manual', 'admin');
    await eventually(
      'manual mode reaches routing',
      () => routingParameters.get('ACD.Chat.Distribution.Mode') === 'manual',
      15_000,
    );
    await adminProcess.get(ParameterService).set('ACD.Chat.Distribution.Mode', null, 'admin');
    await eventually(
      'the reset reaches routing',
      () => routingParameters.view('ACD.Chat.Distribution.Mode').source === 'default',
      15_000,
    );
  });

  it('refuses an invalid value and stores nothing', async () => {
    await expect(
      adminProcess.get(ParameterService).set('ACD.Chat.Inactivity.Timeout.Minutes', '0', 'admin'),
    ).rejects.toThrow(ParameterValidationError);
    expect(await adminProcess.get(ParameterRepository).get('ACD.Chat.Inactivity.Timeout.Minutes')).toBeNull();
  });

  it('re-reads parameters from the database on a resync (what a stale stream sequence triggers)', async () => {
    // A change stored while this process could not see the stream (written straight to the table)
    // is picked up by the resync that follows a stale sequence.
    await routingProcess.get(ParameterRepository).set('ACD.Chat.Line.MaxLength', '999', 'dba');
    await routingProcess.get(ClusterEventBus).resync();
    expect(routingProcess.get(ParameterService).get('ACD.Chat.Line.MaxLength')).toBe(999);
  });
});
