import { Injectable } from '@nestjs/common';
import { createRepositories, type ChatRecord, type Repositories } from '@switchboard/persistence';
import type { ChatSummary } from '@switchboard/protocol';
import { DataSource } from 'typeorm';
import { toChatSummary, type ChatNames } from './chat-views.mapper';
import { MessagingException } from './messaging.exception';

/** Reads chats and the names shown with them (site key, skill, agent). */
@Injectable()
export class ChatLookup {
  readonly repositories: Repositories;

  constructor(dataSource: DataSource) {
    this.repositories = createRepositories(dataSource);
  }

  async require(chatUid: string): Promise<ChatRecord> {
    const chat = await this.repositories.chats.findByUid(chatUid);
    if (!chat) throw new MessagingException('UNKNOWN_CHAT');
    return chat;
  }

  /** The chat, refusing one that has ended. */
  async requireOpen(chatUid: string): Promise<ChatRecord> {
    const chat = await this.require(chatUid);
    if (chat.state === 'closed' || chat.state === 'missed') throw new MessagingException('CHAT_CLOSED');
    return chat;
  }

  async names(chat: ChatRecord): Promise<ChatNames> {
    const { sites, skills, operators } = this.repositories;
    const [site, skill, operator] = await Promise.all([
      sites.findById(chat.siteId),
      chat.skillId === null ? null : skills.findById(chat.skillId),
      chat.operatorId === null ? null : operators.findById(chat.operatorId),
    ]);
    return {
      siteKey: site?.siteKey ?? String(chat.siteId),
      skill: skill?.name ?? null,
      agentUsername: operator?.username ?? null,
      agentName: operator?.displayName ?? null,
    };
  }

  async summary(chat: ChatRecord): Promise<ChatSummary> {
    return toChatSummary(chat, await this.names(chat));
  }
}
