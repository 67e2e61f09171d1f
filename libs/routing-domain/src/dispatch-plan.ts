import { withoutDecliners } from './agent-selection';
import { distributeChat } from './distribution';
import { compareQueueEntries } from './queue';
import { routingEvent, secondsBetween } from './routing-event';
import type { AgentSnapshot, Decline, QueueEntry, RoutingSettings } from './routing-types';
import type { Offer } from './distribution';

/** A chat the dispatcher may offer now: new (never told it queues) or already waiting in the queue. */
export interface DispatchCandidate extends QueueEntry {
  /** True for a chat that arrived since the last pass: its offer is an AC, not a QAC. */
  readonly isNew: boolean;
  /** Agents who declined this chat before or let its offer expire (see {@link withoutDecliners}). */
  readonly declines?: readonly Decline[];
}

const hasFreeSlot = (agent: AgentSnapshot): boolean => agent.maxChats > 0 && agent.openChats < agent.maxChats;

/**
 * The offers of one dispatch pass, in queue order (priority, then first in first out): each chat
 * goes to the best eligible agent with a free slot (auto) or to every such agent (all), and each
 * offer takes a slot of its agents so later chats go elsewhere. Nothing in manual mode. The agents'
 * `openChats` must already count the offers out now. A new chat's auto offer is AC; a queued
 * chat's is QAC with its wait (auto), or in all mode QON when it goes to one agent and QALL to several. Agents who declined a chat are not asked again
 * during the decline cool-down, and after it only when nobody else can take it.
 */
export function planOffers(
  candidates: readonly DispatchCandidate[],
  agents: readonly AgentSnapshot[],
  settings: RoutingSettings,
  now: Date,
): Offer[] {
  if (settings.distributionMode === 'manual') return [];
  const load = new Map(agents.map((agent) => [agent.id, agent]));
  const offers: Offer[] = [];
  for (const candidate of [...candidates].sort(compareQueueEntries)) {
    const current = [...load.values()];
    // Every slot is taken or offered: later chats cannot be offered either.
    if (!current.some(hasFreeSlot)) break;
    const askable = withoutDecliners(
      current,
      candidate.skill,
      candidate.declines ?? [],
      now,
      settings.declineCooldownSeconds,
    );
    const decision = distributeChat(candidate.chatId, candidate.skill, askable, settings);
    if (decision.kind === 'queue') continue;
    const { agentIds } = decision.offer;
    for (const id of agentIds) {
      const agent = load.get(id);
      if (agent) load.set(id, { ...agent, openChats: agent.openChats + 1 });
    }
    offers.push({
      chatId: candidate.chatId,
      agentIds,
      events: offerEvents(candidate, decision.offer, load, settings, now),
    });
  }
  return offers;
}

function offerEvents(
  candidate: DispatchCandidate,
  offer: Offer,
  agents: ReadonlyMap<number, AgentSnapshot>,
  settings: RoutingSettings,
  now: Date,
): Offer['events'] {
  if (candidate.isNew) return offer.events;
  // A queued chat waits in offer-to-all mode only while nobody eligible has a free slot, so an offer
  // to a single agent goes to the one who just came online or freed a slot (QON); several at once
  // are QALL.
  if (settings.distributionMode === 'all')
    return [routingEvent(offer.agentIds.length === 1 ? 'QON' : 'QALL')];
  const username = agents.get(offer.agentIds[0])?.username ?? '';
  return [routingEvent('QAC', { username, waitedForSecs: secondsBetween(candidate.queuedAt, now) })];
}
