import { chooseAgent, compareAgents, eligibleAgents } from './agent-selection';
import { compareQueueEntries } from './queue';
import { type RoutingEvent, queueMessage, routingEvent, secondsBetween } from './routing-event';
import type { AgentSnapshot, QueueEntry, RoutingSettings } from './routing-types';

/** A chat offered to agents: one (auto pickup) or several (offer to all). */
export interface Offer {
  readonly chatId: number;
  readonly agentIds: readonly number[];
  readonly events: readonly RoutingEvent[];
}

export type DistributionDecision =
  | { readonly kind: 'offer'; readonly offer: Offer }
  | { readonly kind: 'queue'; readonly events: readonly RoutingEvent[] };

/**
 * Who a new chat is offered to, by `ACD.Chat.Distribution.Mode`: auto sends an auto pickup request
 * to the best eligible agent (AC); all offers it to every eligible agent; manual always queues.
 * Queue when nobody is eligible (the caller then runs `admitToQueue`).
 */
export function distributeChat(
  chatId: number,
  skill: string | null,
  agents: readonly AgentSnapshot[],
  settings: RoutingSettings,
): DistributionDecision {
  const { eligible } = eligibleAgents(agents, skill);
  const best = chooseAgent(eligible);
  if (best === null || settings.distributionMode === 'manual') return { kind: 'queue', events: [] };
  if (settings.distributionMode === 'all') {
    const agentIds = [...eligible].sort(compareAgents).map((agent) => agent.id);
    return { kind: 'offer', offer: { chatId, agentIds, events: [] } };
  }
  const events = [routingEvent('AC', { username: best.username })];
  return { kind: 'offer', offer: { chatId, agentIds: [best.id], events } };
}

/** True once an auto pickup request offered at `offeredAt` has gone unanswered for the accept timeout. */
export function offerTimedOut(offeredAt: Date, settings: RoutingSettings, now: Date): boolean {
  return secondsBetween(offeredAt, now) >= settings.acceptTimeoutSeconds;
}

/** An unanswered auto pickup request: who has been asked so far. */
export interface PendingOffer {
  readonly chatId: number;
  readonly skill: string | null;
  /** Every agent asked, the first request included. */
  readonly askedAgentIds: readonly number[];
}

export const backToQueueText = 'No agent accepted the chat in time; it is back in the queue.';

/**
 * After the accept timeout: retry with the next best agent not yet asked (ACR) while retries are left
 * (`ACD.Chat.AutoPickup.MaxRetries` retries after the first request), else back to the queue (QM).
 */
export function nextOfferAfterTimeout(
  pending: PendingOffer,
  agents: readonly AgentSnapshot[],
  settings: RoutingSettings,
): DistributionDecision {
  const retriesDone = pending.askedAgentIds.length - 1;
  const next =
    retriesDone < settings.maxRetries
      ? chooseAgent(eligibleAgents(agents, pending.skill).eligible, new Set(pending.askedAgentIds))
      : null;
  if (next === null) return { kind: 'queue', events: [queueMessage(backToQueueText)] };
  const events = [routingEvent('ACR', { username: next.username })];
  return {
    kind: 'offer',
    offer: { chatId: pending.chatId, agentIds: [...pending.askedAgentIds, next.id], events },
  };
}

/**
 * An agent came online or freed a slot: the queued chats they can take, in queue order, up to
 * their free slots. Auto mode sends auto pickup requests (QAC with the wait), all mode offers each
 * chat to them (QON); manual mode leaves the queue to the agents (QR/QMAN via `pickFromQueue`).
 */
export function drainQueue(
  entries: readonly QueueEntry[],
  freedAgent: AgentSnapshot,
  settings: RoutingSettings,
  now: Date,
): Offer[] {
  if (settings.distributionMode === 'manual') return [];
  const freeSlots = Math.max(0, freedAgent.maxChats - freedAgent.openChats);
  const takeable = [...entries]
    .sort(compareQueueEntries)
    .filter((entry) => eligibleAgents([freedAgent], entry.skill).eligible.length === 1)
    .slice(0, freeSlots);
  return takeable.map((entry) => ({
    chatId: entry.chatId,
    agentIds: [freedAgent.id],
    events: [
      settings.distributionMode === 'auto'
        ? routingEvent('QAC', {
            username: freedAgent.username,
            waitedForSecs: secondsBetween(entry.queuedAt, now),
          })
        : routingEvent('QON'),
    ],
  }));
}

/** The queue's head offered to every eligible agent at once (offer-to-all mode): QALL. */
export function offerQueueHeadToAll(
  entries: readonly QueueEntry[],
  agents: readonly AgentSnapshot[],
): Offer | null {
  const [head] = [...entries].sort(compareQueueEntries);
  if (head === undefined) return null;
  const eligible = eligibleAgents(agents, head.skill).eligible;
  if (eligible.length === 0) return null;
  const agentIds = [...eligible].sort(compareAgents).map((agent) => agent.id);
  return { chatId: head.chatId, agentIds, events: [routingEvent('QALL')] };
}
