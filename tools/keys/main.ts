import { loadBootstrapSettings } from '@switchboard/config';
import { createDataSource, EncryptionKeyError, parseDatabaseUrl } from '@switchboard/persistence';
import { parseKeysCommand, USAGE, UsageError, type KeysCommand } from './keys-command';
import { runKeysCommand } from './keys-runner';

async function main(): Promise<number> {
  let command: KeysCommand | 'help';
  try {
    command = parseKeysCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = loadBootstrapSettings(process.env, { port: 0, service: 'keys' });
  return runKeysCommand(command, settings, {
    out: (text) => process.stdout.write(text),
    progress: (line) => process.stderr.write(`\r${line}`),
    openDatabase: async () => {
      const dataSource = createDataSource(parseDatabaseUrl(settings.databaseUrl));
      await dataSource.initialize();
      return dataSource;
    },
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof UsageError ? 2 : error instanceof EncryptionKeyError ? 1 : 1);
  },
);
