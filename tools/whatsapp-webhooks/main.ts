import { loadBootstrapSettings } from '@switchboard/config';
import { createRepositories, openEncryptedDataSource } from '@switchboard/persistence';
import { isExit, readCommandLine } from '../cli/command-line';
import { parseWebhooksCommand, runWebhooksCommand, USAGE, UsageError } from './webhooks-command';

async function main(): Promise<number> {
  const command = readCommandLine(process.argv.slice(2), parseWebhooksCommand, USAGE);
  if (isExit(command)) return command.exitCode;
  const settings = loadBootstrapSettings(process.env, { port: 0, service: 'whatsapp-webhooks' });
  // The connectors' API keys are encrypted: the command reads the keys the services read.
  const dataSource = await openEncryptedDataSource(settings.databaseUrl, settings.encryption, (warning) =>
    process.stderr.write(`${warning}\n`),
  );
  try {
    return await runWebhooksCommand(command, createRepositories(dataSource), process.env, (text: string) =>
      process.stdout.write(text),
    );
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
