import { startService } from '@switchboard/platform';
import { DemoSeeder } from './demo-seeder';
import { EmbeddedAppModule } from './embedded-app.module';

async function main(): Promise<void> {
  const { app, settings, url } = await startService(EmbeddedAppModule, 'embedded');
  const login = app.get(DemoSeeder).demoLogin();
  const lines = [
    '',
    'Switchboard is running (embedded mode: one process, in-memory cluster, SQLite).',
    `  visitor demo  ${url}/gui/demo.html   (the chat widget on a demo page of site "demo")`,
    `  agent console ${url}/gui/console/`,
    `  health        ${url}/health   readiness ${url}/health/ready   metrics ${url}/metrics`,
    `  database      ${settings.databaseUrl}`,
    `  data folder   ${settings.dataDirectory}`,
  ];
  if (login) {
    lines.push(
      `  demo agent    ${login.username} / ${login.password ?? `(password file ${login.credentialsFile} was removed)`}`,
    );
  }
  lines.push('Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch(() => process.exit(1));
