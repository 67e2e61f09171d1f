import { startHazelcastTestCluster, type HazelcastTestCluster } from '@switchboard/cluster/testing';
import { dropMysqlDatabase } from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMessengerNode, type MessengerNode } from './messaging-test-app';

/** Two ClientMessenger nodes in this process over two real Hazelcast members and a throwaway MariaDB database. */
export interface TwoMessengerNodes {
  /** Visitors connect here. */
  readonly visitorNode: MessengerNode;
  /** Agents connect here: every delivery crosses the Hazelcast stream. */
  readonly agentNode: MessengerNode;
  /** The two members, for fault tests (stop, restart, pause). */
  readonly cluster: HazelcastTestCluster;
  /** Closes both nodes, stops the members, drops the database and restores the environment. */
  stop(): Promise<void>;
}

/** `extraEnvironment`: further SWITCHBOARD_* variables for both nodes (e.g. shorter cluster timeouts). */
export async function startTwoMessengerNodes(
  extraEnvironment: Record<string, string> = {},
): Promise<TwoMessengerNodes> {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  const savedEnvironment = { ...process.env };
  const cluster = await startHazelcastTestCluster({ memberCount: 2 });
  const dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-messaging-'));
  const environment = {
    DATADIR: dataDirectory,
    ...cluster.clientEnvironment(),
    SWITCHBOARD_DATABASE_URL: databaseUrl,
    SWITCHBOARD_DRAIN_MS: '0',
    ...extraEnvironment,
  };
  const visitorNode = await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: 'client-messenger-1' });
  const agentNode = await startMessengerNode({ ...environment, SWITCHBOARD_NODE_ID: 'client-messenger-2' });
  return {
    visitorNode,
    agentNode,
    cluster,
    stop: async () => {
      await visitorNode.app.close();
      await agentNode.app.close();
      await cluster.stopAll();
      await dropMysqlDatabase(databaseUrl);
      rmSync(dataDirectory, { recursive: true, force: true });
      process.env = savedEnvironment;
    },
  };
}
