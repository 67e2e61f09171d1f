import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  HAPROXY,
  renderForTest,
  selfSignedCertificate,
  startRenderedHaproxy,
  type RunningHaproxy,
  type TestTopology,
} from './testing/haproxy-testing';

const run = promisify(execFile);
const ROOT_DIR = join(__dirname, '..', '..');

let directory: string;
let certificate: string;

/** Runs `haproxy -c -f` on the text; resolves to its exit code and output. */
async function check(config: string, name: string): Promise<{ code: number; output: string }> {
  const file = join(directory, `${name}.cfg`);
  await writeFile(file, config);
  try {
    const { stdout, stderr } = await run(HAPROXY, ['-c', '-f', file]);
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

const render = (topology: TestTopology): string => renderForTest(directory, certificate, topology);

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchboard-haproxy-'));
  certificate = await selfSignedCertificate(directory);
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('generated haproxy.cfg, checked by haproxy -c', () => {
  it.each<[string, TestTopology]>([
    ['one node of each', { clientMessengers: ['127.0.0.1:3001'], whatsappConnectors: ['127.0.0.1:3200'] }],
    [
      'three chat nodes, two connectors, every option',
      {
        clientMessengers: ['10.0.0.21:3000', '10.0.0.22:3000', { name: 'chat-c', address: '10.0.0.23:3000' }],
        whatsappConnectors: ['10.0.0.31:3200', '10.0.0.32:3200'],
        wsPort: 4000,
        wssPort: 4443,
        bindAddress: '127.0.0.1',
        maxconn: 4000,
        log: 'stdout',
        healthCheckPath: '/health/ready',
        servedByHeader: false,
      },
    ],
    [
      'host names that do not resolve',
      {
        clientMessengers: ['chat-1.switchboard.invalid:3000', 'chat-2.switchboard.invalid:3000'],
        whatsappConnectors: ['whatsapp.switchboard.invalid:3200'],
      },
    ],
  ])('%s: valid', async (name, topology) => {
    const { code, output } = await check(render(topology), name.replace(/\W+/g, '-'));
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('Configuration file is valid');
  });

  it('the committed haproxy/haproxy.cfg is valid once its certificate exists', async () => {
    const example = JSON.parse(await readFile(join(ROOT_DIR, 'haproxy/topology.example.json'), 'utf8')) as {
      certificate: string;
      statsSocket: string;
    };
    const committed = await readFile(join(ROOT_DIR, 'haproxy/haproxy.cfg'), 'utf8');
    const local = committed
      .replace(` crt ${example.certificate}`, ` crt ${certificate}`)
      .replace(`stats socket ${example.statsSocket} `, `stats socket ${join(directory, 'example.sock')} `);
    expect(local).not.toBe(committed);
    const { code, output } = await check(local, 'committed');
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain('Configuration file is valid');
  });

  it('a missing certificate is an error (the check above would catch a broken bind line)', async () => {
    const config = render({ clientMessengers: ['127.0.0.1:3001'], whatsappConnectors: ['127.0.0.1:3200'] });
    const { code, output } = await check(
      config.replace(certificate, join(directory, 'missing.pem')),
      'no-cert',
    );
    expect(code).not.toBe(0);
    expect(output).toMatch(/missing\.pem/);
  });
});

describe('generated haproxy.cfg, routing requests', () => {
  /** A backend that answers every request with its own name (and 200, so its health checks pass). */
  async function backend(name: string): Promise<{ server: Server; address: string }> {
    const server = createServer((_request, response) => response.end(name));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, address: `127.0.0.1:${(server.address() as AddressInfo).port}` };
  }

  let chat: Awaited<ReturnType<typeof backend>>;
  let connector: Awaited<ReturnType<typeof backend>>;
  let haproxy: RunningHaproxy;

  beforeAll(async () => {
    chat = await backend('chat');
    connector = await backend('connector');
    haproxy = await startRenderedHaproxy(directory, certificate, {
      clientMessengers: [chat.address],
      whatsappConnectors: [connector.address],
    });
    await haproxy.ready();
  });

  afterAll(() => {
    haproxy?.stop();
    chat?.server.close();
    connector?.server.close();
  });

  /** Status and body of a request through HAProxy's frontend on `port`. */
  async function through(port: number, method: string, path: string): Promise<string> {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, { method });
    return `${response.status} ${await response.text()}`;
  }

  async function routesThrough(port: number, routes: Record<string, string>): Promise<void> {
    const seen: Record<string, string> = {};
    for (const route of Object.keys(routes)) {
      const [method, path] = route.split(' ');
      seen[route] = await through(port, method, path);
    }
    expect(seen).toEqual(routes);
  }

  it('sends the webhooks, with the secret as a query or as the last path segment, to the connectors', async () => {
    await routesThrough(haproxy.wsPort, {
      'POST /incoming?secret=s3cret': '200 connector',
      'POST /incoming/s3cret': '200 connector',
      'POST /delivery/s3cret': '200 connector',
      'POST /delivery': '200 connector',
      'GET /whatsapp/media/a.jpg': '200 connector',
      'POST /incomingx': '200 chat',
      'GET /agent/': '200 chat',
    });
  });

  it('denies readiness and metrics on the public frontend, however spelled, and keeps liveness', async () => {
    // HAProxy's own 404 page, never the backend's answer.
    const denied = expect.stringMatching(/^404 <html>/) as string;
    await routesThrough(haproxy.wsPort, {
      'GET /metrics': denied,
      'GET /METRICS': denied,
      'GET /metrics/': denied,
      'GET //metrics?x=1': denied,
      'GET /health/ready': denied,
      'GET /Health/Ready/': denied,
      'GET /health': '200 chat',
      'GET /healthz': '200 chat',
      'GET /metricsx': '200 chat',
    });
  });

  it('serves readiness and metrics on the internal frontend', async () => {
    await routesThrough(haproxy.internalPort, {
      'GET /metrics': '200 chat',
      'GET /health/ready': '200 chat',
      'POST /incoming/s3cret': '200 connector',
    });
  });

  it('logs the webhook routes without their secrets, as a query or as a path segment, in any case', async () => {
    const secrets = ['query-secret-0001', 'path-secret-0002', 'path-secret-0003', 'path-secret-0004'];
    await through(haproxy.wsPort, 'POST', `/incoming?secret=${secrets[0]}`);
    await through(haproxy.wsPort, 'POST', `/incoming/${secrets[1]}`);
    await through(haproxy.wsPort, 'POST', `/delivery/${secrets[2]}?secret=${secrets[0]}`);
    await through(haproxy.internalPort, 'POST', `/INCOMING/${secrets[3]}`);
    const webhookLines = () =>
      haproxy
        .log()
        .split('\n')
        .filter((line) => /"POST \/(incoming|delivery)/i.test(line));
    // Earlier tests of this HAProxy posted webhooks too (with the secret s3cret); each line is logged at its end.
    for (let wait = 0; webhookLines().length < 7 && wait < 50; wait += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(webhookLines().map((line) => /"POST \S+ HTTP\/1\.1"/.exec(line)?.[0])).toEqual(
      expect.arrayContaining([
        '"POST /incoming HTTP/1.1"',
        '"POST /incoming/<redacted> HTTP/1.1"',
        '"POST /delivery/<redacted> HTTP/1.1"',
      ]),
    );
    expect(webhookLines().length).toBeGreaterThanOrEqual(7);
    for (const secret of [...secrets, 's3cret']) expect(haproxy.log()).not.toContain(secret);
  });

  it('keeps every server up on its health checks', async () => {
    await new Promise((resolve) => setTimeout(resolve, 4500));
    const stat = await runtimeApi(haproxy.statsSocket, 'show stat');
    const servers = stat
      .split('\n')
      .map((line) => line.split(','))
      .filter(
        ([, server]) => server !== undefined && !['FRONTEND', 'BACKEND', 'svname', ''].includes(server),
      );
    expect(servers.map(([proxy, server, ...fields]) => `${proxy}/${server} ${fields[15]}`)).toEqual([
      'client_messenger/client-messenger-1 UP',
      'whatsapp_connector/whatsapp-connector-1 UP',
    ]);
  });
});

/** Sends one command to HAProxy's runtime API and resolves to its whole answer. */
function runtimeApi(socketPath: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(socketPath, () => socket.end(`${command}\n`));
    socket.on('data', (chunk) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}
