import { secondsBetween } from './routing-event';
import { type AgentSnapshot, AgentStatus, type Decline } from './routing-types';

/** Why an agent gets no chat, in the order they are checked; views show it. */
export type IneligibilityReason = 'status-not-online' | 'max-chats-zero' | 'at-capacity' | 'missing-skill';

export interface ExcludedAgent {
  readonly agent: AgentSnapshot;
  readonly reason: IneligibilityReason;
}

export interface Eligibility {
  readonly eligible: readonly AgentSnapshot[];
  readonly excluded: readonly ExcludedAgent[];
}

/** Whether an agent has `skill`; a chat without a skill (null) suits every agent. */
export function hasSkill(agent: AgentSnapshot, skill: string | null): boolean {
  return skill === null || agent.skills.includes(skill);
}

/** The first reason this agent may not get a chat asking for `skill`, or null when it may. */
export function ineligibilityReason(agent: AgentSnapshot, skill: string | null): IneligibilityReason | null {
  if (agent.status !== AgentStatus.online) return 'status-not-online';
  if (agent.maxChats <= 0) return 'max-chats-zero';
  if (agent.openChats >= agent.maxChats) return 'at-capacity';
  if (!hasSkill(agent, skill)) return 'missing-skill';
  return null;
}

/** Splits agents into those who may get a chat asking for `skill` and the rest, with a reason each. */
export function eligibleAgents(agents: readonly AgentSnapshot[], skill: string | null): Eligibility {
  const eligible: AgentSnapshot[] = [];
  const excluded: ExcludedAgent[] = [];
  for (const agent of agents) {
    const reason = ineligibilityReason(agent, skill);
    if (reason === null) eligible.push(agent);
    else excluded.push({ agent, reason });
  }
  return { eligible, excluded };
}

/**
 * The agents a chat may still be offered to. An agent who declined it (or let its offer expire) less
 * than `cooldownSeconds` ago is left out, even when nobody else can take it: the chat waits in the
 * queue, keeping its place, instead of coming back to them every pass. After the cool-down they are
 * still left out while another online agent can take its skill (max chats above 0, busy or not: the
 * chat waits for them); when every such agent declined it, they are asked again, so that the chat is
 * not left to expire in the queue with no one to ask.
 */
export function withoutDecliners(
  agents: readonly AgentSnapshot[],
  skill: string | null,
  declines: readonly Decline[],
  now: Date,
  cooldownSeconds: number,
): readonly AgentSnapshot[] {
  if (declines.length === 0) return agents;
  const coolingDown = new Set(
    declines.filter(({ at }) => secondsBetween(at, now) < cooldownSeconds).map(({ agentId }) => agentId),
  );
  const declined = new Set(declines.map(({ agentId }) => agentId));
  const askable = agents.filter((agent) => !coolingDown.has(agent.id));
  const others = askable.filter((agent) => !declined.has(agent.id));
  const someoneElse = others.some(
    (agent) => agent.status === AgentStatus.online && agent.maxChats > 0 && hasSkill(agent, skill),
  );
  return someoneElse ? others : askable;
}

const idleRank = (agent: AgentSnapshot): number => agent.idleSince?.getTime() ?? Number.NEGATIVE_INFINITY;

/** Least busy first, then longest idle, then lowest id: a total order, so every node picks alike. */
export function compareAgents(left: AgentSnapshot, right: AgentSnapshot): number {
  return left.openChats - right.openChats || idleRank(left) - idleRank(right) || left.id - right.id;
}

/**
 * The best of `eligible` not in `excludedIds` (agents already asked, e.g. on an ACR retry):
 * the fewest open chats, then the longest idle, then the lowest id. Null when none is left.
 */
export function chooseAgent(
  eligible: readonly AgentSnapshot[],
  excludedIds: ReadonlySet<number> = new Set(),
): AgentSnapshot | null {
  const candidates = eligible.filter((agent) => !excludedIds.has(agent.id));
  if (candidates.length === 0) return null;
  return candidates.reduce((best, agent) => (compareAgents(agent, best) < 0 ? agent : best));
}
