import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ChatEvents } from '@switchboard/chat';
import { ParameterService, type BootstrapSettings } from '@switchboard/config';
import {
  ChatRepository,
  OperatorRepository,
  OutboundWebhookRepository,
  WebhookOutboxRepository,
} from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS, Metrics } from '@switchboard/platform';
import { formatEventText } from '@switchboard/protocol';
import type { WebhookDeliverySettings } from './delivery-plan';
import { OutboundWebhookWorker } from './outbound-webhook-worker';
import { WebhookSender } from './webhook-sender';

/**
 * Delivers the outbound webhooks (docs/webhooks.md) from every routing node: polls the outbox every
 * `Webhooks.Poll.Milliseconds`, and goes on at once while there was something to deliver. An
 * endpoint's close answer ends the chat with SC, as a timeout ends it: stored in the close's
 * transaction, then published so the visitor and the agent see it.
 */
@Injectable()
export class OutboundWebhooks implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('OutboundWebhooks');
  private readonly worker: OutboundWebhookWorker;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private stopped = false;

  constructor(
    outbox: WebhookOutboxRepository,
    endpoints: OutboundWebhookRepository,
    private readonly chats: ChatRepository,
    private readonly operators: OperatorRepository,
    private readonly parameters: ParameterService,
    private readonly publisher: ChatEvents,
    metrics: Metrics,
    @Inject(BOOTSTRAP_SETTINGS) settings: BootstrapSettings,
  ) {
    this.worker = new OutboundWebhookWorker({
      outbox,
      endpoints,
      sender: new WebhookSender(),
      nodeId: settings.nodeId,
      settings: () => this.settings(),
      closeChat: (chatId, message) => this.closeChat(chatId, message),
      onOutcome: (outcome) => metrics.outboundWebhookDeliveries.inc({ outcome }),
      log: (message) => this.logger.warn(message),
    });
  }

  onApplicationBootstrap(): void {
    this.schedule();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers what is due now, until nothing is left (the timer calls it too). */
  deliverDue(): Promise<void> {
    this.running ??= this.drain().finally(() => (this.running = null));
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.deliverDue()
        .catch((error: unknown) => this.logger.error(`outbound webhooks: ${String(error)}`))
        .finally(() => this.schedule());
    }, this.parameters.get('ACD.Chat.Webhooks.Poll.Milliseconds'));
    this.timer.unref();
  }

  private async drain(): Promise<void> {
    while (!this.stopped && (await this.worker.runOnce()) > 0);
  }

  private settings(): WebhookDeliverySettings {
    return {
      timeoutMs: this.parameters.get('ACD.Chat.Webhooks.Timeout.Seconds') * 1000,
      retryInitialMs: this.parameters.get('ACD.Chat.Webhooks.Retry.Initial.Milliseconds'),
      retryMaxMs: this.parameters.get('ACD.Chat.Webhooks.Retry.Max.Seconds') * 1000,
      maxAgeMs: this.parameters.get('ACD.Chat.Webhooks.MaxAge.Minutes') * 60_000,
    };
  }

  private async closeChat(chatId: number, message: string | null): Promise<void> {
    const chat = await this.chats.findById(chatId);
    if (chat === null) return;
    const state = chat.operatorId === null ? 'missed' : 'closed';
    const text = formatEventText('SC');
    if (!(await this.chats.close(chat.id, 'SC', new Date(), state, [{ code: 'SC', text }]))) return;
    const holder = chat.operatorId === null ? null : await this.operators.findById(chat.operatorId);
    await this.publisher.ended(chat.chatUid, {
      state,
      code: 'SC',
      text: message ?? text,
      previousAgentUsername: holder?.username ?? null,
    });
    this.logger.log(`chat ${chat.chatUid}: closed by a webhook answer (SC)`);
  }
}
