import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExposition, sampleValue } from '@switchboard/platform';
import {
  messagingContract,
  sessionContract,
  startMessengerNode,
  TestSocket,
  type MessengerNode,
} from './testing';

describe('ClientMessenger on one embedded node (in-memory cluster, SQLite)', () => {
  let node: MessengerNode;
  let dataDirectory: string;

  beforeAll(async () => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'switchboard-messaging-'));
    node = await startMessengerNode({ DATADIR: dataDirectory, SWITCHBOARD_CLUSTER: 'memory' });
  });

  afterAll(async () => {
    await node.app.close();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  const topology = () => ({ visitorUrl: node.url, agentUrl: node.url, repositories: node.repositories });
  messagingContract(topology);
  sessionContract(topology);

  describe('metrics', () => {
    const connections = async () => {
      const samples = parseExposition(await (await fetch(`${node.url}/metrics`)).text());
      return ['visitor', 'agent'].map(
        (namespace) => sampleValue(samples, 'switchboard_connections', { namespace }) ?? 0,
      );
    };

    it('counts open connections per namespace (switchboard_connections), down again on disconnect', async () => {
      const before = await connections();
      const sockets = [
        await TestSocket.connect(node.url, 'visitor'),
        await TestSocket.connect(node.url, 'visitor'),
        await TestSocket.connect(node.url, 'agent'),
      ];
      expect(await connections()).toEqual([before[0] + 2, before[1] + 1]);
      sockets.forEach((socket) => socket.socket.disconnect());
      const deadline = Date.now() + 5000;
      while ((await connections()).join() !== before.join() && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await connections()).toEqual(before);
    });
  });
});
