import type { ChatRecord, OperatorRecord } from '@switchboard/persistence';
import type { AgentView, ChatSummary, VisitorChatView } from '@switchboard/protocol';

export { toLineView, webLineKey } from '@switchboard/persistence';

export interface ChatNames {
  readonly siteKey: string;
  readonly skill: string | null;
  readonly agentUsername: string | null;
  readonly agentName: string | null;
}

export function toChatSummary(chat: ChatRecord, names: ChatNames): ChatSummary {
  return {
    chatUid: chat.chatUid,
    siteKey: names.siteKey,
    channel: chat.channel,
    visitorName: chat.visitorName ?? 'Visitor',
    visitorEmail: chat.visitorEmail,
    skill: names.skill,
    state: chat.state,
    agentUsername: names.agentUsername,
    lastSequence: chat.lastLineSeq,
    createdAt: chat.createdAt.toISOString(),
  };
}

export function toVisitorChatView(chat: ChatRecord, names: ChatNames): VisitorChatView {
  return {
    chatUid: chat.chatUid,
    siteKey: names.siteKey,
    state: chat.state,
    agentName: names.agentName,
    lastSequence: chat.lastLineSeq,
  };
}

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
