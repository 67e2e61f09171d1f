import { Inject, Injectable, Logger } from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { BOOTSTRAP_SETTINGS, ClusterEventBus } from '@switchboard/platform';
import {
  withEnvelope,
  type AgentView,
  type ChatLineView,
  type ChatState,
  type ChatSummary,
  type ClusterEventBody,
  type ClusterEventOf,
  type LineDelivery,
} from '@switchboard/protocol';

/** A chat changed state or hands (`chat.state`). */
export interface StateChange {
  readonly chatUid: string;
  readonly state: ChatState;
  readonly agentUsername: string | null;
  readonly agentName: string | null;
  readonly previousAgentUsername?: string | null;
  readonly code: string | null;
  readonly text: string | null;
}

/** How a chat ended without an agent's or visitor's action (routing's refusals and timeouts). */
export interface Ending {
  readonly state: 'missed' | 'closed';
  readonly code: string;
  readonly text: string;
  readonly previousAgentUsername?: string | null;
}

/**
 * The chat events of every feature, published on the cluster stream after the database stored what
 * they describe. Publishing only queues the event in the bus's outbox (published in order, retried
 * until it is stored): an acknowledgement depends on the database commit, never on the cluster, so a
 * stalled member delays the fan-out, not the answers. A refused publish (the outbox is full) is
 * logged, not thrown: the data is stored, readers catch up from the database.
 */
@Injectable()
export class ChatEvents {
  private readonly logger = new Logger('ChatEvents');

  constructor(
    private readonly bus: ClusterEventBus,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  line(line: ChatLineView): Promise<void> {
    return this.publish({ type: 'chat.line', line });
  }

  typing(chatUid: string, by: 'visitor' | 'operator', typing: boolean): Promise<void> {
    return this.publish({ type: 'chat.typing', chatUid, by, typing });
  }

  state(change: StateChange): Promise<void> {
    return this.publish({ type: 'chat.state', previousAgentUsername: null, ...change });
  }

  /**
   * The chat ended without an agent's or visitor's action: `missed` without an agent (OO, OF, CQM,
   * CQT, QTO, or a timeout while waiting) or `closed` by a timeout (ST, VT). The visitor sees `text`;
   * agents drop a missed chat from the waiting list.
   */
  async ended(chatUid: string, ending: Ending): Promise<void> {
    await this.state({ chatUid, agentUsername: null, agentName: null, ...ending });
    if (ending.state === 'missed') await this.queueRemoved(chatUid, ending.code);
  }

  queueAdded(chat: ChatSummary): Promise<void> {
    return this.publish({ type: 'queue.added', chat });
  }

  queueRemoved(chatUid: string, reason: string): Promise<void> {
    return this.publish({ type: 'queue.removed', chatUid, reason });
  }

  positions(positions: ClusterEventOf<'queue.positions'>['positions']): Promise<void> {
    return this.publish({ type: 'queue.positions', positions });
  }

  offer(offer: Omit<ClusterEventOf<'chat.offer'>, 'type' | 'origin' | 'at'>): Promise<void> {
    return this.publish({ type: 'chat.offer', ...offer });
  }

  offerDeclined(chatUid: string, agentUsername: string): Promise<void> {
    return this.publish({ type: 'offer.declined', chatUid, agentUsername });
  }

  agentStatus(agent: AgentView): Promise<void> {
    return this.publish({ type: 'agent.status', agent });
  }

  delivery(delivery: LineDelivery): Promise<void> {
    return this.publish({ type: 'chat.delivery', delivery });
  }

  /** Queues `event` with this node's envelope for publication; logs, never throws, when it is refused. */
  publish(event: ClusterEventBody): Promise<void> {
    this.bus.publish(withEnvelope(event, this.settings.nodeId)).catch((error: unknown) => {
      this.logger.error(
        `could not publish ${event.type} (stored; readers catch up from the database): ${(error as Error).message}`,
      );
    });
    return Promise.resolve();
  }
}
