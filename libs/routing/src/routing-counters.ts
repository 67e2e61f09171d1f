import { Injectable, Logger } from '@nestjs/common';
import { Counters } from '@switchboard/cluster';
import { Metrics } from '@switchboard/platform';
import { Gauge } from 'prom-client';

/** Key of a skill's queue length in CHATCOUNTERS (`*` = chats that asked for no skill). */
export const queueLengthKey = (skill: string | null): string => `queue:${skill ?? '*'}`;
/** Key of an agent's open chats in CHATCOUNTERS. */
export const agentOpenChatsKey = (username: string): string => `agent:${username}:open`;
/** Key of a site's queued chats in CHATCOUNTERS. */
export const siteQueuedKey = (siteKey: string): string => `site:${siteKey}:queued`;

/** What one pass counted. */
export interface RoutingFigures {
  /** Queued chats per skill (null = no skill asked). */
  readonly queues: ReadonlyMap<string | null, number>;
  /** Queued chats per site key. */
  readonly sites: ReadonlyMap<string, number>;
  /** Active chats per agent in Chat status. */
  readonly agents: ReadonlyMap<string, number>;
}

/** Every entry is rewritten this often, even unchanged: an entry the cluster lost heals by then. */
export const COUNTERS_REFRESH_MS = 10_000;

/**
 * The live counters of the routing service (CHATCOUNTERS) and the queue-length gauge. Every pass
 * writes what changed since its last write, from what it just read from the database; everything is
 * rewritten every `COUNTERS_REFRESH_MS`, so an entry lost with a member comes back.
 */
@Injectable()
export class RoutingCounters {
  private readonly logger = new Logger('RoutingCounters');
  private readonly written = new Map<string, number>();
  /** Queue keys ever written: one that empties is set to 0 (a missing key would read as unknown). */
  private readonly queueKeys = new Set<string>();
  private lastRefresh = 0;
  private readonly queueLength: Gauge<'skill'>;

  constructor(
    private readonly counters: Counters,
    metrics: Metrics,
  ) {
    this.queueLength = new Gauge({
      name: 'switchboard_routing_queue_length',
      help: 'Chats waiting in each skill queue (routing view, `*` = no skill asked)',
      labelNames: ['skill'] as const,
      registers: [metrics.registry],
    });
  }

  /** Writes the figures of one pass; only changed entries go to the cluster. */
  async write(figures: RoutingFigures, now = Date.now()): Promise<void> {
    if (now - this.lastRefresh >= COUNTERS_REFRESH_MS) {
      this.lastRefresh = now;
      this.written.clear();
    }
    const next = new Map<string, number>();
    this.queueLength.reset();
    for (const [skill, length] of figures.queues) {
      next.set(queueLengthKey(skill), length);
      this.queueLength.set({ skill: skill ?? '*' }, length);
    }
    for (const [siteKey, length] of figures.sites) next.set(siteQueuedKey(siteKey), length);
    for (const key of next.keys()) this.queueKeys.add(key);
    for (const key of this.queueKeys) if (!next.has(key)) next.set(key, 0);
    for (const [username, open] of figures.agents) next.set(agentOpenChatsKey(username), open);
    try {
      for (const [key, value] of next) {
        if (this.written.get(key) === value) continue;
        await this.counters.set(key, value);
        this.written.set(key, value);
      }
    } catch (error) {
      this.written.clear();
      this.logger.warn(`CHATCOUNTERS not updated (rewritten on the next pass): ${String(error)}`);
    }
  }
}
