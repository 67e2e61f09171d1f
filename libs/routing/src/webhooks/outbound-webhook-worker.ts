import type {
  ClaimedWebhookDelivery,
  OutboundWebhookRepository,
  WebhookOutboxRepository,
} from '@switchboard/persistence';
import {
  parseWebhookAnswer,
  signWebhook,
  WEBHOOK_EVENT_ID_HEADER,
  WEBHOOK_EVENT_TYPE_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  type OutboundWebhookEventType,
} from '@switchboard/protocol';
import { afterFailure, type WebhookDeliverySettings } from './delivery-plan';
import { WebhookSendError, type WebhookSender } from './webhook-sender';

/** What one attempt came to, for the metric. */
export type DeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'lost-lease';

/** What the worker needs around it. */
export interface OutboundWebhookWorkerOptions {
  readonly outbox: WebhookOutboxRepository;
  readonly endpoints: OutboundWebhookRepository;
  readonly sender: WebhookSender;
  /** This node's id: the lease holder. */
  readonly nodeId: string;
  /** The settings now (parameters may change between runs). */
  readonly settings: () => WebhookDeliverySettings;
  /** Closes the chat with SC because an endpoint's answer asked so (`message` for the visitor). */
  readonly closeChat: (chatId: number, message: string | null) => Promise<void>;
  readonly onOutcome?: (outcome: DeliveryOutcome) => void;
  readonly log?: (message: string) => void;
}

/** Rows leased per run. */
const BATCH = 50;
/** The lease outlives the attempt's timeout by this much, so no other node takes a row in flight. */
const LEASE_MARGIN_MS = 5000;

/**
 * Delivers the webhook outbox: leases the due rows (each the oldest pending one of its endpoint and
 * chat), posts each signed, and records the outcome. Rows of different chats go out concurrently,
 * a chat's rows one after another.
 */
export class OutboundWebhookWorker {
  constructor(private readonly options: OutboundWebhookWorkerOptions) {}

  /** One pass at `now`: resolves to the number of rows attempted. */
  async runOnce(now = new Date()): Promise<number> {
    const settings = this.options.settings();
    const claimed = await this.options.outbox.claimDue(
      this.options.nodeId,
      settings.timeoutMs + LEASE_MARGIN_MS,
      now,
      BATCH,
    );
    const secrets = new Map<number, Promise<string | null>>();
    const secretOf = (webhookId: number): Promise<string | null> => {
      let secret = secrets.get(webhookId);
      if (secret === undefined) {
        secret = this.options.endpoints.revealSecret(webhookId);
        secrets.set(webhookId, secret);
      }
      return secret;
    };
    await Promise.all(
      claimed.map(async (delivery) => this.deliver(delivery, await secretOf(delivery.webhookId), settings)),
    );
    return claimed.length;
  }

  private async deliver(
    delivery: ClaimedWebhookDelivery,
    secret: string | null,
    settings: WebhookDeliverySettings,
  ): Promise<void> {
    // The endpoint was deleted after the claim: its rows went with it.
    if (secret === null) return;
    const eventType = delivery.eventType as OutboundWebhookEventType;
    const headers = {
      'Content-Type': 'application/json',
      'User-Agent': 'Switchboard-Webhooks/1',
      [WEBHOOK_EVENT_TYPE_HEADER]: eventType,
      [WEBHOOK_EVENT_ID_HEADER]: delivery.eventId,
      'Idempotency-Key': delivery.eventId,
      [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, Math.floor(Date.now() / 1000), delivery.payload),
    };
    let failure: string;
    try {
      const response = await this.options.sender.post(
        delivery.url,
        headers,
        delivery.payload,
        settings.timeoutMs,
      );
      if (response.status >= 200 && response.status < 300) {
        const answer = parseWebhookAnswer(eventType, response.body);
        // Closed before the row is settled: if the settle is lost, the retry's answer closes nothing twice.
        if (answer.action === 'close') await this.options.closeChat(delivery.chatId, answer.message);
        await this.settle(delivery, { state: 'delivered' }, 'delivered');
        return;
      }
      failure = `HTTP ${response.status}`;
    } catch (error) {
      if (!(error instanceof WebhookSendError)) throw error;
      failure = error.message;
    }
    const now = new Date();
    const next = afterFailure(delivery.attempts + 1, delivery.createdAt, now, settings);
    await this.settle(delivery, { ...next, error: failure }, next.state === 'dead' ? 'dead' : 'retry');
    this.options.log?.(
      `webhook ${delivery.webhookId} (${hostOf(delivery.url)}): ${eventType} ${delivery.eventId} failed ` +
        `(${failure}, attempt ${delivery.attempts + 1}); ` +
        (next.state === 'dead' ? 'given up (dead)' : `retried at ${next.nextAttemptAt.toISOString()}`),
    );
  }

  private async settle(
    delivery: ClaimedWebhookDelivery,
    outcome: Parameters<WebhookOutboxRepository['settle']>[2],
    reported: DeliveryOutcome,
  ): Promise<void> {
    const settled = await this.options.outbox.settle(delivery.id, this.options.nodeId, outcome);
    this.options.onOutcome?.(settled ? reported : 'lost-lease');
  }
}

/** The URL's host only: its path or query may carry a token. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}
