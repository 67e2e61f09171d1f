// `npm run cluster -- --demo` runs this once the cluster's database is migrated: the same demo data
// as `npm start` (site, skill, agent, the WhatsApp number on the cluster's fake TynTec), and the
// same login lines, printed by scripts/cluster.sh at the end of its start.
import { Logger } from '@nestjs/common';
import { loadBootstrapSettings } from '@switchboard/config';
import { createRepositories, openEncryptedDataSource } from '@switchboard/persistence';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { demoLoginLine, seedDemo } from '../demo-seeder';
import { connectWhatsappDemo, whatsappDemoLines } from './whatsapp-demo';

const usage = `Usage: node dist/apps/embedded/src/dev/cluster-demo.js --server-url URL [--tyntec-url URL]

Seeds the demo site, skill and agent into SWITCHBOARD_DATABASE_URL when it has no site yet (the
agent's password is kept in DATADIR/demo-credentials.txt), and prints the demo agent's login.
With --tyntec-url (a fake TynTec's root), also connects the demo WhatsApp number to it, points its
webhooks at --server-url (HAProxy) and prints how to write as a customer. Secrets come from the
environment: SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET, SWITCHBOARD_TYNTEC_API_KEY.
Run by 'npm run cluster -- --demo'; see docs/operations.md.`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set (see --help)`);
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'server-url': { type: 'string' },
      'tyntec-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return;
  }
  const serverUrl = values['server-url'];
  if (!serverUrl) throw new Error('--server-url is required (see --help)');
  const dataDirectory = resolve(required('DATADIR'));
  mkdirSync(dataDirectory, { recursive: true });
  required('SWITCHBOARD_DATABASE_URL');
  const settings = loadBootstrapSettings(process.env, { port: 0, service: 'cluster-demo' });
  // The demo's names and the connector's API key are encrypted columns: the keys the services read.
  const dataSource = await openEncryptedDataSource(settings.databaseUrl, settings.encryption, (warning) =>
    process.stderr.write(`${warning}\n`),
  );
  try {
    const repositories = createRepositories(dataSource);
    const lines = [demoLoginLine(await seedDemo(repositories, dataDirectory))];
    const tyntecUrl = values['tyntec-url'];
    if (tyntecUrl) {
      const demo = {
        tyntecUrl,
        secret: required('SWITCHBOARD_WHATSAPP_WEBHOOK_SECRET'),
        apiKey: required('SWITCHBOARD_TYNTEC_API_KEY'),
        stop: () => Promise.resolve(),
      };
      await connectWhatsappDemo(demo, repositories, serverUrl);
      lines.push(...whatsappDemoLines(demo));
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  new Logger('ClusterDemo').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
