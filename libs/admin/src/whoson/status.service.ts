import { Inject, Injectable } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { SiteRepository, BlockedVisitorRepository, ChatStatisticsRepository } from '@switchboard/persistence';
import {
  BOOTSTRAP_SETTINGS,
  ClusterRuntime,
  HealthIndicators,
  SERVICE_INFO,
  type ServiceInfo,
} from '@switchboard/platform';

/** What index.htm and status.xml/json show: this server, the cluster, monitored sites, blocked clients. */
export interface ServerStatus {
  readonly server: {
    readonly product: 'Switchboard';
    readonly version: string;
    readonly service: string;
    readonly nodeId: string;
    readonly startedAt: Date;
    readonly uptimeSeconds: number;
    readonly database: string;
  };
  readonly cluster: {
    readonly mode: 'memory' | 'hazelcast';
    readonly name: string | null;
    readonly members: readonly string[];
    readonly streamTailSequence: number | null;
    readonly checks: ReadonlyArray<{ name: string; ok: boolean; detail: string }>;
  };
  readonly chats: Readonly<Record<string, number>>;
  readonly sites: ReadonlyArray<{
    siteKey: string;
    name: string;
    domain: string;
    paused: boolean;
    waiting: number;
    queued: number;
    offered: number;
    active: number;
    oldestWaitingSince: Date | null;
  }>;
  readonly blockedClients: ReadonlyArray<{
    id: number;
    siteKey: string | null;
    visitorKey: string | null;
    ip: string | null;
    reason: string | null;
    blockedBy: string;
    blockedAt: Date;
    expiresAt: Date | null;
  }>;
}

@Injectable()
export class StatusService {
  constructor(
    private readonly sites: SiteRepository,
    private readonly blockedVisitors: BlockedVisitorRepository,
    private readonly chatStatistics: ChatStatisticsRepository,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
    @Inject(SERVICE_INFO) private readonly serviceInfo: ServiceInfo,
    private readonly indicators: HealthIndicators,
    private readonly cluster: ClusterRuntime,
  ) {}

  async status(): Promise<ServerStatus> {
    const { sites, chatStatistics, blockedVisitors } = this;
    const [siteList, figures, blocks, chats, checks] = await Promise.all([
      sites.list(),
      chatStatistics.figuresBySite(),
      blockedVisitors.listActive(),
      chatStatistics.countByState(),
      this.indicators.runAll(),
    ]);
    const siteKeys = new Map(siteList.map((site) => [site.id, site.siteKey]));
    const hazelcast = this.settings.clusterMode === 'hazelcast';
    return {
      server: {
        product: 'Switchboard',
        version: this.serviceInfo.version,
        service: this.serviceInfo.service,
        nodeId: this.settings.nodeId,
        startedAt: this.serviceInfo.startedAt,
        uptimeSeconds: Math.round((Date.now() - this.serviceInfo.startedAt.getTime()) / 1000),
        database: this.settings.databaseUrl.split(':')[0] ?? 'unknown',
      },
      cluster: {
        mode: this.settings.clusterMode,
        name: hazelcast ? this.settings.hazelcastClusterName : null,
        members: hazelcast ? this.settings.hazelcastMembers : [this.settings.nodeId],
        streamTailSequence: await this.cluster.stream.tailSequence().catch(() => null),
        checks: checks.map(({ name, ok, detail }) => ({ name, ok, detail })),
      },
      chats,
      sites: siteList.map((site) => {
        const counts = figures.find((entry) => entry.siteId === site.id);
        return {
          siteKey: site.siteKey,
          name: site.name,
          domain: site.domain,
          paused: site.paused,
          waiting: counts?.byState.waiting ?? 0,
          queued: counts?.byState.queued ?? 0,
          offered: counts?.byState.offered ?? 0,
          active: counts?.byState.active ?? 0,
          oldestWaitingSince: counts?.oldestWaitingSince ?? null,
        };
      }),
      blockedClients: blocks.map((block) => ({
        id: block.id,
        siteKey: block.siteId === null ? null : (siteKeys.get(block.siteId) ?? null),
        visitorKey: block.visitorKey,
        ip: block.ip,
        reason: block.reason,
        blockedBy: block.blockedBy,
        blockedAt: block.blockedAt,
        expiresAt: block.expiresAt,
      })),
    };
  }
}
