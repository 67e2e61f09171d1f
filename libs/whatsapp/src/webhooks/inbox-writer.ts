import { Inject, Injectable } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import {
  type ReceivedWebhook,
  type WebhookInboxRecord,
  WebhookInboxRepository,
} from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';
import { WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';

/** @default the most webhooks one transaction stores */
const MAX_BATCH = 250;

interface Waiting {
  readonly webhook: ReceivedWebhook;
  readonly resolve: (row: WebhookInboxRecord | null) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Stores webhooks in the inbox in batches: what arrives while one transaction commits goes into the
 * next, so N concurrent webhooks cost one commit (one fsync), not N. Each caller still waits for
 * its own webhook to be committed before TynTec is answered. Resolves the new row (leased to this
 * node), or null for a duplicate.
 */
@Injectable()
export class InboxWriter {
  private waiting: Waiting[] = [];
  private writing: Promise<void> | undefined;
  private batches = 0;

  constructor(
    private readonly webhookInbox: WebhookInboxRepository,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
    @Inject(BOOTSTRAP_SETTINGS) private readonly bootstrap: BootstrapSettings,
  ) {}

  write(webhook: ReceivedWebhook): Promise<WebhookInboxRecord | null> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ webhook, resolve, reject });
      this.writing ??= this.drain().finally(() => (this.writing = undefined));
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_BATCH);
      this.batches += 1;
      try {
        const answers = await this.webhookInbox.storeBatch(
          batch.map((waiting) => waiting.webhook),
          {
            // Unique per batch, so the rows this batch inserted are told apart from earlier copies.
            claimedBy: `${this.bootstrap.nodeId}#${this.batches}`.slice(0, 100),
            claimedUntil: new Date(Date.now() + this.settings.leaseMs),
          },
        );
        batch.forEach((waiting, index) => {
          const answer = answers[index];
          waiting.resolve(answer.outcome === 'stored' ? answer.row : null);
        });
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
  }
}
