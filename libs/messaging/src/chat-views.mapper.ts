import type { OperatorRecord } from '@switchboard/persistence';
import type { AgentView } from '@switchboard/protocol';

export function toAgentView(operator: OperatorRecord): AgentView {
  return {
    username: operator.username,
    displayName: operator.displayName,
    status: operator.status,
    maxChats: operator.maxChats,
    openChats: operator.openChats,
    skills: [...operator.skills],
  };
}
