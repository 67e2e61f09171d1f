import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { BootstrapSettings } from '@switchboard/config';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AdminAccessSettings } from './admin-access.settings';
import { ADMIN_ACCESS_SETTINGS } from './admin-access.tokens';

/**
 * In a process whose own port is not the admin port (the embedded all-in-one on 3000), opens a second
 * HTTP listener on SWITCHBOARD_ADMIN_PORT (8899) over the same application, once the main one listens.
 * In the embedded mode, prints where the admin interface answers and where its auth string is kept.
 */
@Injectable()
export class AdminListener implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AdminApi');
  private server: Server | undefined;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    @Inject(ADMIN_ACCESS_SETTINGS) private readonly access: AdminAccessSettings,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  onApplicationBootstrap(): void {
    const mainServer = this.adapterHost.httpAdapter.getHttpServer() as Server;
    mainServer.once('listening', () => {
      if (this.access.extraPort === null) {
        this.announce(portOf(mainServer));
        return;
      }
      const server = createServer(this.adapterHost.httpAdapter.getInstance<RequestListener>());
      this.server = server;
      server.once('error', (error) =>
        this.logger.error(`admin listener on ${this.access.extraPort}: ${error.message}`),
      );
      server.listen(this.access.extraPort, this.settings.host, () => this.announce(portOf(server)));
    });
  }

  /** The admin listener's port, once it listens (null without one). */
  port(): number | null {
    return this.server?.listening ? portOf(this.server) : null;
  }

  /** Whether `request` came in through the admin listener (false without one). */
  serves(request: IncomingMessage): boolean {
    const port = this.port();
    return port !== null && request.socket.localPort === port;
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private announce(port: number): void {
    this.logger.log(
      `admin interface on http://localhost:${port}/ (hosts ${this.access.whitelist.entries.join(', ')})`,
    );
    if (this.access.authSource.kind === 'file') {
      // The auth string itself is never printed (a terminal is scrolled back, recorded, shared).
      process.stdout.write(
        `  admin         http://localhost:${port}/?a=<auth string>   (the auth string is in ${this.access.authSource.path})\n`,
      );
    }
  }
}

const portOf = (server: Server): number => (server.address() as AddressInfo).port;
