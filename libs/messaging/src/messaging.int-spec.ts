import { startHazelcastTestCluster, type HazelcastTestCluster } from '@switchboard/cluster/testing';
import { dropMysqlDatabase } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagingContract, startMessengerNode, type MessengerNode } from './testing';

// Visitors on node 1, agents on node 2: every delivery crosses the real Hazelcast stream, every
// invariant is decided by the real MariaDB.
describe('ClientMessenger on two nodes (real Hazelcast members, MariaDB)', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  const savedEnvironment = { ...process.env };
  let cluster: HazelcastTestCluster;
  let visitorNode: MessengerNode;
  let agentNode: MessengerNode;
  let dataDirectory: string;

  beforeAll(async () => {
    cluster = await startHazelcastTestCluster({ memberCount: 2 });
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-messaging-'));
    const environment = {
      DATADIR: dataDirectory,
      SWITCHBOARD_CLUSTER: 'hazelcast',
      SWITCHBOARD_HAZELCAST_MEMBERS: cluster.addresses.join(','),
      SWITCHBOARD_HAZELCAST_CLUSTER_NAME: cluster.clusterName,
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_DRAIN_MS: '0',
    };
    visitorNode = await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: 'client-messenger-1' });
    agentNode = await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: 'client-messenger-2' });
  });

  afterAll(async () => {
    await visitorNode?.app.close();
    await agentNode?.app.close();
    await cluster?.stopAll();
    await dropMysqlDatabase(databaseUrl);
    rmSync(dataDirectory, { recursive: true, force: true });
    process.env = savedEnvironment;
  });

  messagingContract(() => ({
    visitorUrl: visitorNode.url,
    agentUrl: agentNode.url,
    repositories: visitorNode.repositories,
  }));
});
