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
} from '@switchboard/protocol';

export interface StateChange {
  readonly chatUid: string;
  readonly state: ChatState;
  readonly agentUsername: string | null;
  readonly agentName: string | null;
  readonly previousAgentUsername?: string | null;
  readonly code: string | null;
  readonly text: string | null;
}

/**
 * Publishes chat events on the cluster stream after the database stored what they describe. A
 * failed publish is logged, not thrown: the data is stored, and clients catch up by sequence.
 */
@Injectable()
export class ChatPublisher {
  private readonly logger = new Logger('ChatPublisher');

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

  queueAdded(chat: ChatSummary): Promise<void> {
    return this.publish({ type: 'queue.added', chat });
  }

  queueRemoved(chatUid: string, reason: string): Promise<void> {
    return this.publish({ type: 'queue.removed', chatUid, reason });
  }

  offerDeclined(chatUid: string, agentUsername: string): Promise<void> {
    return this.publish({ type: 'offer.declined', chatUid, agentUsername });
  }

  agentStatus(agent: AgentView): Promise<void> {
    return this.publish({ type: 'agent.status', agent });
  }

  private async publish(event: ClusterEventBody): Promise<void> {
    try {
      await this.bus.publish(withEnvelope(event, this.settings.nodeId));
    } catch (error) {
      this.logger.error(
        `could not publish ${event.type} (stored; clients catch up on reconnect): ${String(error)}`,
      );
    }
  }
}
