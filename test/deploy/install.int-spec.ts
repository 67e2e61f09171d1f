import { findFreePorts } from '@switchboard/cluster/testing';
import { dropMysqlDatabase } from '@switchboard/persistence';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { command, ROOT } from '../support/command';
import { eventually } from '../support/eventually';
import { environmentFile, startUnit } from './systemd-unit';

// deploy/install.sh as a sysadmin runs it: --dry-run, then for real from a release tarball into a
// scratch prefix; no systemd runs here, so the test runs the units' ExecStart lines itself.
const suffix = randomUUID().slice(0, 8);
const DATABASE_URL = `mysql://root@127.0.0.1:3306/switchboard_install_${suffix}`;

let scratch: string;
const paths = () => ({
  prefix: join(scratch, 'opt/switchboard'),
  config: join(scratch, 'etc/switchboard'),
  data: join(scratch, 'srv/switchboard/data'),
  systemd: join(scratch, 'etc/systemd/system'),
});
const installArgs = () => [
  '--prefix',
  paths().prefix,
  '--config-dir',
  paths().config,
  '--data-dir',
  paths().data,
  '--systemd-dir',
  paths().systemd,
  '--user',
  userInfo().username,
  '--node',
  process.execPath,
];

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-install-'));
});

afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await dropMysqlDatabase(DATABASE_URL);
}, 60_000);

describe('the shell scripts', () => {
  it('pass shellcheck', async () => {
    const scripts = [
      ...readdirSync(join(ROOT, 'scripts')).map((file) => join('scripts', file)),
      ...readdirSync(join(ROOT, 'deploy')).map((file) => join('deploy', file)),
    ].filter((file) => file.endsWith('.sh'));
    expect(scripts).toEqual(expect.arrayContaining(['deploy/install.sh', 'deploy/rolling-update.sh']));
    expect(await command('shellcheck', [...scripts, '.ci/run'])).toEqual({ code: 0, output: '' });
  });
});

describe('deploy/install.sh --dry-run', () => {
  it('prints every step for the given paths and changes nothing', async () => {
    const { prefix, config, data, systemd } = paths();
    const { code, output } = await command('bash', ['deploy/install.sh', '--dry-run', ...installArgs()]);
    expect(code).toBe(0);
    const steps = output.split('\n').filter((line) => line.startsWith('+ '));
    expect(steps).toEqual([
      `+ mkdir -p ${prefix} ${config} ${data}`,
      `+ rsync -a --delete --exclude node_modules --exclude data --exclude .cache --exclude dist --exclude .git ${ROOT}/ ${prefix}/`,
      `+ bash -c cd '${prefix}' && npm ci --no-audit --no-fund && npm run build && npm prune --omit=dev --no-audit --no-fund`,
      `+ env HAZELCAST_CACHE_DIR=${prefix}/.cache/hazelcast bash ${prefix}/scripts/hazelcast.sh fetch`,
      `+ chown -R root:${userInfo().username} ${config}`,
      `+ chmod 0750 ${config}`,
      `+ chown ${userInfo().username}:${userInfo().username} ${data}`,
      `+ chmod 0750 ${data}`,
      ...['client-messenger', 'routing', 'whatsapp-connector', 'admin-api', 'hazelcast'].flatMap((role) => [
        `+ render ${ROOT}/deploy/env/${role}.env.example -> ${config}/${role}.env (mode 0640)`,
        `+ chgrp ${userInfo().username} ${config}/${role}.env`,
        ...(role === 'whatsapp-connector'
          ? [`+ generate SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET in ${config}/${role}.env`]
          : role === 'admin-api'
            ? [`+ generate SWITCHBOARD_ADMIN_AUTH in ${config}/${role}.env`]
            : []),
      ]),
      `+ generate the encryption key file ${config}/encryption-keys.json`,
      `+ mkdir -p ${systemd}`,
      `+ render ${ROOT}/deploy/switchboard@.service -> ${systemd}/switchboard@.service (mode 0644)`,
      `+ render ${ROOT}/deploy/switchboard-hazelcast.service -> ${systemd}/switchboard-hazelcast.service (mode 0644)`,
    ]);
    expect(output).toContain(
      'systemctl enable --now switchboard@client-messenger switchboard@routing switchboard@whatsapp-connector switchboard@admin-api switchboard-hazelcast',
    );
    expect(readdirSync(scratch)).toEqual([]);
  });

  it.each([
    [['--roles', 'chat'], /unknown role 'chat'/],
    [['--prefix', 'relative/path'], /'relative\/path' is not an absolute path/],
    [['--bogus'], /unknown argument '--bogus'/],
  ])('refuses %j with exit code 2 and says why', async (args, message) => {
    const { code, output } = await command('bash', ['deploy/install.sh', '--dry-run', ...args]);
    expect({ code, output }).toEqual({ code: 2, output: expect.stringMatching(message) as string });
  });
});

describe('a real install from the release tarball into a scratch prefix', () => {
  const started: ChildProcess[] = [];
  let ports: number[];

  beforeAll(async () => {
    const release = await command('bash', ['scripts/release.sh', '--out', join(scratch, 'release')]);
    expect(release).toMatchObject({ code: 0 });
    const tarball = join(scratch, 'release', readdirSync(join(scratch, 'release'))[0]);
    expect(await command('tar', ['-xzf', tarball, '-C', join(scratch, 'release')])).toMatchObject({
      code: 0,
    });
    const unpacked = tarball.replace(/\.tar\.gz$/, '');
    const install = await command('bash', [join(unpacked, 'deploy/install.sh'), ...installArgs()], unpacked);
    expect(install).toMatchObject({ code: 0, output: expect.stringContaining('from the release') as string });
    ports = await findFreePorts(3, 4700, 4999);
  }, 300_000);

  afterAll(() => {
    for (const child of started) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('renders hardened units for its paths that pass systemd-analyze verify', async () => {
    const { prefix, data, systemd } = paths();
    const template = readFileSync(join(systemd, 'switchboard@.service'), 'utf8');
    for (const setting of [
      `WorkingDirectory=${prefix}`,
      `ExecStart=${process.execPath} -r ./tools/register-aliases.js dist/apps/%i/src/main.js`,
      `ReadWritePaths=${data}`,
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'PrivateTmp=yes',
    ]) {
      expect(template).toContain(setting);
    }
    expect(readFileSync(join(systemd, 'switchboard-hazelcast.service'), 'utf8')).not.toMatch(/^PIDFile=/m);
    // systemd-analyze loads an instance of a template from a file named after the instance.
    const verify = join(scratch, 'verify');
    mkdirSync(verify);
    const units = ['switchboard@client-messenger.service', 'switchboard@admin-api.service'];
    for (const unit of units) copyFileSync(join(systemd, 'switchboard@.service'), join(verify, unit));
    copyFileSync(
      join(systemd, 'switchboard-hazelcast.service'),
      join(verify, 'switchboard-hazelcast.service'),
    );
    const result = await command('systemd-analyze', [
      'verify',
      ...[...units, 'switchboard-hazelcast.service'].map((unit) => join(verify, unit)),
    ]);
    expect(result).toEqual({ code: 0, output: '' });
  }, 60_000);

  it('installs the env files (0640) with DATADIR and a generated admin auth string', () => {
    const { config, data } = paths();
    for (const role of ['client-messenger', 'routing', 'whatsapp-connector', 'admin-api', 'hazelcast']) {
      expect(statSync(join(config, `${role}.env`)).mode & 0o777).toBe(0o640);
    }
    const admin = environmentFile(join(config, 'admin-api.env'));
    expect(admin.DATADIR).toBe(data);
    expect(admin.SWITCHBOARD_ADMIN_AUTH).toMatch(/^[A-Za-z0-9_=-]{24,}$/);
    expect(admin.SWITCHBOARD_ADMIN_WHITELIST).toContain('127.0.0.1');
    expect(
      environmentFile(join(config, 'whatsapp-connector.env')).SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET,
    ).not.toMatch(/CHANGE-ME/);
    expect(statSync(data).mode & 0o777).toBe(0o750);
    expect(existsSync(join(paths().prefix, '.cache/hazelcast/hazelcast-5.6.0.jar'))).toBe(true);
  });

  it("runs the units' ExecStart lines: a member, routing and admin-api get ready and stop on SIGTERM", async () => {
    const { config, systemd } = paths();
    const [memberPort, routingPort, adminPort] = ports;
    const edit = (role: string, settings: Record<string, string>) => {
      const file = join(config, `${role}.env`);
      let text = readFileSync(file, 'utf8');
      for (const [name, value] of Object.entries(settings))
        text = text.replace(new RegExp(`^${name}=.*$`, 'm'), `${name}=${value}`);
      writeFileSync(file, text);
    };
    const cluster = {
      SWITCHBOARD_HAZELCAST_MEMBERS: `127.0.0.1:${memberPort}`,
      SWITCHBOARD_HAZELCAST_CLUSTER_NAME: `switchboard-install-${suffix}`,
      SWITCHBOARD_DATABASE_URL: DATABASE_URL,
      HOST: '127.0.0.1',
    };
    edit('hazelcast', {
      HZ_PORT: String(memberPort),
      HZ_MEMBERS: `127.0.0.1:${memberPort}`,
      HZ_CLUSTER_NAME: cluster.SWITCHBOARD_HAZELCAST_CLUSTER_NAME,
      HAZELCAST_HEAP_OPTS: '-Xms64m -Xmx256m',
    });
    edit('routing', { ...cluster, PORT: String(routingPort) });
    edit('admin-api', { ...cluster, PORT: String(adminPort) });

    const logs = join(scratch, 'logs');
    mkdirSync(logs);
    const run = async (unit: string, instance: string, readyUrl: string) => {
      const child = startUnit(join(systemd, unit), instance, join(logs, `${instance || 'hazelcast'}.log`));
      started.push(child);
      await eventually(`${instance || 'the member'} is ready`, () => ok(readyUrl), 90_000, 500);
      return child;
    };
    const member = await run(
      'switchboard-hazelcast.service',
      '',
      `http://127.0.0.1:${memberPort}/hazelcast/health/ready`,
    );
    const routing = await run(
      'switchboard@.service',
      'routing',
      `http://127.0.0.1:${routingPort}/health/ready`,
    );
    const admin = await run(
      'switchboard@.service',
      'admin-api',
      `http://127.0.0.1:${adminPort}/health/ready`,
    );
    const auth = environmentFile(join(config, 'admin-api.env')).SWITCHBOARD_ADMIN_AUTH;
    expect(
      (await fetch(`http://127.0.0.1:${adminPort}/status.json?a=${encodeURIComponent(auth)}`)).status,
    ).toBe(200);
    expect((await fetch(`http://127.0.0.1:${adminPort}/status.json?a=wrong-auth-string`)).status).toBe(403);

    // What systemd counts as a clean stop: exit 0, or death by the SIGTERM it sent (NestJS re-raises it
    // after its shutdown hooks; Java exits with 143, the hazelcast unit's SuccessExitStatus).
    const exits = await Promise.all([admin, routing, member].map(stopped));
    expect(exits.filter((code) => code !== 0 && code !== 143)).toEqual([]);
  }, 180_000);
});

async function ok(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(2000) })
    .then((answer) => answer.ok)
    .catch(() => false);
}

/** SIGTERM, as systemctl stop sends it; the exit code (or 128 + signal when it died of it). */
function stopped(child: ChildProcess): Promise<number> {
  return new Promise((done) => {
    child.once('exit', (code, signal) => done(code ?? 128 + (signal === 'SIGTERM' ? 15 : 9)));
    child.kill('SIGTERM');
  });
}
