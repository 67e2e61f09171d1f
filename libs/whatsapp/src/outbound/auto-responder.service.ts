import { ChatEvents, toLineView } from '@switchboard/chat';
import { Inject, Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  type ChatRecord,
  ChatRepository,
  ChatLineRepository,
  ChatVariableRepository,
  ChatConnectorRepository,
  WhatsappLineRepository,
} from '@switchboard/persistence';
import { ClusterEventBus } from '@switchboard/platform';
import type { ClusterEventOf } from '@switchboard/protocol';
import { chatConnectorOf } from '../inbound/connector-number';
import { WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';
import { autoResponseText, endingResponse, type AutoResponse, type QueueValues } from './auto-responses';
import { OutboundSender } from './outbound-sender.service';
import { PositionNotices } from './position-notices';

/**
 * The connector's own answers, in the chat connector's language: a greeting when a customer's
 * message opens a chat, the queue position while it waits (rate limited: PositionNotices), and when
 * the chat ends, why (outside opening hours, no agent, queue full, waited too long) or a goodbye.
 * Each is a system line of the chat (the agent sees it), stored once per chat (a unique key, however
 * many connectors hear the event) and sent through the same ordered, retried outbound queue as
 * agents' lines.
 */
@Injectable()
export class AutoResponder {
  private readonly positions = new PositionNotices();
  /** chatUid → its WhatsApp chat, or null for a web chat: each queued chat is looked up once. */
  private readonly queuedChats = new Map<string, ChatRecord | null>();

  constructor(
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatVariables: ChatVariableRepository,
    private readonly chatConnectors: ChatConnectorRepository,
    private readonly whatsappLines: WhatsappLineRepository,
    private readonly bus: ClusterEventBus,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
    private readonly publisher: ChatEvents,
    private readonly sender: OutboundSender,
    private readonly parameters: ParameterService,
  ) {
    bus.onQueued('chat.state', async ({ chatUid, state, code }) => {
      if (state === 'queued') return;
      this.positions.forget(chatUid);
      this.queuedChats.delete(chatUid);
      if (state !== 'closed' && state !== 'missed') return;
      const chat = await this.chats.findByUid(chatUid);
      if (chat?.channel === 'whatsapp') await this.send(chat, endingResponse(code));
    });
    bus.on('queue.positions', (event) => this.tellPositions(event));
  }

  async send(chat: ChatRecord, response: AutoResponse, language?: string): Promise<void> {
    await this.sendLine(chat, response, `wa-auto:${response}:${chat.id}`, language);
  }

  /** Each chat's notice is queued behind that chat's earlier events (a chat that left the queue is told no place). */
  private tellPositions({ at, positions }: ClusterEventOf<'queue.positions'>): void {
    if (!this.settings.autoResponses) return;
    const periodMs = this.parameters.get('ACD.Chat.Queue.PositionUpdate.Seconds') * 1000;
    for (const { chatUid, position, expectedWaitSeconds } of positions)
      this.bus.queueForChat(
        chatUid,
        async () => {
          const chat = await this.queuedChat(chatUid);
          if (!chat) return;
          const period = this.positions.due(chatUid, position, Date.parse(at), periodMs);
          if (period === null) return;
          const key = `wa-auto:queuePosition:${chat.id}:${period}`;
          await this.sendLine(chat, 'queuePosition', key, undefined, { position, expectedWaitSeconds });
        },
        'queue position notice',
      );
  }

  private async queuedChat(chatUid: string): Promise<ChatRecord | null> {
    const known = this.queuedChats.get(chatUid);
    if (known !== undefined) return known;
    const chat = await this.chats.findByUid(chatUid);
    if (chat?.channel !== 'whatsapp') {
      this.queuedChats.set(chatUid, null);
      return null;
    }
    // A late event about a chat that has left the queue: the database knows.
    if (chat.state !== 'waiting' && chat.state !== 'queued') return null;
    this.queuedChats.set(chatUid, chat);
    return chat;
  }

  private async sendLine(
    chat: ChatRecord,
    response: AutoResponse,
    externalMessageId: string,
    language?: string,
    queue?: QueueValues,
  ): Promise<void> {
    if (!this.settings.autoResponses) return;
    const { chatLines, whatsappLines } = this;
    const line = await chatLines.append(chat.id, {
      senderKind: 'system',
      senderName: 'WhatsApp',
      text: autoResponseText(response, language ?? (await this.languageOf(chat)), queue),
      externalMessageId,
    });
    await whatsappLines.enqueueOutbound(line.id, chat.id);
    await this.publisher.line(toLineView(chat.chatUid, line));
    await this.sender.sendChat(chat.id);
  }

  private async languageOf(chat: ChatRecord): Promise<string> {
    const connector = await chatConnectorOf(
      { chatVariables: this.chatVariables, chatConnectors: this.chatConnectors },
      {
        chatId: chat.id,
        siteId: chat.siteId,
      },
    );
    return connector?.language ?? 'en';
  }
}
