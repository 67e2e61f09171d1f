import { loadBootstrapSettings } from '@switchboard/config';
import {
  columnCipher,
  createDataSource,
  createRepositories,
  installColumnCipher,
  migrate,
  readKeyFile,
} from '@switchboard/persistence';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeysCommand, progressBar, UsageError } from './keys-command';
import { runKeysCommand, type KeysIo } from './keys-runner';

describe('npm run keys', () => {
  const testCipher = columnCipher();
  let directory: string;
  let printed: string[];
  let run: (...argv: string[]) => Promise<number>;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'switchboard-keys-'));
    printed = [];
    const environment = {
      SWITCHBOARD_DATABASE_URL: `sqlite:${join(directory, 'switchboard.db')}`,
      SWITCHBOARD_ENCRYPTION_KEY_FILE: join(directory, 'keys.json'),
    };
    const settings = loadBootstrapSettings(environment, { port: 0, service: 'keys' });
    const io: KeysIo = {
      out: (text) => printed.push(text),
      progress: (line) => printed.push(line),
      openDatabase: async () => {
        const dataSource = createDataSource({ kind: 'sqlite', file: join(directory, 'switchboard.db') });
        await dataSource.initialize();
        return dataSource;
      },
    };
    run = async (...argv) => {
      const command = parseKeysCommand(argv);
      if (command === 'help') throw new Error('unexpected help');
      return runKeysCommand(command, settings, io);
    };
  });

  afterEach(() => {
    installColumnCipher(testCipher);
    rmSync(directory, { recursive: true, force: true });
  });

  it('generates, adds, activates, rotates and retires, and never prints a key', async () => {
    const file = join(directory, 'keys.json');
    expect(await run('generate', '--file', file)).toBe(0);
    // A database with a chat written under k1.
    const dataSource = createDataSource({ kind: 'sqlite', file: join(directory, 'switchboard.db') });
    await dataSource.initialize();
    await migrate(dataSource, () => undefined);
    await dataSource.destroy();
    expect(await run('status')).toBe(0);
    const seeded = createDataSource({ kind: 'sqlite', file: join(directory, 'switchboard.db') });
    await seeded.initialize();
    const repositories = createRepositories(seeded);
    const site = await repositories.sites.create({ siteKey: 'keys', name: 'Keys', domain: 'keys.test' });
    const { chat } = await repositories.chats.open({
      siteId: site.id,
      channel: 'web',
      visitorKey: 'visitor-1',
      visitorName: 'Kim',
      visitorEmail: 'kim@example.test',
    });
    await repositories.chatLines.append(chat.id, { senderKind: 'visitor', senderName: 'Kim', text: 'hello' });
    await seeded.destroy();

    expect(await run('add')).toBe(0);
    expect(await run('activate', 'k2')).toBe(0);
    expect(await run('retire', 'k1')).toBe(1);
    expect(printed.join('')).toMatch(/key "k1" still encrypts \d+ values: run `rotate` first/);
    expect(await run('rotate', '--batch', '1', '--rate', '1000')).toBe(0);
    expect(printed.join('')).toMatch(/\[#+\] 100%/);
    expect(await run('retire', 'k1')).toBe(0);
    expect(Object.keys(readKeyFile(file).keys)).toEqual(['k2']);

    const reopened = createDataSource({ kind: 'sqlite', file: join(directory, 'switchboard.db') });
    await reopened.initialize();
    const rows = await reopened.query<Array<{ text: string }>>('SELECT text FROM chat_lines');
    expect(rows.map((row) => row.text.slice(0, 12))).toEqual(['sbenc1:k2:r:']);
    await reopened.destroy();

    const keyMaterial = Object.values(
      JSON.parse(readFileSync(file, 'utf8')) as { keys: Record<string, string> },
    ).flatMap((value) => (typeof value === 'object' ? Object.values(value) : []));
    for (const material of keyMaterial) expect(printed.join('')).not.toContain(material);
  });

  it('refuses to retire the active key and to overwrite a key file', async () => {
    const file = join(directory, 'keys.json');
    await run('generate', '--file', file);
    await expect(run('retire', 'k1')).rejects.toThrow(/key "k1" is active/);
    await expect(run('generate', '--file', file)).rejects.toThrow(UsageError);
  });

  it('explains wrong usage', () => {
    expect(() => parseKeysCommand(['rotate', '--rate', '0'])).toThrow(/--rate must be a positive integer/);
    expect(() => parseKeysCommand(['retire'])).toThrow(/retire needs a key id/);
    expect(() => parseKeysCommand(['activate', 'K 1'])).toThrow(/must be 1-16 lower-case/);
    expect(parseKeysCommand(['--help'])).toBe('help');
    expect(progressBar(5, 10, 'chat_lines.text', 10)).toBe('[#####-----]  50%  chat_lines.text  5/10 rows');
  });
});
