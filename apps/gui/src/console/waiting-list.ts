import type { ChatSummary } from '@switchboard/protocol';

/** The chats waiting for an agent, oldest first, each once: fed by queue:list, queue:added and queue:removed. */
export class WaitingList {
  private readonly chats = new Map<string, ChatSummary>();

  replace(chats: readonly ChatSummary[]): void {
    this.chats.clear();
    chats.forEach((chat) => this.chats.set(chat.chatUid, chat));
  }

  add(chat: ChatSummary): void {
    this.chats.set(chat.chatUid, chat);
  }

  remove(chatUid: string): void {
    this.chats.delete(chatUid);
  }

  ordered(): ChatSummary[] {
    return [...this.chats.values()].sort(
      (left, right) =>
        left.createdAt.localeCompare(right.createdAt) || left.chatUid.localeCompare(right.chatUid),
    );
  }
}
