import 'reflect-metadata';
import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BootstrapSettingsError, type BootstrapSettings } from '@switchboard/config';
import { AppLogger } from './logging/app-logger';
import { BOOTSTRAP_SETTINGS } from './platform.tokens';

export interface StartedService {
  readonly app: INestApplication;
  readonly settings: BootstrapSettings;
  readonly url: string;
}

/**
 * Starts one service: builds its Nest application, listens on its port, and shuts down cleanly on
 * SIGTERM/SIGINT (Nest's shutdown hooks close sockets, the cluster client and the database, in order).
 * A bad environment or an unreachable dependency ends the process with a message saying what to fix.
 */
export async function startService(module: DynamicModule, service: string): Promise<StartedService> {
  const logger = new Logger(service);
  try {
    // Nest's own lines wait until the app logger (pino, SWITCHBOARD_LOG_*) takes them.
    const app = await NestFactory.create(module, { bufferLogs: true });
    app.useLogger(app.get(AppLogger));
    app.flushLogs();
    app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
    const settings = app.get<BootstrapSettings>(BOOTSTRAP_SETTINGS);
    await app.listen(settings.port, settings.host);
    const address = (app.getHttpServer() as Server).address() as AddressInfo | null;
    const url = `http://localhost:${address?.port ?? settings.port}`;
    logger.log(`${service} ready on ${url} (node ${settings.nodeId}, cluster ${settings.clusterMode})`);
    return { app, settings, url };
  } catch (error) {
    // Nothing took the buffered lines: they go to the console, like this one.
    Logger.flush();
    const message = error instanceof BootstrapSettingsError ? error.message : (error as Error).stack;
    logger.error(`${service} could not start: ${message}`);
    process.exitCode = 1;
    throw error;
  }
}
