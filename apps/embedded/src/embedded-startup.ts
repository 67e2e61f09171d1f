import type { INestApplication } from '@nestjs/common';
import { startService } from '@switchboard/platform';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DemoSeeder, demoLoginLine } from './demo-seeder';
import { EmbeddedAppModule } from './embedded-app.module';

/** Something the embedded process runs beside the product (the dev-only WhatsApp demo). */
export interface EmbeddedExtension {
  /** Before the application starts: may add variables to the environment the product starts on. */
  beforeStart(environment: NodeJS.ProcessEnv): Promise<void>;
  /** Once it serves on `url`: the lines to add to what the start-up prints. */
  afterStart(app: INestApplication, url: string): Promise<string[]>;
}

/** Starts the embedded product and prints where it serves, the demo login and the extensions' lines. */
export async function startEmbedded(
  extensions: EmbeddedExtension[] = [],
  processEnvironment: NodeJS.ProcessEnv = process.env,
): Promise<INestApplication> {
  // A copy: what the extensions add reaches the product through forRoot, not the process's globals.
  const environment = { ...processEnvironment };
  for (const extension of extensions) await extension.beforeStart(environment);
  const { app, settings, url } = await startService(EmbeddedAppModule.forRoot(environment), 'embedded');
  const { port } = (app.getHttpServer() as Server).address() as AddressInfo;
  const extensionLines: string[] = [];
  for (const extension of extensions) {
    extensionLines.push(...(await extension.afterStart(app, `http://127.0.0.1:${port}`)));
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
  if (login) lines.push(demoLoginLine(login));
  lines.push(...extensionLines, 'Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n'));
  return app;
}
