import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { BOOTSTRAP_SETTINGS, ClusterEventBus } from '@switchboard/platform';
import {
  withEnvelope,
  type ChatLineView,
  type ChatSummary,
  type ClusterEventBody,
  type ClusterEventOf,
} from '@switchboard/protocol';

/**
 * Routing's side of the cluster stream: what it decided, published after the database stored it.
 * A failed publish is logged, not thrown: the next pass (or a client's reconnect) reads the database.
 */
@Injectable()
export class RoutingPublisher {
  private readonly logger = new Logger('RoutingPublisher');

  constructor(
    private readonly bus: ClusterEventBus,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  /**
   * Routing ended the chat: `missed` without an agent (OO, OF, CQM, CQT, QTO, or a timeout while
   * waiting) or `closed` by a timeout (ST, VT). The visitor sees `text`; agents drop a missed chat.
   */
  async ended(
    chatUid: string,
    ending: { state: 'missed' | 'closed'; code: string; text: string; previousAgentUsername?: string | null },
  ): Promise<void> {
    await this.publish({
      type: 'chat.state',
      chatUid,
      agentUsername: null,
      agentName: null,
      previousAgentUsername: null,
      ...ending,
    });
    if (ending.state === 'missed')
      await this.publish({ type: 'queue.removed', chatUid, reason: ending.code });
  }

  offer(offer: Omit<ClusterEventOf<'chat.offer'>, 'type' | 'origin' | 'at'>): Promise<void> {
    return this.publish({ type: 'chat.offer', ...offer });
  }

  positions(positions: ClusterEventOf<'queue.positions'>['positions']): Promise<void> {
    return this.publish({ type: 'queue.positions', positions });
  }

  /** A line routing stored (a rule's message to the visitor). */
  line(line: ChatLineView): Promise<void> {
    return this.publish({ type: 'chat.line', line });
  }

  /** A chat entered the waiting list (after a transfer to another site, for instance). */
  queueAdded(chat: ChatSummary): Promise<void> {
    return this.publish({ type: 'queue.added', chat });
  }

  private async publish(event: ClusterEventBody): Promise<void> {
    try {
      await this.bus.publish(withEnvelope(event, this.settings.nodeId));
    } catch (error) {
      this.logger.error(
        `could not publish ${event.type} (stored; the next pass republishes what matters): ${String(error)}`,
      );
    }
  }
}
