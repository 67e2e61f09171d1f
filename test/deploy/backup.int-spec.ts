import {
  createDataSource,
  createRepositories,
  dropMysqlDatabase,
  ensureMysqlDatabase,
  migrate,
  parseDatabaseUrl,
  type Repositories,
} from '@switchboard/persistence';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DataSource } from 'typeorm';
import { command, type Outcome } from '../support/command';

// deploy/backup.sh on a throwaway MariaDB database with Switchboard's schema and a DATADIR: back up,
// change both, restore, and find the backed-up state again.
const DATABASE_URL = `mysql://root@127.0.0.1:3306/switchboard_backup_${randomUUID().slice(0, 8)}`;

let scratch: string;
let dataDir: string;
let dataSource: DataSource | undefined;

/** deploy/backup.sh COMMAND on this test's database and DATADIR. */
function backup(subcommand: 'backup' | 'restore', ...args: string[]): Promise<Outcome> {
  return command('bash', [
    'deploy/backup.sh',
    subcommand,
    '--database-url',
    DATABASE_URL,
    '--data-dir',
    dataDir,
    ...args,
  ]);
}

async function connect(): Promise<Repositories> {
  dataSource = createDataSource(parseDatabaseUrl(DATABASE_URL));
  await dataSource.initialize();
  return createRepositories(dataSource);
}

async function disconnect(): Promise<void> {
  await dataSource?.destroy();
  dataSource = undefined;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'switchboard-backup-'));
  dataDir = join(scratch, 'data');
  mkdirSync(join(dataDir, 'whatsapp-media'), { recursive: true });
  await ensureMysqlDatabase(DATABASE_URL);
  const repositories = await connect();
  await migrate(dataSource!, () => undefined);
  await repositories.sites.create({ siteKey: 'kept', name: 'Kept site', domain: 'kept.example' });
  writeFileSync(join(dataDir, 'whatsapp-media/photo.jpg'), 'the original photo');
  await disconnect();
}, 60_000);

afterAll(async () => {
  await disconnect();
  await dropMysqlDatabase(DATABASE_URL);
  rmSync(scratch, { recursive: true, force: true });
}, 30_000);

it('backs up the database and DATADIR, and a restore brings both back after changes', async () => {
  const made = await backup('backup', '--out', join(scratch, 'backups'));
  expect(made.code).toBe(0);
  const folder = made.output.trim().split('\n').at(-1)!;
  expect(readdirSync(folder).sort()).toEqual(['SHA256SUMS', 'database.sql.gz', 'datadir.tar.gz']);

  // Changes after the backup: a site added, the backed-up one renamed, a media file replaced.
  let repositories = await connect();
  await repositories.sites.create({ siteKey: 'later', name: 'Later site', domain: 'later.example' });
  const kept = await repositories.sites.findByKey('kept');
  await repositories.sites.update(kept!.id, { name: 'Renamed after the backup' });
  await disconnect();
  writeFileSync(join(dataDir, 'whatsapp-media/photo.jpg'), 'overwritten');

  const refused = await backup('restore', '--from', folder);
  expect(refused).toEqual({ code: 2, output: expect.stringMatching(/run again with --yes/) as string });

  const restored = await backup('restore', '--from', folder, '--yes');
  expect(restored).toMatchObject({ code: 0 });
  repositories = await connect();
  expect((await repositories.sites.list()).map((site) => [site.siteKey, site.name])).toEqual([
    ['kept', 'Kept site'],
  ]);
  await disconnect();
  expect(readFileSync(join(dataDir, 'whatsapp-media/photo.jpg'), 'utf8')).toBe('the original photo');
  const aside = readdirSync(scratch).filter((name) => name.startsWith('data.before-restore-'));
  expect(aside).toHaveLength(1);
  expect(readFileSync(join(scratch, aside[0], 'whatsapp-media/photo.jpg'), 'utf8')).toBe('overwritten');
}, 120_000);

it('refuses a damaged backup and changes nothing', async () => {
  const made = await backup('backup', '--out', join(scratch, 'damaged'));
  const folder = made.output.trim().split('\n').at(-1)!;
  writeFileSync(join(folder, 'datadir.tar.gz'), 'not a tarball');
  const result = await backup('restore', '--from', folder, '--yes');
  expect(result).toEqual({
    code: 1,
    output: expect.stringMatching(/is damaged: SHA256SUMS does not match/) as string,
  });
  expect(existsSync(join(dataDir, 'whatsapp-media/photo.jpg'))).toBe(true);
}, 60_000);
