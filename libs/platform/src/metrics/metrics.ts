import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Who the metrics are about: added as labels to every series this process exposes. */
export interface MetricsIdentity {
  readonly service: string;
  readonly node: string;
}

const latencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
const waitBuckets = [1, 5, 10, 30, 60, 120, 300, 600, 1800];

/**
 * This process's Prometheus registry and the instruments the feature modules record into
 * (Node.js process metrics included). Figures read from the database are added by collectors at
 * scrape time (see metrics.providers.ts); the rest is observed where it happens.
 */
export class Metrics {
  readonly registry = new Registry();

  /** Open socket.io connections on this node, by namespace (`visitor`, `agent`). */
  readonly connections = new Gauge({
    name: 'switchboard_connections',
    help: 'Open socket.io connections on this node',
    labelNames: ['namespace'] as const,
    registers: [this.registry],
  });

  /** How long a chat waited in the queue before an agent got it (or it left), by site. */
  readonly queueWaitSeconds = new Histogram({
    name: 'switchboard_queue_wait_seconds',
    help: 'Time chats spent queued before leaving the queue',
    labelNames: ['site', 'outcome'] as const,
    buckets: waitBuckets,
    registers: [this.registry],
  });

  /** Time from a chat request to the routing decision, by decision (offered, queued, missed…). */
  readonly routingLatencySeconds = new Histogram({
    name: 'switchboard_routing_latency_seconds',
    help: 'Time from a chat request to its routing decision',
    labelNames: ['outcome'] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  /** TynTec webhooks handled, by kind (`incoming`, `delivery`) and outcome (`stored`, `duplicate`, `rejected`…). */
  readonly webhookOutcomes = new Counter({
    name: 'switchboard_webhook_outcomes_total',
    help: 'Webhooks handled, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    registers: [this.registry],
  });

  /**
   * Agents' WhatsApp lines, by what became of a send: `sent`, `retry`, `failed`, `refused`, `unknown`
   * (ambiguous: TynTec may have it, never resent), `settled` (an unknown line a status confirmed),
   * `unconfirmed` (no status came in time).
   */
  readonly whatsappOutbound = new Counter({
    name: 'switchboard_whatsapp_outbound_total',
    help: "Agents' WhatsApp lines, by what became of their send",
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** Outbound webhook delivery attempts, by outcome (`delivered`, `retry`, `dead`, `lost-lease`). */
  readonly outboundWebhookDeliveries = new Counter({
    name: 'switchboard_outbound_webhook_deliveries_total',
    help: 'Outbound webhook delivery attempts, by outcome (dead: given up)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  /** How far behind the cluster stream this process reads: now minus the event's publication time. */
  readonly clusterEventDelaySeconds = new Histogram({
    name: 'switchboard_cluster_event_delay_seconds',
    help: 'Delay between publishing a cluster event and this process reading it (ringbuffer lag)',
    labelNames: ['type'] as const,
    buckets: latencyBuckets,
    registers: [this.registry],
  });

  constructor(identity: MetricsIdentity) {
    this.registry.setDefaultLabels({ service: identity.service, node: identity.node });
    collectDefaultMetrics({ register: this.registry });
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
