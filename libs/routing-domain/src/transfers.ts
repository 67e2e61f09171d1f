import {
  chooseAgent,
  eligibleAgents,
  type IneligibilityReason,
  ineligibilityReason,
} from './agent-selection';
import { type RoutingEvent, routingEvent } from './routing-event';
import type { AgentSnapshot, RoutingSettings } from './routing-types';

export type TransferDecision =
  | { readonly transferred: true; readonly agentId: number | null; readonly events: readonly RoutingEvent[] }
  | { readonly transferred: false; readonly reason: string; readonly events: readonly RoutingEvent[] };

function failed(reason: string, leading: RoutingEvent[] = []): TransferDecision {
  return { transferred: false, reason, events: [...leading, routingEvent('TFEF')] };
}

function sentTo(target: AgentSnapshot, label: string, settings: RoutingSettings): TransferDecision {
  const events = [routingEvent('TFER', { targets: label })];
  // In auto mode the transfer goes out as an auto pickup request, as the glossary's TAC.
  if (settings.distributionMode === 'auto') events.push(routingEvent('TAC', { username: target.username }));
  return { transferred: true, agentId: target.id, events };
}

/** Transfer to a named agent, who must be able to take a chat (skills are not required): TFER (+TAC), or TFEF. */
export function transferToAgent(
  currentAgentId: number,
  target: AgentSnapshot,
  settings: RoutingSettings,
): TransferDecision {
  if (target.id === currentAgentId) return failed('same-agent');
  const reason: IneligibilityReason | null = ineligibilityReason(target, null);
  if (reason !== null) return failed(reason);
  return sentTo(target, target.username, settings);
}

/** Transfer to the best agent with `skill`, other than the current one: TFER (+TAC), or TFEF. */
export function transferToSkill(
  currentAgentId: number,
  skill: string,
  agents: readonly AgentSnapshot[],
  settings: RoutingSettings,
): TransferDecision {
  const target = chooseAgent(eligibleAgents(agents, skill).eligible, new Set([currentAgentId]));
  if (target === null) return failed('no-agent-with-skill');
  return sentTo(target, skill, settings);
}

/**
 * Transfer to another site: TRSS, then TFER to the target site when it takes chats now (open and
 * an agent online), else TRSF and TFEF. The chat then routes on the target site as a new request.
 */
export function transferToSite(
  fromDomain: string,
  toDomain: string,
  targetSiteTakesChats: boolean,
): TransferDecision {
  const attempt = routingEvent('TRSS', { domain: fromDomain, newdomain: toDomain });
  if (!targetSiteTakesChats) {
    return failed('site-not-taking-chats', [
      attempt,
      routingEvent('TRSF', { domain: fromDomain, newdomain: toDomain }),
    ]);
  }
  return { transferred: true, agentId: null, events: [attempt, routingEvent('TFER', { targets: toDomain })] };
}

export type AcquireDecision =
  | { readonly acquired: true; readonly events: readonly RoutingEvent[] }
  | { readonly acquired: false; readonly reason: 'not-active' | 'own-chat' | IneligibilityReason };

/** An agent takes over another agent's active chat (ACQ); the acquirer needs a free slot. */
export function acquireChat(
  chat: { readonly state: string; readonly agentId: number | null },
  acquirer: AgentSnapshot,
): AcquireDecision {
  if (chat.state !== 'active' || chat.agentId === null) return { acquired: false, reason: 'not-active' };
  if (chat.agentId === acquirer.id) return { acquired: false, reason: 'own-chat' };
  const reason = ineligibilityReason(acquirer, null);
  if (reason !== null) return { acquired: false, reason };
  return { acquired: true, events: [routingEvent('ACQ', { username: acquirer.username })] };
}
