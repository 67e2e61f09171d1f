import { findFreePorts } from '@switchboard/cluster/testing';
import { dropMysqlDatabase } from '@switchboard/persistence';
import { FakeTyntec } from '@switchboard/tyntec-fake';
import { startConnectorNode, type ConnectorNode } from '@switchboard/whatsapp/testing';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchThroughHaproxy, selfSignedCertificate, startHaproxy } from './testing/haproxy-testing';
import { parseTopology } from './haproxy-topology';
import { renderHaproxyConfig } from './render-haproxy-config';

const SECRET = 'haproxy-limit-secret-0123456789';

// A WhatsApp connector on MariaDB behind the generated haproxy.cfg, as TynTec reaches it.
describe('webhook bodies far over the limit, through HAProxy', () => {
  const databaseUrl = `mysql://root@127.0.0.1:3306/switchboard_test_${randomUUID().slice(0, 8)}`;
  let directory: string;
  let node: ConnectorNode;
  let fake: FakeTyntec;
  let haproxy: ChildProcess;
  let base: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'switchboard-haproxy-limit-'));
    fake = new FakeTyntec({ apiKey: 'limit-api-key', allowHttpCallbacks: true });
    const tyntec = await fake.start();
    node = await startConnectorNode({
      DATADIR: directory,
      SWITCHBOARD_CLUSTER: 'memory',
      SWITCHBOARD_DATABASE_URL: databaseUrl,
      SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET: SECRET,
      ACD_WHATSAPP_TYNTEC_URL: `${tyntec}/chat-api/v2/messages`,
    });
    const [wsPort, wssPort, internalPort] = await findFreePorts(3, 30000, 40000);
    const config = renderHaproxyConfig(
      parseTopology({
        clientMessengers: ['127.0.0.1:9'],
        whatsappConnectors: [new URL(node.url).host],
        wsPort,
        wssPort,
        internalPort,
        bindAddress: '127.0.0.1',
        certificate: await selfSignedCertificate(directory),
        statsSocket: join(directory, 'admin.sock'),
      }),
    );
    await writeFile(join(directory, 'haproxy.cfg'), config);
    haproxy = startHaproxy(join(directory, 'haproxy.cfg'));
    base = `http://127.0.0.1:${wsPort}`;
  });

  afterAll(async () => {
    haproxy.kill();
    await fake.stop();
    await node.app.close();
    await dropMysqlDatabase(databaseUrl);
    await rm(directory, { recursive: true, force: true });
  });

  it.each(['/incoming', '/delivery'])(
    'answers 413 (not 502) to a 2 MiB body on %s and stores nothing',
    async (path) => {
      const before = await node.repositories.webhookInbox.countAll();
      const body = JSON.stringify({
        event: 'MoMessage',
        messageId: 'big-1',
        padding: 'x'.repeat(2 * 1024 * 1024),
      });
      const response = await fetchThroughHaproxy(`${base}${path}?secret=${SECRET}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ outcome: 'too-large' });
      expect(await node.repositories.webhookInbox.countAll()).toEqual(before);
    },
  );

  it('still takes a normal webhook afterwards', async () => {
    const response = await fetchThroughHaproxy(`${base}/delivery?secret=${SECRET}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'WhatsAppGroupEvent::userJoined', groupId: 'after-big' }),
    });
    expect(response.status).toBe(200);
  });
});
