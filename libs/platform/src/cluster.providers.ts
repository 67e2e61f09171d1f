import { Logger, type Provider } from '@nestjs/common';
import {
  ClusterLock,
  Counters,
  EventStream,
  HazelcastClusterLock,
  HazelcastConnection,
  HazelcastCounters,
  HazelcastEventStream,
  InMemoryClusterLock,
  InMemoryCounters,
  InMemoryEventStream,
} from '@switchboard/cluster';
import type { BootstrapSettings } from '@switchboard/config';
import { ClusterEventBus } from './cluster-event-bus';
import { HealthIndicators } from './health/health-indicators';
import { BOOTSTRAP_SETTINGS } from './platform.tokens';

/** The three cluster ports, bound to Hazelcast or to the in-process adapters, and how to close them. */
export class ClusterRuntime {
  constructor(
    readonly stream: EventStream<unknown>,
    readonly counters: Counters,
    readonly lock: ClusterLock,
    readonly close: () => Promise<void>,
  ) {}
}

async function createClusterRuntime(
  settings: BootstrapSettings,
  indicators: HealthIndicators,
): Promise<ClusterRuntime> {
  const logger = new Logger('Cluster');
  if (settings.clusterMode === 'memory') {
    logger.log('in-memory cluster adapter (embedded mode: this process is the whole cluster)');
    indicators.register('cluster', () => Promise.resolve('in-memory'));
    return new ClusterRuntime(
      new InMemoryEventStream(),
      new InMemoryCounters(),
      new InMemoryClusterLock(),
      () => Promise.resolve(),
    );
  }
  const connection = await HazelcastConnection.connect({
    clusterName: settings.hazelcastClusterName,
    members: settings.hazelcastMembers,
    instanceName: settings.nodeId,
    connectTimeoutMs: settings.hazelcastTimeouts.connectMs,
    invocationTimeoutMs: settings.hazelcastTimeouts.invocationMs,
    heartbeatTimeoutMs: settings.hazelcastTimeouts.heartbeatMs,
    logger,
  });
  logger.log(
    `joined Hazelcast cluster ${settings.hazelcastClusterName} at ${settings.hazelcastMembers.join(', ')}`,
  );
  const stream = new HazelcastEventStream<unknown>(connection);
  // note: the connection, not a round trip: a member stalled for seconds must not make every node unready.
  indicators.register('cluster', () =>
    connection.connected
      ? Promise.resolve(`hazelcast, ${connection.client.getCluster().getMembers().length} members`)
      : Promise.reject(
          new Error('no connection to any Hazelcast member (cross-node delivery is down; reconnecting)'),
        ),
  );
  return new ClusterRuntime(
    stream,
    new HazelcastCounters(connection),
    new HazelcastClusterLock(connection),
    () => connection.shutdown(),
  );
}

export const clusterProviders: Provider[] = [
  {
    provide: ClusterRuntime,
    inject: [BOOTSTRAP_SETTINGS, HealthIndicators],
    useFactory: createClusterRuntime,
  },
  { provide: EventStream, inject: [ClusterRuntime], useFactory: (runtime: ClusterRuntime) => runtime.stream },
  { provide: Counters, inject: [ClusterRuntime], useFactory: (runtime: ClusterRuntime) => runtime.counters },
  { provide: ClusterLock, inject: [ClusterRuntime], useFactory: (runtime: ClusterRuntime) => runtime.lock },
];

/** This process's event bus; `readPauseMs` as in {@link ClusterEventBus}. */
export function clusterEventBusProvider(readPauseMs: number): Provider {
  return {
    provide: ClusterEventBus,
    inject: [ClusterRuntime],
    useFactory: (runtime: ClusterRuntime) => new ClusterEventBus(runtime.stream, readPauseMs),
  };
}
