import { findFreePorts } from '@switchboard/cluster/testing';
import { AGENT_NAMESPACE } from '@switchboard/protocol';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';

// `npm run cluster` as a user runs it, on free ports, in its own state folder, database and
// Hazelcast cluster name, so it never meets a developer's own cluster.
const ROOT_DIR = join(__dirname, '..', '..');
const SCRIPT = join(ROOT_DIR, 'scripts/cluster.sh');
const suffix = randomUUID().slice(0, 8);
const DATABASE = `switchboard_cluster_test_${suffix}`;

interface Ports {
  readonly ws: number;
  readonly wss: number;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

let clusterDir: string;
let ports: Ports;
let environment: NodeJS.ProcessEnv;

function cluster(
  args: readonly string[],
  overrides: NodeJS.ProcessEnv = {},
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const env = { ...environment, ...overrides };
    execFile('bash', [SCRIPT, ...args], { cwd: ROOT_DIR, env }, (error, stdout, stderr) => {
      const code = error ? ((error as { code?: number }).code ?? -1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

function fetchThroughHaproxy(url: string, method = 'GET'): Promise<Answer> {
  const get = url.startsWith('https:') ? httpsGet : httpGet;
  return new Promise((resolve, reject) => {
    // The local cluster's certificate is self-signed: no verification in this client.
    const request = get(url, { method, rejectUnauthorized: false, timeout: 5000 }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on('timeout', () => request.destroy(new Error(`${method} ${url}: no answer within 5 s`)));
    request.on('error', reject);
  });
}

async function recordedPids(): Promise<number[]> {
  const runDir = join(clusterDir, 'run');
  const files = (await readdir(runDir)).filter((file) => file.endsWith('.pid'));
  return Promise.all(files.map(async (file) => Number(await readFile(join(runDir, file), 'utf8'))));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  clusterDir = await mkdtemp(join(tmpdir(), 'switchboard-cluster-'));
  const [ws, wss, messenger1, messenger2, routing, whatsapp, admin, hazelcast1, hazelcast2, tyntec] =
    await findFreePorts(10, 4400, 4699);
  ports = { ws, wss };
  environment = {
    ...process.env,
    CLUSTER_DIR: clusterDir,
    CLUSTER_WS_PORT: `${ws}`,
    CLUSTER_WSS_PORT: `${wss}`,
    CLUSTER_MESSENGER_1_PORT: `${messenger1}`,
    CLUSTER_MESSENGER_2_PORT: `${messenger2}`,
    CLUSTER_ROUTING_PORT: `${routing}`,
    CLUSTER_WHATSAPP_PORT: `${whatsapp}`,
    CLUSTER_ADMIN_PORT: `${admin}`,
    CLUSTER_HAZELCAST_1_PORT: `${hazelcast1}`,
    CLUSTER_HAZELCAST_2_PORT: `${hazelcast2}`,
    CLUSTER_TYNTEC_PORT: `${tyntec}`,
    CLUSTER_HAZELCAST_CLUSTER_NAME: `switchboard-cluster-test-${suffix}`,
    CLUSTER_DATABASE_URL: `mysql://root@127.0.0.1:3306/${DATABASE}`,
    CLUSTER_STOP_TIMEOUT: '15',
  };
}, 10_000);

afterAll(async () => {
  // A failed test must not leave the cluster running: stop is idempotent.
  await cluster(['stop']);
  await new Promise((resolve) =>
    execFile(
      'mysql',
      ['--host=127.0.0.1', '--user=root', '-e', `DROP DATABASE IF EXISTS ${DATABASE}`],
      resolve,
    ),
  );
  await rm(clusterDir, { recursive: true, force: true });
}, 60_000);

describe('npm run cluster', () => {
  it("stops what it started when a service cannot start, and shows that service's log", async () => {
    const { code, output } = await cluster(['start', '--no-provision'], {
      CLUSTER_DATABASE_URL: 'mysql://root@127.0.0.1:1/unreachable',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/routing exited during startup/);
    expect(output).toMatch(/ECONNREFUSED 127\.0\.0\.1:1/);
    const stopped = [...output.matchAll(/(hazelcast-[12]) stopped \(pid (\d+)\)/g)];
    expect(stopped.map((match) => match[1]).sort()).toEqual(['hazelcast-1', 'hazelcast-2']);
    expect(stopped.map((match) => Number(match[2])).filter(isAlive)).toEqual([]);
    expect(await recordedPids()).toEqual([]);
  }, 110_000);

  it('starts every component with the demo of npm start, and lists them', async () => {
    const { code, output } = await cluster(['start', '--demo']);
    expect({ code, tail: output.split('\n').slice(-15) }).toMatchObject({ code: 0 });
    // The same lines as npm start prints, with the password kept in DATADIR as npm start keeps it.
    const password = (await readFile(join(clusterDir, 'data/demo-credentials.txt'), 'utf8')).split('\n')[1];
    expect(output).toContain(`  demo agent    agent / ${password}`);
    expect(output).toContain(`  visitor demo  http://127.0.0.1:${ports.ws}/gui/demo.html`);
    expect(output).toMatch(
      / {2}whatsapp {6}a local fake TynTec at http:\/\/127\.0\.0\.1:\d+ \(business number \d+\)/,
    );
    for (const name of [
      'hazelcast-1',
      'hazelcast-2',
      'routing',
      'client-messenger-1',
      'client-messenger-2',
    ]) {
      expect(output).toMatch(new RegExp(`^${name} +\\d+ +running`, 'm'));
    }
    expect(output).toMatch(/^whatsapp-connector +\d+ +running/m);
    expect(output).toMatch(/^admin-api +\d+ +running/m);
    expect(output).toMatch(/^haproxy +\d+ +running/m);
    // Every log under CLUSTER_DIR/logs, the members' too; the admin auth string where npm start keeps it.
    for (const log of ['hazelcast-1.log', 'hazelcast-2.log', 'routing.log', 'haproxy.log']) {
      expect((await readdir(join(clusterDir, 'logs'))).includes(log) ? log : `missing ${log}`).toBe(log);
    }
    expect(output).toContain(`auth string in ${join(clusterDir, 'data/admin-auth.txt')}`);
  }, 110_000);

  it('lets the demo agent sign in through HAProxy with the printed login', async () => {
    const password = (await readFile(join(clusterDir, 'data/demo-credentials.txt'), 'utf8')).split('\n')[1];
    const socket = io(`http://127.0.0.1:${ports.ws}${AGENT_NAMESPACE}`, {
      transports: ['websocket'],
      forceNew: true,
    });
    try {
      const answer = (await socket
        .timeout(10_000)
        .emitWithAck('agent:login', { username: 'agent', password })) as { ok: boolean };
      expect(answer).toMatchObject({ ok: true });
    } finally {
      socket.disconnect();
    }
  });

  it('answers GET /health on the ws port from a client-messenger node', async () => {
    const answer = await fetchThroughHaproxy(`http://127.0.0.1:${ports.ws}/health`);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-served-by']).toMatch(/^client-messenger-[12]$/);
    expect(JSON.parse(answer.body)).toMatchObject({ status: 'ok', service: 'client-messenger' });
  });

  it('answers GET /health over TLS on the wss port', async () => {
    const answer = await fetchThroughHaproxy(`https://127.0.0.1:${ports.wss}/health`);
    expect(answer.status).toBe(200);
    expect(answer.headers['x-served-by']).toMatch(/^client-messenger-[12]$/);
  });

  it('spreads new visitors over both nodes and keeps each on its node by the SERVERID cookie', async () => {
    const first = await fetchThroughHaproxy(`http://127.0.0.1:${ports.ws}/health`);
    const second = await fetchThroughHaproxy(`http://127.0.0.1:${ports.ws}/health`);
    const servers = [first, second].map((answer) => String(answer.headers['x-served-by']));
    expect(new Set(servers)).toEqual(new Set(['client-messenger-1', 'client-messenger-2']));
    expect(first.headers['set-cookie']).toEqual([`SERVERID=${servers[0]}; path=/`]);
  });

  it.each([
    ['GET', 'http', '/incoming'],
    ['POST', 'http', '/delivery'],
    ['POST', 'https', '/incoming'],
  ])('routes %s %s %s to the whatsapp connector', async (method, scheme, path) => {
    const port = scheme === 'https' ? ports.wss : ports.ws;
    const answer = await fetchThroughHaproxy(`${scheme}://127.0.0.1:${port}${path}`, method);
    expect(answer.headers['x-served-by']).toBe('whatsapp-connector');
  });

  it('says so when started again, and starts nothing', async () => {
    const before = await recordedPids();
    const { code, output } = await cluster(['start', '--no-provision', '--no-build']);
    expect(code).toBe(0);
    expect(output).toMatch(/already running/);
    expect(await recordedPids()).toEqual(before);
  });

  it('reports every component running in status', async () => {
    const { code, output } = await cluster(['status']);
    expect(code).toBe(0);
    // 2 members, 5 services, HAProxy and the fake TynTec.
    expect(output.match(/ running /g)).toHaveLength(9);
  });

  it('stops exactly what it started and leaves no process behind', async () => {
    const pids = await recordedPids();
    expect(pids).toHaveLength(9);
    const { code } = await cluster(['stop']);
    expect(code).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await recordedPids()).toEqual([]);
    expect((await cluster(['status'])).code).toBe(3);
  }, 60_000);
});
