import { encryptionTestEnvironment } from '@switchboard/persistence/testing';
import { Module, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import {
  eventually,
  startHazelcastTestCluster,
  type HazelcastTestCluster,
} from '@switchboard/cluster/testing';
import { ParameterService } from '@switchboard/config';
import { appRepositories, dropMysqlDatabase, ParameterRepository } from '@switchboard/persistence';
import { PlatformModule } from '@switchboard/platform';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';
import { startAdminTestApp, TEST_AUTH } from './testing/admin-test-app';

// The admin-api process and a second process (routing's platform) as two Nest applications with
// their own Hazelcast clients and database pools, on real Hazelcast members and the real MariaDB.
const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;

function clusterEnvironment(cluster: HazelcastTestCluster, nodeId: string): Record<string, string> {
  return {
    SWITCHBOARD_CLUSTER: 'hazelcast',
    SWITCHBOARD_HAZELCAST_MEMBERS: cluster.addresses.join(','),
    SWITCHBOARD_HAZELCAST_CLUSTER_NAME: cluster.clusterName,
    SWITCHBOARD_DATABASE_URL: databaseUrl,
    SWITCHBOARD_NODE_ID: nodeId,
    SWITCHBOARD_DRAIN_MS: '0',
  };
}

async function startRoutingProcess(cluster: HazelcastTestCluster): Promise<INestApplication> {
  const environment = { ...clusterEnvironment(cluster, 'routing@test'), ...encryptionTestEnvironment() };
  @Module({ imports: [PlatformModule.forRoot({ service: 'routing', defaultPort: 0, environment })] })
  class RoutingProcessModule {}
  const moduleRef = await Test.createTestingModule({ imports: [RoutingProcessModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: ['error'] });
  await app.init();
  return app;
}

describe('admin interface on real Hazelcast members and MariaDB', () => {
  let cluster: HazelcastTestCluster;
  let admin: INestApplication;
  let routing: INestApplication;

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    admin = await startAdminTestApp(clusterEnvironment(cluster, 'admin-api@test'), {
      maxWaitMs: 5000,
      quietMs: 500,
    });
    routing = await startRoutingProcess(cluster);
  });

  afterAll(async () => {
    await admin?.close();
    await routing?.close();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
  });

  it('loadsettings.htm reaches the other process through the CHAT stream, which re-reads and acknowledges', async () => {
    // Stored behind every process's back (as a DBA would): only a reload makes it live.
    await admin.get(ParameterRepository).set('ACD.Chat.Line.MaxLength', '777', 'dba');
    expect(routing.get(ParameterService).get('ACD.Chat.Line.MaxLength')).not.toBe(777);
    const response = await request(admin.getHttpServer() as Server)
      .get(`/loadsettings.htm?a=${TEST_AUTH}`)
      .expect(200);
    expect(response.text).toMatch(/cluster stream CHAT at sequence \d+/);
    expect(response.text).toContain('admin-api@test, routing@test');
    expect(routing.get(ParameterService).get('ACD.Chat.Line.MaxLength')).toBe(777);
  });

  it('a parameter set through the JSON API applies in the other process without a restart', async () => {
    await request(admin.getHttpServer() as Server)
      .put(`/api/parameters/ACD.Chat.Queue.MaxLength?a=${TEST_AUTH}&by=ops`)
      .send({ value: '13' })
      .expect(200);
    const routingParameters = routing.get(ParameterService);
    await eventually(
      'routing sees the new value',
      () => routingParameters.get('ACD.Chat.Queue.MaxLength') === 13,
      15_000,
    );
  });

  it('a routing rule created, changed and deleted on MariaDB is told to the other process as a site reload', async () => {
    const repositories = appRepositories(admin);
    await repositories.sites.create({ siteKey: 'int-rules', name: 'Rules', domain: 'rules.test' });
    await repositories.skills.create('int-sales');
    const server = admin.getHttpServer() as Server;
    const created = await request(server)
      .post(`/api/routingrules?a=${TEST_AUTH}&by=ops`)
      .send({ siteKey: 'int-rules', name: 'german', skill: 'int-sales', language: 'de' })
      .expect(201);
    const { value, reload } = created.body as {
      value: { id: number };
      reload: { target: string; key: string; acknowledgedBy: string[] };
    };
    expect(reload).toMatchObject({ target: 'site', key: 'int-rules' });
    expect(reload.acknowledgedBy).toContain('routing@test');
    await request(server)
      .patch(`/api/routingrules/${value.id}?a=${TEST_AUTH}`)
      .send({ language: null, variables: { plan: 'gold' } })
      .expect(200);
    expect(await repositories.routingRules.findById(value.id)).toEqual(
      expect.not.objectContaining({ language: expect.anything() as unknown }),
    );
    expect(await repositories.routingRules.findById(value.id)).toMatchObject({ variables: { plan: 'gold' } });
    await request(server).delete(`/api/routingrules/${value.id}?a=${TEST_AUTH}`).expect(200);
    expect(await repositories.routingRules.findById(value.id)).toBeNull();
  });

  it('reports both dependencies in status.json', async () => {
    const response = await request(admin.getHttpServer() as Server)
      .get(`/status.json?a=${TEST_AUTH}`)
      .expect(200);
    expect(response.body).toMatchObject({
      cluster: {
        mode: 'hazelcast',
        members: cluster.addresses,
        checks: expect.arrayContaining([
          expect.objectContaining({ name: 'database', ok: true }),
          expect.objectContaining({ name: 'cluster', ok: true }),
        ]) as unknown,
      },
    });
  });
});
