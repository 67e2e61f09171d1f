import { Injectable } from '@nestjs/common';
import {
  ChatRepository,
  ChatVariableRepository,
  type ChatRecord,
  type OpenChatInput,
  type OpenChatResult,
} from '@switchboard/persistence';
import { ChatEvents } from '../events/chat-events.service';
import { ChatViews } from '../views/chat-views.service';

/**
 * How a chat comes in, on the web and on WhatsApp alike: it is opened (one open chat per visitor and
 * site: the database's unique key decides), stored with its variables, then announced to the ACD
 * with `queue.added` once the channel has stored what the agents should see first.
 */
@Injectable()
export class ChatIntake {
  constructor(
    private readonly chats: ChatRepository,
    private readonly chatVariables: ChatVariableRepository,
    private readonly views: ChatViews,
    private readonly events: ChatEvents,
  ) {}

  /** Opens the visitor's chat; a new one gets `variables`, an open one is returned as it is. */
  async open(
    input: OpenChatInput,
    variables: Readonly<Record<string, string>> = {},
  ): Promise<OpenChatResult> {
    const opened = await this.chats.open(input);
    if (opened.outcome === 'created')
      for (const [name, value] of Object.entries(variables))
        await this.chatVariables.set(opened.chat.id, name, value);
    return opened;
  }

  /** Tells the ACD that the chat waits (`queue.added`); harmless when said twice. */
  async announce(chat: ChatRecord | number): Promise<void> {
    const record = typeof chat === 'number' ? await this.chats.findById(chat) : chat;
    if (record) await this.events.queueAdded(await this.views.summary(record));
  }
}
