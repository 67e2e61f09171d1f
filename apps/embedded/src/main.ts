import { Logger } from '@nestjs/common';
import { createRepositories } from '@switchboard/persistence';
import { startService } from '@switchboard/platform';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { DemoSeeder } from './demo-seeder';
import { EmbeddedAppModule } from './embedded-app.module';
import {
  connectWhatsappDemo,
  startWhatsappDemo,
  whatsappDemoLines,
  type WhatsappDemo,
} from './whatsapp-demo';

/** The WhatsApp demo is a convenience: when it cannot start, the product still does. */
async function whatsappDemo(): Promise<WhatsappDemo | null> {
  return startWhatsappDemo(process.env).catch((error: unknown) => {
    new Logger('WhatsappDemo').warn(`no WhatsApp demo: ${String(error)}`);
    return null;
  });
}

async function main(): Promise<void> {
  const demo = await whatsappDemo();
  const { app, settings, url } = await startService(EmbeddedAppModule, 'embedded');
  let whatsappLines: string[] = [];
  if (demo) {
    const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
    try {
      await connectWhatsappDemo(demo, createRepositories(app.get(DataSource)), `http://127.0.0.1:${port}`);
      whatsappLines = whatsappDemoLines(demo);
    } catch (error) {
      new Logger('WhatsappDemo').warn(`no WhatsApp demo: ${String(error)}`);
    }
  }
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
  lines.push(...whatsappLines, 'Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n'));
}

main().catch(() => process.exit(1));
