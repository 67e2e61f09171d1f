import { type IneligibilityReason, ineligibilityReason } from './agent-selection';
import { queuePositions } from './queue';
import { type RoutingEvent, routingEvent, secondsBetween } from './routing-event';
import type { AgentSnapshot, QueueEntry } from './routing-types';

export type ManualPickupDecision =
  | { readonly picked: true; readonly entry: QueueEntry; readonly events: readonly RoutingEvent[] }
  | { readonly picked: false; readonly reason: IneligibilityReason | 'not-queued' };

/**
 * An agent takes a chat from the queue by hand: QR with its position and wait, then QMAN. Refused
 * when the chat is no longer queued or the agent may not take it (the reason says why).
 */
export function pickFromQueue(
  entries: readonly QueueEntry[],
  chatId: number,
  agent: AgentSnapshot,
  now: Date,
): ManualPickupDecision {
  const queued = queuePositions(entries).find(({ entry }) => entry.chatId === chatId);
  if (queued === undefined) return { picked: false, reason: 'not-queued' };
  const reason = ineligibilityReason(agent, queued.entry.skill);
  if (reason !== null) return { picked: false, reason };
  const { username } = agent;
  const seconds = secondsBetween(queued.entry.queuedAt, now);
  return {
    picked: true,
    entry: queued.entry,
    events: [
      routingEvent('QR', { username, position: queued.position, seconds }),
      routingEvent('QMAN', { username }),
    ],
  };
}

/**
 * OP when the agent's conditional assignment in the database won, OPF when another agent had taken
 * the chat first. The database decides; this only names the outcome.
 */
export function pickupEvent(username: string, assignmentWon: boolean): RoutingEvent {
  return routingEvent(assignmentWon ? 'OP' : 'OPF', { username });
}
