import { ChatEvents } from '@switchboard/chat';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import {
  type LocatedLine,
  type WhatsappLineRecord,
  ChatRepository,
  ChatLineRepository,
  ChatVariableRepository,
  ChatConnectorRepository,
  WhatsappLineRepository,
} from '@switchboard/persistence';
import { ClusterEventBus, PerChatQueue } from '@switchboard/platform';
import type { ChatLineView, OutboundContent } from '@switchboard/protocol';
import { backoffDelay, type BackoffOptions } from '@switchboard/resilience';
import { BackgroundWork } from '../background-work';
import { chatConnectorOf } from '../inbound/connector-number';
import { InboundMedia } from '../media/inbound-media.service';
import type { OutboundLinks } from '../media/outbound-links';
import { OUTBOUND_LINKS, WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';
import { ChatChannels } from './chat-channels';
import { outboundIntent, windowRefusal, type OutboundIntent } from './customer-window';
import { TyntecClient, TyntecError } from './tyntec-client';

/** After this many sends TynTec did not answer, a line is given up as failed. */
const MAX_SEND_ATTEMPTS = 8;
/** The pause after the n-th failed send: 4 s doubled per attempt (4 s … 256 s), at most 5 min, equal jitter. */
const RETRY_BACKOFF: BackoffOptions = { initialMs: 4000, maxMs: 300_000, jitter: 'equal' };

/**
 * Sends agents' lines of WhatsApp chats to TynTec. It hears them on the cluster stream (`chat.line`
 * from an operator); each line is queued in the database first (whatsapp_lines, `pending`), then
 * sent under a lease, so two connectors never send a line twice and a line whose event was missed,
 * or whose sender died, is found by the sweep and sent later.
 */
@Injectable()
export class OutboundSender implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsappOutbound');
  private readonly background = new BackgroundWork(this.logger, () => this.sweepOnce());
  private readonly chatChannels: ChatChannels;
  /**
   * A chat's lines are queued one after another, in stream (sequence) order: the sender claims the
   * oldest pending line, so a later line queued first would be sent first.
   */
  private readonly queueing = new PerChatQueue();

  constructor(
    private readonly chats: ChatRepository,
    private readonly chatLines: ChatLineRepository,
    private readonly chatVariables: ChatVariableRepository,
    private readonly chatConnectors: ChatConnectorRepository,
    private readonly whatsappLines: WhatsappLineRepository,
    private readonly bus: ClusterEventBus,
    private readonly tyntec: TyntecClient,
    private readonly publisher: ChatEvents,
    private readonly parameters: ParameterService,
    private readonly media: InboundMedia,
    @Inject(OUTBOUND_LINKS) private readonly links: OutboundLinks,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
  ) {
    this.chatChannels = new ChatChannels(this.chats);
    this.bus.on('chat.line', ({ line }) => {
      if (line.sender === 'operator')
        this.background.track(this.queueing.run(line.chatUid, () => this.queue(line)));
    });
    this.bus.onResync(() => this.sweep());
  }

  onApplicationBootstrap(): void {
    this.background.start(this.settings.sweepIntervalMs);
  }

  onApplicationShutdown(): Promise<void> {
    return this.background.stop();
  }

  /** Sends what was missed: operator lines never queued (within the care window) and pending lines now due. */
  sweep(): Promise<void> {
    return this.background.sweep();
  }

  /** Resolves when nothing is being sent (for tests). */
  idle(): Promise<void> {
    return this.background.idle();
  }

  private async sweepOnce(): Promise<void> {
    const { whatsappLines } = this;
    try {
      const hours = this.parameters.get('ACD.Whatsapp.CustomerWindow.Hours');
      const since = new Date(Date.now() - hours * 3_600_000);
      for (const missed of await whatsappLines.listUnqueuedOperatorLines(since)) {
        await whatsappLines.enqueueOutbound(missed.lineId, missed.chatId);
        await this.sendChat(missed.chatId);
      }
      const chats = new Set((await whatsappLines.listDue()).map((due) => due.chatId));
      for (const chatId of chats) await this.sendChat(chatId);
    } catch (error) {
      this.logger.warn(
        `outbound sweep failed, next in ${this.settings.sweepIntervalMs} ms: ${String(error)}`,
      );
    }
  }

  private async queue(view: ChatLineView): Promise<void> {
    const { chatLines, whatsappLines } = this;
    const chat = await this.chatChannels.whatsappChat(view.chatUid);
    if (!chat) return;
    const [line] = await chatLines.listSince(chat.id, view.sequence - 1, 1);
    if (line?.sequence !== view.sequence) return;
    await whatsappLines.enqueueOutbound(line.id, chat.id);
    await this.sendChat(chat.id);
  }

  /**
   * Sends the chat's pending lines, oldest first, one at a time: WhatsApp shows them in the order
   * they reach TynTec. Stops when the oldest is held by another sender (it goes on after it) or
   * waits for a retry (the lines after it wait too, to keep the order).
   */
  async sendChat(chatId: number): Promise<void> {
    const { whatsappLines } = this;
    for (;;) {
      const claimed = await whatsappLines.claimNextForSending(chatId, this.settings.leaseMs);
      if (!claimed || !(await this.send(claimed))) return;
    }
  }

  /** Sends one claimed line; true when it ended (sent, failed, refused), false when it waits for a retry. */
  private async send(claimed: WhatsappLineRecord): Promise<boolean> {
    const { whatsappLines } = this;
    const lineId = claimed.lineId;
    const line = await whatsappLines.locate(lineId);
    if (!line) return false;
    const intent = outboundIntent(line.text);
    const refusal = windowRefusal(
      intent,
      await whatsappLines.lastCustomerMessageAt(line.chatId),
      this.parameters.get('ACD.Whatsapp.CustomerWindow.Hours'),
      new Date(),
    );
    if (refusal) return this.endUnsent(line, 'refused', refusal);
    const connector = await chatConnectorOf(
      { chatVariables: this.chatVariables, chatConnectors: this.chatConnectors },
      line,
    );
    if (!connector)
      return this.endUnsent(line, 'failed', 'Not sent: the chat has no WhatsApp chat connector any more.');
    const apiKey = await this.chatConnectors.revealApiKey(connector.id);
    if (apiKey === null)
      return this.endUnsent(line, 'failed', 'Not sent: the chat connector has no API key.');
    const content = this.content(intent, connector.language);
    if (typeof content === 'string') return this.endUnsent(line, 'failed', content);
    try {
      const accepted = await this.tyntec.send(apiKey, {
        to: line.visitorKey,
        channels: ['whatsapp'],
        whatsapp: { from: connector.phoneNumber, ...content },
        context: { userContext: `${line.chatUid}#${line.sequence}` },
      });
      await whatsappLines.markSent(lineId, accepted.messageId);
      return true;
    } catch (error) {
      if (error instanceof TyntecError && error.kind === 'rejected') {
        return this.endUnsent(line, 'failed', `Not sent: ${error.message}`);
      }
      if (claimed.attempts >= MAX_SEND_ATTEMPTS) {
        return this.endUnsent(
          line,
          'failed',
          `Not sent after ${claimed.attempts} attempts: ${String(error)}`,
        );
      }
      this.logger.warn(
        `line ${line.chatUid}#${line.sequence} not sent yet (attempt ${claimed.attempts}): ${String(error)}`,
      );
      await whatsappLines.postpone(
        lineId,
        String(error),
        new Date(Date.now() + backoffDelay(claimed.attempts, RETRY_BACKOFF)),
      );
      return false;
    }
  }

  /** The WhatsApp content of an agent's line, or why it cannot be sent. */
  private content(intent: OutboundIntent, language: string): OutboundContent | string {
    switch (intent.kind) {
      case 'text':
        return { contentType: 'text', text: intent.text };
      case 'template':
        return {
          contentType: 'template',
          template: {
            templateId: intent.templateId,
            language: { policy: 'deterministic', code: intent.language ?? language },
          },
        };
      case 'media': {
        const stored = this.media.files.locate(intent.storedName);
        if (!stored) return `Not sent: no stored medium is named ${intent.storedName}.`;
        const url = this.links.link(this.parameters.get('ACD.Whatsapp.Whatsapp.Url'), intent.storedName);
        return {
          contentType: 'media',
          media: {
            type: mediaTypeOf(stored.contentType),
            url,
            ...(intent.caption ? { caption: intent.caption } : {}),
          },
        };
      }
    }
  }

  private async endUnsent(line: LocatedLine, state: 'failed' | 'refused', reason: string): Promise<true> {
    this.logger.warn(`line ${line.chatUid}#${line.sequence} ${state}: ${reason}`);
    await this.whatsappLines.markNotSent(line.lineId, state, reason);
    await this.publisher.delivery({ chatUid: line.chatUid, sequence: line.sequence, state, detail: reason });
    return true;
  }
}

/** WhatsApp's media kind for a stored content type. */
function mediaTypeOf(contentType: string): 'image' | 'audio' | 'video' | 'document' {
  const family = contentType.split('/')[0];
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'document';
}
