import { Injectable } from '@nestjs/common';
import { ChatRepository, type ChatRecord } from '@switchboard/persistence';
import { MessagingException } from './messaging.exception';

/** What never changes about a chat once it exists: safe to keep in memory. */
export type ChatFacts = Pick<ChatRecord, 'id' | 'chatUid' | 'visitorName'>;

/** Most chats whose facts are kept; the oldest entry goes first. */
const FACTS_KEPT = 50_000;

/** Reads the chats a request names, refusing unknown and ended ones. */
@Injectable()
export class ChatLookup {
  private readonly facts = new Map<string, ChatFacts>();

  constructor(private readonly chats: ChatRepository) {}

  async require(chatUid: string): Promise<ChatRecord> {
    const chat = await this.chats.findByUid(chatUid);
    if (!chat) throw new MessagingException('UNKNOWN_CHAT');
    return chat;
  }

  /**
   * The chat's id and fixed fields, from memory after the first read. Says nothing about its state
   * or agent: a write that depends on them states them as its condition, and the database decides.
   */
  async requireFacts(chatUid: string): Promise<ChatFacts> {
    const known = this.facts.get(chatUid);
    if (known) return known;
    const { id, visitorName } = await this.require(chatUid);
    const facts = { id, chatUid, visitorName };
    if (this.facts.size >= FACTS_KEPT) this.facts.delete(this.facts.keys().next().value as string);
    this.facts.set(chatUid, facts);
    return facts;
  }

  /** Forgets a chat's facts (it was deleted, or a write found it gone). */
  forget(chatUid: string): void {
    this.facts.delete(chatUid);
  }

  /** Forgets every chat's facts (a site reload: they are read again on next use). */
  forgetAll(): void {
    this.facts.clear();
  }

  /** The chat, refusing one that has ended. */
  async requireOpen(chatUid: string): Promise<ChatRecord> {
    const chat = await this.require(chatUid);
    if (chat.state === 'closed' || chat.state === 'missed') throw new MessagingException('CHAT_CLOSED');
    return chat;
  }
}
