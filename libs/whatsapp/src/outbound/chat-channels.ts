import type { ChatRecord, ChatRepository } from '@switchboard/persistence';

/** How many chats a connector remembers the channel of (oldest forgotten first). */
const CHAT_CHANNEL_MEMO_SIZE = 10_000;

export interface WhatsappChatRef {
  readonly id: number;
}

/**
 * Which chats are WhatsApp chats, read once per chat: a chat's channel never changes, so the
 * connector, which hears every agent line of every chat on the stream, asks the database once per
 * chat instead of once per line (web chats are most of them and need nothing from it).
 */
export class ChatChannels {
  /** chatUid → the chat's id when it is a WhatsApp chat, null when it is not. */
  private readonly known = new Map<string, WhatsappChatRef | null>();

  constructor(private readonly chats: ChatRepository) {}

  /** The chat when it is a WhatsApp chat; null for another channel or an unknown chat. */
  async whatsappChat(chatUid: string): Promise<WhatsappChatRef | null> {
    const known = this.known.get(chatUid);
    if (known !== undefined) return known;
    const chat = await this.chats.findByUid(chatUid);
    // note: an unknown chat is not remembered; it is asked again if another of its lines comes.
    if (chat) this.remember(chatUid, chat);
    return chat?.channel === 'whatsapp' ? { id: chat.id } : null;
  }

  private remember(chatUid: string, chat: ChatRecord): void {
    if (this.known.size >= CHAT_CHANNEL_MEMO_SIZE) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
    this.known.set(chatUid, chat.channel === 'whatsapp' ? { id: chat.id } : null);
  }
}
