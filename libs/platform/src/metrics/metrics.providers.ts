import { Logger, type Provider } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { ChatStatisticsRepository, SiteRepository } from '@switchboard/persistence';
import { Gauge } from 'prom-client';
import { ClusterEventBus } from '../cluster-event-bus';
import { ClusterRuntime } from '../cluster.providers';
import { BOOTSTRAP_SETTINGS, SERVICE_INFO, type ServiceInfo } from '../platform.tokens';
import { Metrics } from './metrics';

/** Gauges read at scrape time: chats by state and queues from the database, the stream's tail. */
function registerCollectors(
  metrics: Metrics,
  statistics: ChatStatisticsRepository,
  sites: SiteRepository,
  cluster: ClusterRuntime,
  bus: ClusterEventBus,
): void {
  const logger = new Logger('Metrics');
  const registers = [metrics.registry];
  // note: database figures are cluster-wide, so every node reports the same value: aggregate with max().
  new Gauge({
    name: 'switchboard_chats',
    help: 'Chats by state (cluster-wide, from the database)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      this.reset();
      try {
        for (const [state, count] of Object.entries(await statistics.countByState()))
          this.set({ state }, count);
      } catch (error) {
        logger.warn(`chats by state not collected: ${(error as Error).message}`);
      }
    },
  });
  const queueLength = new Gauge({
    name: 'switchboard_queue_length',
    help: 'Chats waiting or queued, by site (cluster-wide, from the database)',
    labelNames: ['site'] as const,
    registers,
  });
  new Gauge({
    name: 'switchboard_queue_oldest_wait_seconds',
    help: 'How long the oldest waiting or queued chat of each site has waited',
    labelNames: ['site'] as const,
    registers,
    async collect() {
      this.reset();
      queueLength.reset();
      try {
        const keys = new Map((await sites.list()).map((site) => [site.id, site.siteKey]));
        for (const figures of await statistics.figuresBySite()) {
          const site = keys.get(figures.siteId) ?? String(figures.siteId);
          queueLength.set({ site }, figures.byState.waiting + figures.byState.queued);
          const since = figures.oldestWaitingSince;
          this.set({ site }, since === null ? 0 : Math.max(0, (Date.now() - since.getTime()) / 1000));
        }
      } catch (error) {
        logger.warn(`queue figures not collected: ${(error as Error).message}`);
      }
    },
  });
  new Gauge({
    name: 'switchboard_cluster_stream_tail_sequence',
    help: 'Sequence of the newest event on the cluster stream (CHAT ringbuffer)',
    registers,
    async collect() {
      try {
        this.set(await cluster.stream.tailSequence());
      } catch (error) {
        logger.warn(`stream tail not collected: ${(error as Error).message}`);
      }
    },
  });
  new Gauge({
    name: 'switchboard_cluster_stream_lag_events',
    help: 'Events on the cluster stream this process has not read yet (tail minus read position)',
    registers,
    async collect() {
      this.reset();
      const position = bus.position;
      if (position === undefined) return;
      try {
        this.set(Math.max(0, (await cluster.stream.tailSequence()) + 1 - position));
      } catch (error) {
        logger.warn(`stream lag not collected: ${(error as Error).message}`);
      }
    },
  });
}

/** The Metrics instance of this process, with its scrape-time collectors and stream delay observer. */
export const metricsProviders: Provider[] = [
  {
    provide: Metrics,
    inject: [
      BOOTSTRAP_SETTINGS,
      SERVICE_INFO,
      ChatStatisticsRepository,
      SiteRepository,
      ClusterRuntime,
      ClusterEventBus,
    ],
    useFactory: (
      settings: BootstrapSettings,
      serviceInfo: ServiceInfo,
      statistics: ChatStatisticsRepository,
      sites: SiteRepository,
      cluster: ClusterRuntime,
      bus: ClusterEventBus,
    ) => {
      const metrics = new Metrics({ service: serviceInfo.service, node: settings.nodeId });
      registerCollectors(metrics, statistics, sites, cluster, bus);
      bus.observeDelays((type, delay) => metrics.clusterEventDelaySeconds.observe({ type }, delay));
      return metrics;
    },
  },
];
