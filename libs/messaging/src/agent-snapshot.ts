import type { OperatorRecord } from '@switchboard/persistence';
import type { AgentSnapshot } from '@switchboard/routing-domain';

/** The agent as the routing decisions see them. */
export const toSnapshot = (agent: OperatorRecord): AgentSnapshot => ({
  id: agent.id,
  username: agent.username,
  status: agent.status,
  maxChats: agent.maxChats,
  openChats: agent.openChats,
  skills: agent.skills,
  idleSince: agent.statusChangedAt,
});
