import { ChatEvents, ChatIntake, toLineView } from '@switchboard/chat';
import { Injectable } from '@nestjs/common';
import {
  type ChatConnectorRecord,
  ChatRepository,
  ChatLineRepository,
  ChatConnectorRepository,
  WhatsappLineRepository,
} from '@switchboard/persistence';
import { ParameterService } from '@switchboard/config';
import { ReloadApplier } from '@switchboard/platform';
import { routingEvent } from '@switchboard/routing-domain';
import type { InboundMessage } from '@switchboard/protocol';
import { createHash } from 'node:crypto';
import { InboundMedia } from '../media/inbound-media.service';
import { AutoResponder } from '../outbound/auto-responder.service';
import { CONNECTOR_NUMBER_VARIABLE } from './connector-number';
import { lineText, senderName, whatsappLineKey } from './line-text';
import type { Processing } from './processing';

/** How long a connector read is used: a change through the admin API applies within this. */
const CONNECTOR_CACHE_MS = 5000;

/** After this many attempts with TynTec's media download unreachable, the message is stored without its medium. */
const MEDIA_ATTEMPTS = 6;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A customer's WhatsApp message: opens (or continues, or within `WhatsApp.Reopen.Window.Minutes`
 * reopens with UC) the customer's chat on the site of the number it was sent to, appends it as a line once (the TynTec id is the line's unique external id) and
 * publishes it; a new chat is announced with `queue.added`, so the ACD routes it like a web chat.
 */
@Injectable()
export class InboundMessageHandler {
  private readonly connectors = new Map<string, { connector: ChatConnectorRecord | null; until: number }>();

  constructor(
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatConnectors: ChatConnectorRepository,
    private readonly whatsappLines: WhatsappLineRepository,
    private readonly intake: ChatIntake,
    private readonly events: ChatEvents,
    private readonly media: InboundMedia,
    private readonly auto: AutoResponder,
    private readonly parameters: ParameterService,
    reloads: ReloadApplier,
  ) {
    // Connectors belong to sites: a site reload forgets the numbers read so far.
    reloads.register('chat connector numbers', ['site', 'sites'], () => this.connectors.clear());
  }

  /**
   * `namedConnector`: the number the callback URL named (`?connector=`), used when the message has
   * no `to` (optional in TynTec's schema); without either, the only chat connector takes it.
   */
  async handle(
    message: InboundMessage,
    attempts: number,
    namedConnector: string | null = null,
  ): Promise<Processing> {
    const { chats, chatLines, whatsappLines } = this;
    const receiver = await this.receiverOf(message.to ?? namedConnector);
    if (typeof receiver === 'string') return { outcome: 'dead-letter', reason: receiver };
    const connector = receiver;
    const name = senderName(message);
    // Most messages continue a chat: read it first, and open (an insert the unique key decides) only when
    // there is none and the customer's last chat is not to be reopened.
    const open = await chats.findOpenForVisitor(connector.siteId, message.from);
    const reopened = open ? null : await this.reopen(connector.siteId, message.from);
    const { outcome, chat } = open
      ? { outcome: 'existing' as const, chat: open }
      : reopened
        ? { outcome: 'reopened' as const, chat: reopened }
        : await this.intake.open(
            {
              siteId: connector.siteId,
              channel: 'whatsapp',
              visitorKey: message.from,
              visitorName: name,
              skillId: connector.skillId,
            },
            { [CONNECTOR_NUMBER_VARIABLE]: connector.phoneNumber },
          );
    const medium =
      message.content.type === 'media' ? await this.media.fetch(connector.id, message.content) : undefined;
    if (medium?.retry && attempts < MEDIA_ATTEMPTS) return { outcome: 'retry', reason: medium.retry };
    const line = await chatLines.append(chat.id, {
      senderKind: 'visitor',
      senderName: name,
      text: lineText(
        message.content,
        medium?.description ?? (medium?.retry && `(not downloaded: ${medium.retry})`),
      ),
      externalMessageId: whatsappLineKey(message.messageId, sha256),
    });
    await whatsappLines.recordInbound(line.id, chat.id, message.messageId);
    // A retry may follow a crash between opening the chat and announcing it: announce again (harmless).
    if (outcome !== 'existing' || attempts > 1) await this.intake.announce(chat.id);
    await this.events.line(toLineView(chat.chatUid, line));
    if (outcome === 'created') await this.auto.send(chat, 'greeting', connector.language);
    return { outcome: 'done' };
  }

  /** UC: the customer's chat ended within `WhatsApp.Reopen.Window.Minutes`, open again; null for a new one. */
  private async reopen(siteId: number, customer: string) {
    const minutes = this.parameters.get('ACD.Chat.WhatsApp.Reopen.Window.Minutes');
    if (minutes === 0) return null;
    const now = new Date();
    return this.chats.reopenRecent(
      {
        siteId,
        visitorKey: customer,
        channel: 'whatsapp',
        since: new Date(now.getTime() - minutes * 60_000),
      },
      (state) => [routingEvent('UC', { state })],
      now,
    );
  }

  /** The enabled connector a message goes to, or why there is none. */
  private async receiverOf(number: string | undefined | null): Promise<ChatConnectorRecord | string> {
    if (number === undefined || number === null) return this.onlyConnector();
    const connector = await this.connectorOf(number);
    if (!connector) return `no chat connector has the number ${number}`;
    if (!connector.enabled) return `the chat connector of ${number} is switched off`;
    return connector;
  }

  private async onlyConnector(): Promise<ChatConnectorRecord | string> {
    const connectors = await this.chatConnectors.list();
    if (connectors.length !== 1)
      return (
        `the message names no receiving number (to) and ${connectors.length} chat connectors exist: ` +
        'name the connector in the callback URL (/incoming?secret=…&connector=<number>)'
      );
    return this.receiverOf(connectors[0].phoneNumber);
  }

  /** The connector of a number, read at most every few seconds per number (every message needs it). */
  private async connectorOf(number: string): Promise<ChatConnectorRecord | null> {
    const cached = this.connectors.get(number);
    if (cached && cached.until > Date.now()) return cached.connector;
    const connector = await this.chatConnectors.findByPhoneNumber(number);
    if (this.connectors.size > 1000) this.connectors.clear();
    this.connectors.set(number, { connector, until: Date.now() + CONNECTOR_CACHE_MS });
    return connector;
  }
}
