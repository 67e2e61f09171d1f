import type { ChatLineRecord, ChatRecord, OperatorRecord } from '@switchboard/persistence';
import type { AgentView, ChatLineView, ChatSummary, VisitorChatView } from '@switchboard/protocol';

/** Web lines keep the sender's clientMessageId in the line's unique external id, scoped by chat. */
export function webLineKey(chatId: number, clientMessageId: string): string {
  return `web:${chatId}:${clientMessageId}`;
}

export function toLineView(chatUid: string, line: ChatLineRecord): ChatLineView {
  const webKey = line.externalMessageId?.match(/^web:\d+:(.+)$/);
  return {
    chatUid,
    sequence: line.sequence,
    sender: line.senderKind,
    senderName: line.senderName,
    text: line.text,
    at: line.createdAt.toISOString(),
    clientMessageId: webKey ? webKey[1] : null,
  };
}

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
