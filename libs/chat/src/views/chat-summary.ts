import type { ChatRecord } from '@switchboard/persistence';
import type { ChatSummary, VisitorChatView } from '@switchboard/protocol';

/** The names shown with a chat, resolved (see {@link ChatViews.names}). */
export interface ChatNames {
  readonly siteKey: string;
  readonly skill: string | null;
  readonly agentUsername: string | null;
  readonly agentName: string | null;
}

/** What a chat summary is built from: a stored chat, or a chat as a routing pass reads it. */
export type SummarySource = Pick<
  ChatRecord,
  | 'chatUid'
  | 'channel'
  | 'visitorKey'
  | 'visitorName'
  | 'visitorEmail'
  | 'state'
  | 'lastLineSeq'
  | 'createdAt'
>;

/** The name agents see for a visitor who gave none: the WhatsApp number, or "Visitor" on the web. */
export function visitorNameOf(chat: Pick<ChatRecord, 'channel' | 'visitorKey' | 'visitorName'>): string {
  return chat.visitorName ?? (chat.channel === 'whatsapp' ? `+${chat.visitorKey}` : 'Visitor');
}

/** The chat as agents and the cluster stream see it (queue lists, offers, `queue.added`). */
export function toChatSummary(chat: SummarySource, names: ChatNames): ChatSummary {
  return {
    chatUid: chat.chatUid,
    siteKey: names.siteKey,
    channel: chat.channel,
    visitorName: visitorNameOf(chat),
    visitorEmail: chat.visitorEmail,
    skill: names.skill,
    state: chat.state,
    agentUsername: names.agentUsername,
    lastSequence: chat.lastLineSeq,
    createdAt: chat.createdAt.toISOString(),
  };
}

/** The chat as its visitor sees it. */
export function toVisitorChatView(chat: ChatRecord, names: ChatNames): VisitorChatView {
  return {
    chatUid: chat.chatUid,
    siteKey: names.siteKey,
    state: chat.state,
    agentName: names.agentName,
    lastSequence: chat.lastLineSeq,
  };
}
