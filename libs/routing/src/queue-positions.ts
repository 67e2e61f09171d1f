import { Injectable } from '@nestjs/common';
import type { ClusterEventOf } from '@switchboard/protocol';
import {
  queueCapacity,
  queueUpdates,
  type AgentSnapshot,
  type QueueEntry,
} from '@switchboard/routing-domain';
import type { RoutingConfig } from './routing-settings';

type PositionUpdate = ClusterEventOf<'queue.positions'>['positions'][number];

/**
 * What each queued visitor was last told (QM): a pass publishes only the places that changed, and
 * everything every `Queue.PositionUpdate.Seconds`. Kept per process: a new instance simply tells
 * everyone once.
 */
@Injectable()
export class QueuePositions {
  private told = new Map<string, string>();
  private lastFullUpdate = 0;

  changed(
    entries: readonly QueueEntry[],
    agents: readonly AgentSnapshot[],
    chatUids: ReadonlyMap<number, string>,
    config: RoutingConfig,
    now: Date,
    averageHandlingSeconds: number,
  ): PositionUpdate[] {
    const full = now.getTime() - this.lastFullUpdate >= config.positionUpdateSeconds * 1000;
    if (full) this.lastFullUpdate = now.getTime();
    const bySkill = new Map<string | null, QueueEntry[]>();
    for (const entry of entries) {
      const queue = bySkill.get(entry.skill) ?? [];
      queue.push(entry);
      bySkill.set(entry.skill, queue);
    }
    const next = new Map<string, string>();
    const updates: PositionUpdate[] = [];
    for (const [skill, queue] of bySkill) {
      const capacity = queueCapacity(agents, skill, averageHandlingSeconds);
      for (const update of queueUpdates(queue, capacity)) {
        const chatUid = chatUids.get(update.chatId);
        if (chatUid === undefined) continue;
        const expected = Number.isFinite(update.expectedWaitSeconds) ? update.expectedWaitSeconds : null;
        const key = `${update.position}/${expected}`;
        next.set(chatUid, key);
        if (!full && this.told.get(chatUid) === key) continue;
        updates.push({
          chatUid,
          position: update.position,
          expectedWaitSeconds: expected,
          text: update.event.text,
        });
      }
    }
    this.told = next;
    return updates;
  }
}
