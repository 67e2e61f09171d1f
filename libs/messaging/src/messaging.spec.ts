import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { messagingContract, startMessengerNode, type MessengerNode } from './testing';

describe('ClientMessenger on one embedded node (in-memory cluster, SQLite)', () => {
  let node: MessengerNode;
  let dataDirectory: string;
  const savedEnvironment = { ...process.env };

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-messaging-'));
    node = await startMessengerNode({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' });
  });

  afterAll(async () => {
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
    process.env = savedEnvironment;
  });

  messagingContract(() => ({ visitorUrl: node.url, agentUrl: node.url, repositories: node.repositories }));
});
