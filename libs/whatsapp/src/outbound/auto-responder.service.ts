import { Inject, Injectable } from '@nestjs/common';
import type { ChatRecord } from '@switchboard/persistence';
import { ClusterEventBus } from '@switchboard/platform';
import { chatConnectorOf } from '../inbound/connector-number';
import { WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';
import { WhatsappPublisher } from '../whatsapp-publisher';
import { WhatsappStore } from '../whatsapp-store';
import { autoResponseText, type AutoResponse } from './auto-responses';
import { OutboundSender } from './outbound-sender.service';

/**
 * The connector's own answers, in the chat connector's language: a greeting when a customer's
 * message opens a chat, a goodbye when the chat ends. Each is a system line of the chat (the agent
 * sees it), stored once per chat (a unique key, however many connectors hear the event) and sent
 * through the same ordered, retried outbound queue as agents' lines.
 */
@Injectable()
export class AutoResponder {
  constructor(
    bus: ClusterEventBus,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
    private readonly store: WhatsappStore,
    private readonly publisher: WhatsappPublisher,
    private readonly sender: OutboundSender,
  ) {
    bus.on('chat.state', async ({ chatUid, state }) => {
      if (state !== 'closed' && state !== 'missed') return;
      const chat = await this.store.repositories.chats.findByUid(chatUid);
      if (chat?.channel === 'whatsapp') await this.send(chat, 'closed');
    });
  }

  async send(chat: ChatRecord, response: AutoResponse, language?: string): Promise<void> {
    if (!this.settings.autoResponses) return;
    const { chatLines, whatsappLines } = this.store.repositories;
    const line = await chatLines.append(chat.id, {
      senderKind: 'system',
      senderName: 'WhatsApp',
      text: autoResponseText(response, language ?? (await this.languageOf(chat))),
      externalMessageId: `wa-auto:${response}:${chat.id}`,
    });
    await whatsappLines.enqueueOutbound(line.id, chat.id);
    await this.publisher.line(chat.chatUid, line);
    await this.sender.sendChat(chat.id);
  }

  private async languageOf(chat: ChatRecord): Promise<string> {
    const connector = await chatConnectorOf(this.store.repositories, {
      chatId: chat.id,
      siteId: chat.siteId,
    });
    return connector?.language ?? 'en';
  }
}
