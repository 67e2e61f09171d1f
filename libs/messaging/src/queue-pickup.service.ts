import { Injectable } from '@nestjs/common';
import {
  type ChatRecord,
  type OperatorRecord,
  ChatRepository,
  ChatRoutingRepository,
} from '@switchboard/persistence';
import { pickFromQueue, type RoutingEvent } from '@switchboard/routing-domain';
import { toSnapshot } from './agent-snapshot';
import { MessagingException } from './messaging.exception';

/**
 * A chat taken from the queue by hand: QR (its position in its skill's queue and the seconds it
 * waited) and QMAN, stored with the agent's OP in the assignment's transaction.
 */
@Injectable()
export class QueuePickup {
  constructor(
    private readonly chats: ChatRepository,
    private readonly chatRouting: ChatRoutingRepository,
  ) {}

  /** QR and QMAN when `chat` waits in the queue now; none for a chat routing has not queued. */
  async events(chat: ChatRecord, agent: OperatorRecord, now: Date): Promise<RoutingEvent[]> {
    if (chat.state !== 'queued') return [];
    const { skill } = await this.chats.names(chat);
    // note: the whole queue is read to place the chat in it, as a routing pass does; a manual pickup
    // is a person's click, rare next to the passes.
    const entries = (await this.chatRouting.routable())
      .filter((queued) => queued.state === 'queued' && queued.skillId === chat.skillId)
      .map((queued) => ({
        chatId: queued.id,
        skill,
        priority: queued.priority,
        queuedAt: queued.routing?.queuedAt ?? queued.createdAt,
      }));
    const decision = pickFromQueue(entries, chat.id, toSnapshot(agent), now);
    if (decision.picked) return [...decision.events];
    if (decision.reason === 'missing-skill')
      throw new MessagingException(
        'NOT_ELIGIBLE',
        `This chat waits for the skill "${skill}", which you do not have; leave it to an agent who has it.`,
      );
    // Not in the queue any more (taken or moved meanwhile), or a capacity the database decides on.
    return [];
  }
}
