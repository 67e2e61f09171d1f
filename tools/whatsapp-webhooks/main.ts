import { loadBootstrapSettings } from '@switchboard/config';
import {
  createDataSource,
  createRepositories,
  loadKeyRing,
  parseDatabaseUrl,
  startColumnEncryption,
} from '@switchboard/persistence';
import {
  parseWebhooksCommand,
  runWebhooksCommand,
  USAGE,
  UsageError,
  type WebhooksCommand,
} from './webhooks-command';

async function main(): Promise<number> {
  let command: WebhooksCommand | 'help';
  try {
    command = parseWebhooksCommand(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const settings = loadBootstrapSettings(process.env, { port: 0, service: 'whatsapp-webhooks' });
  // The connectors' API keys are encrypted: the command reads the keys the services read.
  const keys = loadKeyRing(settings.encryption.keySource, (warning) => process.stderr.write(`${warning}\n`));
  const dataSource = createDataSource(parseDatabaseUrl(settings.databaseUrl));
  await dataSource.initialize();
  try {
    await startColumnEncryption(dataSource, keys, settings.encryption.enabled);
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
