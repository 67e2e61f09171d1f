import { APP_FILTER } from '@nestjs/core';
import {
  Logger,
  type BeforeApplicationShutdown,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ClusterLock, Counters, EventStream } from '@switchboard/cluster';
import {
  ParameterService,
  loadBootstrapSettings,
  type BootstrapSettings,
  type Environment,
} from '@switchboard/config';
import { PersistenceModule } from '@switchboard/persistence';
import { DataSource } from 'typeorm';
import { ClusterEventBus } from './cluster-event-bus';
import { ClusterRuntime, clusterEventBusProvider, clusterProviders } from './cluster.providers';
import { databaseProvider } from './database.provider';
import { HealthController } from './health/health.controller';
import { DrainState } from './health/drain-state';
import { HealthIndicators } from './health/health-indicators';
import { parametersProvider } from './parameters.provider';
import { MetricsController } from './metrics/metrics.controller';
import { Metrics } from './metrics/metrics';
import { metricsProviders } from './metrics/metrics.providers';
import { ReloadApplier, reloadProvider } from './reload/reload.provider';
import {
  BOOTSTRAP_SETTINGS,
  ENVIRONMENT,
  LOG_OUTPUT,
  SERVICE_INFO,
  type ServiceInfo,
} from './platform.tokens';
import { AppLogger, type LogOutput } from './logging/app-logger';
import { LogRing } from './logging/log-ring.destination';
import { loggingProviders } from './logging/logging.providers';
import { UnknownRouteFilter } from './http/unknown-route.filter';
import { SecretMask } from './logging/secret-mask';

export interface PlatformOptions {
  /** The service name, used in logs, health answers and the default node id. */
  readonly service: string;
  /** The port used when PORT is not set. */
  readonly defaultPort: number;
  /**
   * The environment variables to read (`process.env` in an app's module, a literal in tests): the
   * platform's (SWITCHBOARD_*, PORT, HOST, DATADIR, ACD_* overrides) and, through `ENVIRONMENT`, the
   * feature modules'. Parsed when the application is created, every bad variable reported at once.
   */
  readonly environment: Environment;
  /**
   * Where log lines go besides getlog.txt's ring.
   * @default process.stdout
   */
  readonly logOutput?: LogOutput;
  /**
   * Pause (ms) between cluster stream reads once caught up. 0 (the default) for a process that
   * delivers chat events to sockets at once (client-messenger, embedded); a few ms for one whose
   * handlers may wait that long (routing, whatsapp-connector: 5), so each read carries several events
   * under chat load; a process that only needs configuration events (reload, parameter.changed) sets
   * e.g. 100. Each pause spares Hazelcast round trips and the process's own CPU.
   */
  readonly streamReadPauseMs?: number;
}

const VERSION = '0.1.0';

/** Starts the event bus once every module registered its handlers, and closes what it opened in reverse. */
class PlatformLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Platform');

  constructor(
    private readonly bus: ClusterEventBus,
    private readonly cluster: ClusterRuntime,
    private readonly dataSource: DataSource,
    private readonly drain: DrainState,
    private readonly settings: BootstrapSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.bus.start();
  }

  /** Before sockets close: fail the health check and give HAProxy time to notice (SWITCHBOARD_DRAIN_MS). */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.drain.start();
    if (this.settings.drainMs > 0) {
      this.logger.log(
        `draining for ${this.settings.drainMs} ms${signal ? ` on ${signal}` : ''}: health answers 503`,
      );
      await new Promise((resolve) => setTimeout(resolve, this.settings.drainMs));
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log(`shutting down${signal ? ` on ${signal}` : ''}`);
    await this.bus.stop();
    await this.cluster.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}

/**
 * What every Switchboard process stands on: bootstrap settings, the database (migrated), the
 * cluster ports (Hazelcast or in-memory), the cluster event bus, live parameters and health routes.
 * Every repository of {@link PersistenceModule} is injectable in every module of the process.
 */
@Module({})
export class PlatformModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    const serviceInfo: ServiceInfo = { service: options.service, version: VERSION, startedAt: new Date() };
    return {
      module: PlatformModule,
      global: true,
      imports: [PersistenceModule],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: ENVIRONMENT, useValue: options.environment },
        { provide: APP_FILTER, useClass: UnknownRouteFilter },
        { provide: LOG_OUTPUT, useValue: options.logOutput ?? null },
        ...loggingProviders,
        {
          provide: BOOTSTRAP_SETTINGS,
          useFactory: () =>
            loadBootstrapSettings(options.environment, {
              port: options.defaultPort,
              service: options.service,
            }),
        },
        { provide: SERVICE_INFO, useValue: serviceInfo },
        HealthIndicators,
        DrainState,
        databaseProvider,
        ...clusterProviders,
        clusterEventBusProvider(options.streamReadPauseMs ?? 0),
        parametersProvider,
        ...metricsProviders,
        reloadProvider,
        {
          provide: PlatformLifecycle,
          inject: [ClusterEventBus, ClusterRuntime, DataSource, DrainState, BOOTSTRAP_SETTINGS],
          useFactory: (
            bus: ClusterEventBus,
            cluster: ClusterRuntime,
            dataSource: DataSource,
            drain: DrainState,
            settings: BootstrapSettings,
          ) => new PlatformLifecycle(bus, cluster, dataSource, drain, settings),
        },
      ],
      exports: [
        ENVIRONMENT,
        AppLogger,
        LogRing,
        SecretMask,
        BOOTSTRAP_SETTINGS,
        SERVICE_INFO,
        HealthIndicators,
        DrainState,
        DataSource,
        ClusterRuntime,
        EventStream,
        Counters,
        ClusterLock,
        ClusterEventBus,
        ParameterService,
        Metrics,
        ReloadApplier,
        PersistenceModule,
      ],
    };
  }
}
