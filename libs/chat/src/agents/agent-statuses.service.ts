import { Injectable } from '@nestjs/common';
import {
  AgentPresenceRepository,
  OperatorRepository,
  type AgentStatusReason,
  type LapseGuard,
  type OperatorRecord,
} from '@switchboard/persistence';
import type { AgentStatus, AgentView } from '@switchboard/protocol';
import { ChatEvents } from '../events/chat-events.service';

/** The agent as consoles and the cluster stream show them; `reason` when it reports a status change. */
export function toAgentView(operator: OperatorRecord, reason?: AgentStatusReason): AgentView {
  return {
    username: operator.username,
    displayName: operator.displayName,
    status: operator.status,
    maxChats: operator.maxChats,
    openChats: operator.openChats,
    skills: [...operator.skills],
    ...(reason === undefined ? {} : { reason }),
  };
}

/**
 * Every change of an agent's status, whoever makes it (the agent, a log-out, routing's presence
 * sweep): stored with its reason in `agent_status_events` in the same transaction, then published as
 * `agent.status` so routing re-plans (offers out to an agent leaving Chat move on) and every node
 * pushes `agent:status` to the agent's connections and moves them in or out of the waiting list.
 */
@Injectable()
export class AgentStatuses {
  constructor(
    private readonly presence: AgentPresenceRepository,
    private readonly operators: OperatorRepository,
    private readonly publisher: ChatEvents,
  ) {}

  /** The agent after the change, or null when nothing changed (same status, no such agent, `guard` no longer holds). */
  async change(
    operatorId: number,
    status: AgentStatus,
    reason: AgentStatusReason,
    at = new Date(),
    guard?: LapseGuard,
  ): Promise<AgentView | null> {
    const changed = await this.presence.changeStatus(operatorId, status, reason, at, guard);
    if (changed === null) return null;
    const agent = await this.operators.findById(operatorId);
    if (agent === null) return null;
    const view = toAgentView(agent, reason);
    await this.publisher.agentStatus(view);
    return view;
  }
}
