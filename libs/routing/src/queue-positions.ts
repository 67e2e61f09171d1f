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

// note: every queued visitor's place moves when the head leaves, so telling everyone on every pass
// would publish the whole queue per offer; moves are batched to at most one update a second.
const MOVE_UPDATE_MS = 1000;

/**
 * What each queued visitor was last told (QM): a newly queued visitor is told at once; places that
 * moved, at most once a second; everyone, every `Queue.PositionUpdate.Seconds`. Kept per process: a
 * new instance simply tells everyone once.
 */
@Injectable()
export class QueuePositions {
  private told = new Map<string, string>();
  private lastFullUpdate = 0;
  private lastMoveUpdate = 0;

  changed(
    entries: readonly QueueEntry[],
    agents: readonly AgentSnapshot[],
    chatUids: ReadonlyMap<number, string>,
    config: RoutingConfig,
    now: Date,
    handlingSeconds: (skill: string | null) => number,
  ): PositionUpdate[] {
    const full = now.getTime() - this.lastFullUpdate >= config.positionUpdateSeconds * 1000;
    if (full) this.lastFullUpdate = now.getTime();
    const moves = full || now.getTime() - this.lastMoveUpdate >= MOVE_UPDATE_MS;
    if (moves) this.lastMoveUpdate = now.getTime();
    if (!moves && entries.every((entry) => this.told.has(chatUids.get(entry.chatId) ?? ''))) return [];
    const bySkill = new Map<string | null, QueueEntry[]>();
    for (const entry of entries) {
      const queue = bySkill.get(entry.skill) ?? [];
      queue.push(entry);
      bySkill.set(entry.skill, queue);
    }
    const next = new Map<string, string>();
    const updates: PositionUpdate[] = [];
    for (const [skill, queue] of bySkill) {
      const capacity = queueCapacity(agents, skill, handlingSeconds(skill));
      for (const update of queueUpdates(queue, capacity)) {
        const chatUid = chatUids.get(update.chatId);
        if (chatUid === undefined) continue;
        const expected = Number.isFinite(update.expectedWaitSeconds) ? update.expectedWaitSeconds : null;
        const key = `${update.position}/${expected}`;
        const told = this.told.get(chatUid);
        if (!full && (told === key || (!moves && told !== undefined))) {
          next.set(chatUid, told);
          continue;
        }
        next.set(chatUid, key);
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
