import { toChatSummary } from '@switchboard/chat';
import type { ChatRecord } from '@switchboard/persistence';
import type { ChatSummary } from '@switchboard/protocol';

/** The summary a messenger publishes with `queue.added` for a chat it just opened (for drivers of routing). */
export function waitingSummary(chat: ChatRecord): ChatSummary {
  return toChatSummary(chat, {
    siteKey: String(chat.siteId),
    skill: null,
    agentUsername: null,
    agentName: null,
  });
}
