import { type RoutingEvent, formatSeconds, queueMessage, routingEvent } from './routing-event';
import { hasSkill } from './agent-selection';
import { type AgentSnapshot, AgentStatus, type QueueEntry, type RoutingSettings } from './routing-types';

/** Higher priority first, then first in first out, then lowest chat id: the order chats leave a queue. */
export function compareQueueEntries(left: QueueEntry, right: QueueEntry): number {
  return (
    right.priority - left.priority ||
    left.queuedAt.getTime() - right.queuedAt.getTime() ||
    left.chatId - right.chatId
  );
}

export interface QueuePosition {
  readonly entry: QueueEntry;
  /** 1 = next to be served. */
  readonly position: number;
}

/** The entries of one skill's queue in serving order, with their 1-based positions. */
export function queuePositions(entries: readonly QueueEntry[]): QueuePosition[] {
  return [...entries].sort(compareQueueEntries).map((entry, index) => ({ entry, position: index + 1 }));
}

/** What the expected wait of a skill's queue depends on. */
export interface QueueCapacity {
  /** Online agents with the skill and max chats above 0, busy with chats or not. */
  readonly agentsOnline: number;
  /** Their max concurrent chats added up. */
  readonly chatSlots: number;
  /** Mean handling time of the skill's recent chats, measured by the service. */
  readonly averageHandlingSeconds: number;
}

/** The capacity of `skill`'s queue from the agents' snapshots. */
export function queueCapacity(
  agents: readonly AgentSnapshot[],
  skill: string | null,
  averageHandlingSeconds: number,
): QueueCapacity {
  const suitable = agents.filter(
    (agent) => agent.status === AgentStatus.online && agent.maxChats > 0 && hasSkill(agent, skill),
  );
  const chatSlots = suitable.reduce((slots, agent) => slots + agent.maxChats, 0);
  return { agentsOnline: suitable.length, chatSlots, averageHandlingSeconds };
}

/**
 * Expected wait in seconds of the chat at `position`: every chat slot frees on average once per
 * average handling time, so the n-th chat in line waits about n × handling time ÷ slots.
 * Infinity when there is no slot.
 */
export function expectedWait(position: number, capacity: QueueCapacity): number {
  if (capacity.chatSlots <= 0) return Number.POSITIVE_INFINITY;
  return Math.ceil((position * capacity.averageHandlingSeconds) / capacity.chatSlots);
}

/** QM: the text a queued visitor sees. */
export function positionMessage(position: number, expectedSeconds: number): RoutingEvent {
  if (!Number.isFinite(expectedSeconds)) return queueMessage(`You are number ${position} in the queue.`);
  return queueMessage(
    `You are number ${position} in the queue. Expected wait: ${formatSeconds(expectedSeconds)}.`,
  );
}

export type AdmissionDecision =
  | {
      readonly admitted: true;
      readonly entry: QueueEntry;
      readonly position: number;
      readonly expectedWaitSeconds: number;
      readonly events: readonly RoutingEvent[];
    }
  | {
      readonly admitted: false;
      readonly reason: 'OF' | 'CQM' | 'CQT';
      readonly events: readonly RoutingEvent[];
    };

/**
 * Whether a chat nobody can take right now joins its skill's queue: OF when no suitable agent is
 * online, CQM when the queue is full (or queueing is off), CQT when the expected wait is over the
 * maximum; otherwise CQ and QM with the position and the expected wait.
 */
export function admitToQueue(
  queue: readonly QueueEntry[],
  capacity: QueueCapacity,
  chat: Omit<QueueEntry, 'queuedAt'>,
  settings: RoutingSettings,
  now: Date,
): AdmissionDecision {
  if (capacity.agentsOnline <= 0 || capacity.chatSlots <= 0) {
    return { admitted: false, reason: 'OF', events: [routingEvent('OF')] };
  }
  if (queue.length >= settings.queueMaxLength) {
    return { admitted: false, reason: 'CQM', events: [routingEvent('CQM')] };
  }
  const entry: QueueEntry = { ...chat, queuedAt: now };
  const position = queue.filter((queued) => compareQueueEntries(queued, entry) < 0).length + 1;
  const expectedWaitSeconds = expectedWait(position, capacity);
  const maxWait = settings.queueMaxExpectedWaitSeconds;
  if (maxWait > 0 && expectedWaitSeconds > maxWait) {
    return { admitted: false, reason: 'CQT', events: [routingEvent('CQT')] };
  }
  const events = [
    routingEvent('CQ', { position, expected: formatSeconds(expectedWaitSeconds) }),
    positionMessage(position, expectedWaitSeconds),
  ];
  return { admitted: true, entry, position, expectedWaitSeconds, events };
}

export interface QueueUpdate {
  readonly chatId: number;
  readonly position: number;
  readonly expectedWaitSeconds: number;
  readonly event: RoutingEvent;
}

/** The QM update each queued visitor is sent after the queue moved (or on the periodic refresh). */
export function queueUpdates(entries: readonly QueueEntry[], capacity: QueueCapacity): QueueUpdate[] {
  return queuePositions(entries).map(({ entry, position }) => {
    const expectedWaitSeconds = expectedWait(position, capacity);
    return {
      chatId: entry.chatId,
      position,
      expectedWaitSeconds,
      event: positionMessage(position, expectedWaitSeconds),
    };
  });
}
