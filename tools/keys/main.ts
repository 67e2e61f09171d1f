import { loadBootstrapSettings } from '@switchboard/config';
import { createDataSource, parseDatabaseUrl } from '@switchboard/persistence';
import { isExit, readCommandLine } from '../cli/command-line';
import { parseKeysCommand, USAGE, UsageError } from './keys-command';
import { runKeysCommand } from './keys-runner';

async function main(): Promise<number> {
  const command = readCommandLine(process.argv.slice(2), parseKeysCommand, USAGE);
  if (isExit(command)) return command.exitCode;
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
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
