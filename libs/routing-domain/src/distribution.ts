import { chooseAgent, compareAgents, eligibleAgents } from './agent-selection';
import { type RoutingEvent, queueMessage, routingEvent, secondsBetween } from './routing-event';
import type { AgentSnapshot, RoutingSettings } from './routing-types';

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
 * to the best eligible agent (AC); all offers it to every eligible agent (QALL, or QON when there
 * is one); manual always queues.
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
    // note: the glossary has no code of its own for a new chat sent to everyone; it is taken in through
    // the queue, so it gets the queue's: QALL to several agents, QON to one.
    const events = [routingEvent(agentIds.length === 1 ? 'QON' : 'QALL')];
    return { kind: 'offer', offer: { chatId, agentIds, events } };
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
  /**
   * Why the request is over: it went unanswered or was declined (`timeout`), or every agent it was
   * out to left Chat status before answering (`dropout`: their client dropped out). @default 'timeout'
   */
  readonly ended?: 'timeout' | 'dropout';
}

export const backToQueueText = 'No agent accepted the chat in time; it is back in the queue.';

/**
 * After the accept timeout: retry with the next best agent not yet asked (ACR) while retries are left
 * (`ACD.Chat.AutoPickup.MaxRetries` retries after the first request), else back to the queue (QM).
 * A request whose agents all dropped out is sent on at once as the glossary's "auto pickup request
 * from waiting chat" (WAC) instead of a retry.
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
  const events = [routingEvent(pending.ended === 'dropout' ? 'WAC' : 'ACR', { username: next.username })];
  return {
    kind: 'offer',
    offer: { chatId: pending.chatId, agentIds: [...pending.askedAgentIds, next.id], events },
  };
}
