import type { ChatRecord } from '@switchboard/persistence';
import type { ChatSummary } from '@switchboard/protocol';

/** The summary a messenger publishes with `queue.added` for a chat it just opened (for drivers of routing). */
export function waitingSummary(chat: ChatRecord): ChatSummary {
  return {
    chatUid: chat.chatUid,
    siteKey: String(chat.siteId),
    channel: chat.channel,
    visitorName: chat.visitorName ?? 'Visitor',
    visitorEmail: chat.visitorEmail,
    skill: null,
    state: chat.state,
    agentUsername: null,
    lastSequence: chat.lastLineSeq,
    createdAt: chat.createdAt.toISOString(),
  };
}
