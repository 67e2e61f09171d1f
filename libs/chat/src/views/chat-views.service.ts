import { Injectable } from '@nestjs/common';
import { ChatRepository, type ChatRecord } from '@switchboard/persistence';
import type { ChatSummary, VisitorChatView } from '@switchboard/protocol';
import { toChatSummary, toVisitorChatView, type ChatNames } from './chat-summary';

/** The chat read model: a stored chat with the names shown beside it, read in one joined query. */
@Injectable()
export class ChatViews {
  constructor(private readonly chats: ChatRepository) {}

  /** Site key (its id when the site is gone), skill, and agent of the chat. */
  async names(chat: ChatRecord): Promise<ChatNames> {
    const names = await this.chats.names(chat);
    return { ...names, siteKey: names.siteKey ?? String(chat.siteId) };
  }

  async summary(chat: ChatRecord): Promise<ChatSummary> {
    return toChatSummary(chat, await this.names(chat));
  }

  async visitorView(chat: ChatRecord): Promise<VisitorChatView> {
    return toVisitorChatView(chat, await this.names(chat));
  }
}
