import type { BootstrapSettings } from '@switchboard/config';
import {
  ColumnCipher,
  countSealedWith,
  countStale,
  Database,
  encryptedColumns,
  generateKeyMaterial,
  keyCheckName,
  KeyRing,
  loadKeyRing,
  migrate,
  readKeyFile,
  rotateColumns,
  SecretRepository,
  startColumnEncryption,
  writeKeyFile,
} from '@switchboard/persistence';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DataSource } from 'typeorm';
import { progressBar, UsageError, type KeysCommand } from './keys-command';

export interface KeysIo {
  readonly out: (text: string) => void;
  readonly progress: (line: string) => void;
  readonly openDatabase: () => Promise<DataSource>;
}

/** Runs one key command; the exit code. Never prints key material but for `generate` without a file. */
export async function runKeysCommand(
  command: KeysCommand,
  settings: BootstrapSettings,
  io: KeysIo,
): Promise<number> {
  switch (command.action) {
    case 'generate':
      return generate(command.id, command.file, io);
    case 'add':
    case 'activate':
      return editKeyFile(command, settings, io);
    case 'status':
    case 'rotate':
    case 'retire':
      return withDatabase(command, settings, io);
  }
}

function generate(id: string, file: string | undefined, io: KeysIo): number {
  if (file === undefined) {
    io.out(`SWITCHBOARD_ENCRYPTION_KEYS=${id}:${generateKeyMaterial()}\n`);
    return 0;
  }
  const path = resolve(file);
  if (existsSync(path)) throw new UsageError(`${path} exists: use \`add\` to put a new key in it`);
  writeKeyFile(path, { active: id, keys: { [id]: generateKeyMaterial() } });
  io.out(`wrote ${path} (key "${id}", readable by its owner only): back it up apart from the database\n`);
  return 0;
}

function keyFileOf(command: { readonly file?: string }, settings: BootstrapSettings): string {
  if (command.file !== undefined) return resolve(command.file);
  const source = settings.encryption.keySource;
  if (source.kind === 'file') return source.path;
  throw new UsageError(
    'this command edits a key file: pass --file or set SWITCHBOARD_ENCRYPTION_KEY_FILE (keys given by SWITCHBOARD_ENCRYPTION_KEYS or a key command are changed where they are kept)',
  );
}

function editKeyFile(
  command: Extract<KeysCommand, { action: 'add' | 'activate' }>,
  settings: BootstrapSettings,
  io: KeysIo,
): number {
  const path = keyFileOf(command, settings);
  const content = readKeyFile(path);
  if (command.action === 'activate') {
    if (!(command.id in content.keys)) throw new UsageError(`${path} has no key "${command.id}"`);
    writeKeyFile(path, { ...content, active: command.id });
    io.out(`key "${command.id}" is active in ${path}: restart the services, then \`rotate\`\n`);
    return 0;
  }
  const id = command.id ?? nextKeyId(Object.keys(content.keys));
  if (id in content.keys) throw new UsageError(`${path} already has a key "${id}"`);
  const keys = { ...content.keys, [id]: generateKeyMaterial() };
  writeKeyFile(path, { active: command.activate ? id : content.active, keys });
  io.out(
    `added key "${id}" to ${path}${command.activate ? ' (active)' : ''}: copy the file to every node and restart them${command.activate ? ', then `rotate`' : ', then `activate ' + id + '`'}\n`,
  );
  return 0;
}

const nextKeyId = (ids: readonly string[]): string => {
  let number = ids.length + 1;
  while (ids.includes(`k${number}`)) number += 1;
  return `k${number}`;
};

async function withDatabase(
  command: Extract<KeysCommand, { action: 'status' | 'rotate' | 'retire' }>,
  settings: BootstrapSettings,
  io: KeysIo,
): Promise<number> {
  const source =
    command.file === undefined
      ? settings.encryption.keySource
      : ({ kind: 'file', path: resolve(command.file), createIfMissing: false } as const);
  const keys = loadKeyRing(source, io.out);
  const dataSource = await io.openDatabase();
  try {
    // The schema first: encrypting in place needs the widened columns.
    await migrate(dataSource, (message) => io.out(`${message}\n`));
    await startColumnEncryption(dataSource, keys, settings.encryption.enabled);
    switch (command.action) {
      case 'status':
        return await status(dataSource, keys, settings.encryption.enabled, io);
      case 'rotate':
        return await rotate(dataSource, keys, settings.encryption.enabled, command, io);
      case 'retire':
        return await retire(dataSource, keys, command.id, keyFileOf(command, settings), io);
    }
  } finally {
    await dataSource.destroy();
  }
}

async function status(dataSource: DataSource, keys: KeyRing, enabled: boolean, io: KeysIo): Promise<number> {
  const cipher = new ColumnCipher(keys, enabled);
  io.out(`encryption ${enabled ? 'on' : 'off'}, active key "${keys.activeId}"\n`);
  for (const spec of Object.values(encryptedColumns))
    io.out(
      `  ${`${spec.table}.${spec.column}`.padEnd(34)} ${spec.kind.padEnd(13)} ${await countStale(dataSource, cipher, spec)} to rewrite\n`,
    );
  for (const id of keys.ids) io.out(`  key "${id}": ${await countSealedWith(dataSource, id)} values\n`);
  return 0;
}

async function rotate(
  dataSource: DataSource,
  keys: KeyRing,
  enabled: boolean,
  options: { readonly batchSize: number; readonly rowsPerSecond: number },
  io: KeysIo,
): Promise<number> {
  const cipher = new ColumnCipher(keys, enabled);
  const summary = await rotateColumns(dataSource, cipher, {
    ...options,
    onProgress: ({ column, done, total }) => io.progress(progressBar(done, total, column)),
  });
  io.out(
    `\nrewrote ${summary.rewritten} values (${summary.skipped} changed meanwhile by a service, already current)\n`,
  );
  return 0;
}

async function retire(
  dataSource: DataSource,
  keys: KeyRing,
  id: string,
  path: string,
  io: KeysIo,
): Promise<number> {
  if (id === keys.activeId)
    throw new UsageError(`key "${id}" is active: activate another key and rotate first`);
  const used = await countSealedWith(dataSource, id);
  if (used > 0) {
    io.out(
      `key "${id}" still encrypts ${used} values: run \`rotate\` first (retire refused, nothing changed)\n`,
    );
    return 1;
  }
  const content = readKeyFile(path);
  const { [id]: _retired, ...kept } = content.keys;
  await new SecretRepository(new Database(dataSource)).delete(keyCheckName(id));
  if (_retired !== undefined) writeKeyFile(path, { active: content.active, keys: kept });
  io.out(`retired key "${id}": no value uses it; removed from ${path} and from the database's key check\n`);
  return 0;
}
