import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import {
  toLineView,
  type ChatLineRecord,
  type ChatRecord,
  SiteRepository,
  SkillRepository,
  OperatorRepository,
  ChatRepository,
} from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS, ClusterEventBus } from '@switchboard/platform';
import type { ChatSummary, ClusterEvent, LineDelivery } from '@switchboard/protocol';

type WithoutEnvelope<TEvent> = TEvent extends ClusterEvent ? Omit<TEvent, 'origin' | 'at'> : never;

/**
 * Publishes what the connector stored on the cluster stream: a new WhatsApp chat for the ACD
 * (`queue.added`), customer lines (`chat.line`) and delivery states (`chat.delivery`). A failed
 * publish is logged, not thrown: the data is stored, and clients catch up by sequence.
 */
@Injectable()
export class WhatsappPublisher {
  private readonly logger = new Logger('WhatsappPublisher');

  constructor(
    private readonly sites: SiteRepository,
    private readonly skills: SkillRepository,
    private readonly operators: OperatorRepository,
    private readonly chats: ChatRepository,
    private readonly bus: ClusterEventBus,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  async queueAdded(chatId: number): Promise<void> {
    const chat = await this.chats.findById(chatId);
    if (chat) await this.publish({ type: 'queue.added', chat: await this.summary(chat) });
  }

  line(chatUid: string, line: ChatLineRecord): Promise<void> {
    return this.publish({ type: 'chat.line', line: toLineView(chatUid, line) });
  }

  delivery(delivery: LineDelivery): Promise<void> {
    return this.publish({ type: 'chat.delivery', delivery });
  }

  private async summary(chat: ChatRecord): Promise<ChatSummary> {
    const { sites, skills, operators } = this;
    const [site, skill, operator] = await Promise.all([
      sites.findById(chat.siteId),
      chat.skillId === null ? null : skills.findById(chat.skillId),
      chat.operatorId === null ? null : operators.findById(chat.operatorId),
    ]);
    return {
      chatUid: chat.chatUid,
      siteKey: site?.siteKey ?? String(chat.siteId),
      channel: chat.channel,
      visitorName: chat.visitorName ?? `+${chat.visitorKey}`,
      visitorEmail: chat.visitorEmail,
      skill: skill?.name ?? null,
      state: chat.state,
      agentUsername: operator?.username ?? null,
      lastSequence: chat.lastLineSeq,
      createdAt: chat.createdAt.toISOString(),
    };
  }

  private async publish(event: WithoutEnvelope<ClusterEvent>): Promise<void> {
    try {
      await this.bus.publish({ ...event, origin: this.settings.nodeId, at: new Date().toISOString() });
    } catch (error) {
      this.logger.error(
        `could not publish ${event.type} (stored; clients catch up on reconnect): ${String(error)}`,
      );
    }
  }
}
