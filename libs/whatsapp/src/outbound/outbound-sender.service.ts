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
import { ClusterEventBus, Metrics, PerChatQueue } from '@switchboard/platform';
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
import { userContextOf } from './user-context';

/** After this many sends TynTec did not answer, a line is given up as failed. */
const MAX_SEND_ATTEMPTS = 8;
/** The pause after the n-th failed send: 4 s doubled per attempt (4 s … 256 s), at most 5 min, equal jitter. */
const RETRY_BACKOFF: BackoffOptions = { initialMs: 4000, maxMs: 300_000, jitter: 'equal' };

/**
 * Sends agents' lines of WhatsApp chats to TynTec. It hears them on the cluster stream (`chat.line`
 * from an operator); each line is queued in the database first (whatsapp_lines, `pending`), then
 * sent under a lease, so two connectors never send a line twice and a line whose event was missed
 * is found by the sweep and sent later.
 *
 * Exactly once: a line is marked `sending` before its POST. A send TynTec may have accepted (the
 * answer was lost: see send-outcome.ts), or one whose sender died while `sending`, becomes `unknown`
 * and is never sent again: TynTec's status webhook names it by our `userContext` and settles it
 * (StatusHandler); without one within `ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds` the agent sees
 * it `unconfirmed` (TynTec's API cannot be asked about a message whose id we never got).
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
    private readonly metrics: Metrics,
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
      await this.settleAbandoned();
      const chats = new Set((await whatsappLines.listDue()).map((due) => due.chatId));
      for (const chatId of chats) await this.sendChat(chatId);
    } catch (error) {
      this.logger.warn(
        `outbound sweep failed, next in ${this.settings.sweepIntervalMs} ms: ${String(error)}`,
      );
    }
  }

  /**
   * Lines left `sending` by a sender that died (its lease ran out) become `unknown`: it may have
   * written the POST. `unknown` lines no status settled within the confirmation window become
   * `unconfirmed`. Neither is sent again; the agent is told (and a later status still settles them).
   */
  private async settleAbandoned(): Promise<void> {
    const { whatsappLines } = this;
    const now = new Date();
    for (const lapsed of await whatsappLines.listLapsedSending(now)) {
      const reason =
        'The connector stopped while sending this line: WhatsApp may or may not have it. It is not sent again; waiting for WhatsApp to confirm it.';
      if (await whatsappLines.markUnknown(lapsed.lineId, reason, now, now))
        await this.tellUnsettled(lapsed.lineId, 'unknown', reason);
    }
    const seconds = this.parameters.get('ACD.Chat.WhatsApp.DeliveryConfirmation.Seconds');
    for (const unknown of await whatsappLines.listUnknownSince(new Date(now.getTime() - seconds * 1000))) {
      const reason = `WhatsApp did not confirm this line within ${seconds} s: it may not have reached the customer. It was not sent again; ask the customer or send it again.`;
      if (await whatsappLines.markUnconfirmed(unknown.lineId, reason, now))
        await this.tellUnsettled(unknown.lineId, 'unconfirmed', reason);
    }
  }

  /** Logs, counts and tells the chat's agents that a line's fate is not known (`unknown`, `unconfirmed`). */
  private async tellUnsettled(
    lineId: number,
    state: 'unknown' | 'unconfirmed',
    reason: string,
  ): Promise<void> {
    const line = await this.whatsappLines.locate(lineId);
    this.metrics.whatsappOutbound.inc({ outcome: state });
    if (!line) return;
    this.logger.warn(`line ${line.chatUid}#${line.sequence} ${state}: ${reason}`);
    await this.publisher.delivery({ chatUid: line.chatUid, sequence: line.sequence, state, detail: reason });
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
    // Recorded before the POST: a sender that dies now leaves the line `sending`, never resent.
    if (!(await whatsappLines.markSending(lineId))) return true;
    let accepted: { messageId: string };
    try {
      accepted = await this.tyntec.send(apiKey, {
        to: line.visitorKey,
        channels: ['whatsapp'],
        whatsapp: { from: connector.phoneNumber, ...content },
        context: { userContext: userContextOf(line.chatUid, line.sequence) },
      });
    } catch (error) {
      return this.sendFailed(line, claimed.attempts, error);
    }
    await whatsappLines.markSent(lineId, accepted.messageId);
    this.metrics.whatsappOutbound.inc({ outcome: 'sent' });
    return true;
  }

  /**
   * After a failed send: `rejected` ends the line failed; `ambiguous` (or anything unexpected) leaves
   * it `unknown`, never resent; `unavailable` is retried later with backoff, up to MAX_SEND_ATTEMPTS.
   */
  private async sendFailed(line: LocatedLine, attempts: number, error: unknown): Promise<boolean> {
    const { whatsappLines } = this;
    const { lineId } = line;
    if (error instanceof TyntecError && error.kind === 'rejected') {
      return this.endUnsent(line, 'failed', `Not sent: ${error.message}`);
    }
    if (!(error instanceof TyntecError) || error.kind === 'ambiguous') {
      // TynTec may have accepted it: never sent again; its status webhook settles it.
      const reason = `WhatsApp may or may not have this line (${String(error)}). It is not sent again; waiting for WhatsApp to confirm it.`;
      if (await whatsappLines.markUnknown(lineId, reason))
        await this.tellUnsettled(lineId, 'unknown', reason);
      return true;
    }
    if (attempts >= MAX_SEND_ATTEMPTS) {
      return this.endUnsent(line, 'failed', `Not sent after ${attempts} attempts: ${String(error)}`);
    }
    this.logger.warn(
      `line ${line.chatUid}#${line.sequence} not sent yet (attempt ${attempts}): ${String(error)}`,
    );
    this.metrics.whatsappOutbound.inc({ outcome: 'retry' });
    await whatsappLines.postpone(
      lineId,
      String(error),
      new Date(Date.now() + backoffDelay(attempts, RETRY_BACKOFF)),
    );
    return false;
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
    if (!(await this.whatsappLines.markNotSent(line.lineId, state, reason))) return true;
    this.logger.warn(`line ${line.chatUid}#${line.sequence} ${state}: ${reason}`);
    this.metrics.whatsappOutbound.inc({ outcome: state });
    await this.publisher.delivery({ chatUid: line.chatUid, sequence: line.sequence, state, detail: reason });
    return true;
  }
}

/** WhatsApp's media kind for a stored content type. */
function mediaTypeOf(contentType: string): 'image' | 'audio' | 'video' | 'document' {
  const family = contentType.split('/')[0];
  return family === 'image' || family === 'audio' || family === 'video' ? family : 'document';
}
