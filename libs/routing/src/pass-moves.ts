import { ChatEvents } from '@switchboard/chat';
import { Injectable, Logger } from '@nestjs/common';
import { type RoutableChat, ChatLineRepository, ChatRoutingRepository } from '@switchboard/persistence';
import { Metrics } from '@switchboard/platform';
import type { Offer, RoutingEvent } from '@switchboard/routing-domain';
import { offerSummary, type PassContext } from './pass-context';
import { refusalCode } from './rule-intake';
import { refusalText } from './refusal-texts';

/**
 * The writes of a dispatch pass: each move is one conditional transaction with its event codes,
 * then published, measured and (with `ACD.Chat.Log.Routing`) logged.
 */
@Injectable()
export class PassMoves {
  private readonly logger = new Logger('Routing');

  constructor(
    private readonly chatLines: ChatLineRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly publisher: ChatEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Sends the chat to `offer.agentIds` over the round read; false when it changed meanwhile. */
  async sendOffer(
    context: PassContext,
    chat: RoutableChat,
    round: number,
    offer: Offer & { askedIds: readonly number[] },
  ): Promise<boolean> {
    const { now, config } = context;
    const operatorId = offer.agentIds.length === 1 ? offer.agentIds[0] : null;
    const events = offer.events.map((event) => ({ ...event, operatorId }));
    if (!(await this.chatRouting.offer(chat.id, round, offer, now, events))) return false;
    context.summary.offered += 1;
    const agents = offer.agentIds.map((id) => context.load.get(id)).filter((agent) => agent !== undefined);
    const [event] = offer.events;
    await this.publisher.offer({
      chat: offerSummary(context, chat),
      agentUsernames: agents.map((agent) => agent.username),
      code: event?.code ?? null,
      text: event?.text ?? null,
      expiresAt: new Date(now.getTime() + config.acceptTimeoutSeconds * 1000).toISOString(),
    });
    this.observeLatency(chat, now, 'offered');
    this.log(context, `chat ${chat.chatUid}: offered to ${agents.map((agent) => agent.username).join(', ')}`);
    return true;
  }

  /** Ends a chat nobody holds as missed; the visitor sees `message`, the site's offline message or a short reason. */
  async refuse(
    context: PassContext,
    chat: RoutableChat,
    events: readonly RoutingEvent[],
    message: string | null,
  ): Promise<boolean> {
    if (events.length === 0) return false;
    const code = refusalCode(events);
    if (!(await this.chatRouting.refuse(chat.id, code, context.now, events))) return false;
    context.summary.refused += 1;
    const site = context.directory.sites.get(chat.siteId);
    const text = refusalText(code, message, site?.offlineMessage ?? null);
    await this.publisher.ended(chat.chatUid, { state: 'missed', code, text });
    this.observeLatency(chat, context.now, code);
    this.log(context, `chat ${chat.chatUid}: refused with ${code}`);
    return true;
  }

  /** Stores a queued chat's codes (CQ, QM); false when an agent took it meanwhile. */
  async queued(context: PassContext, chat: RoutableChat, events: readonly RoutingEvent[]): Promise<boolean> {
    if (!(await this.chatRouting.recordQueued(chat.id, events, context.now))) return false;
    context.summary.queued += 1;
    this.observeLatency(chat, context.now, 'queued');
    return true;
  }

  /** A rule's message to the visitor, as a system line of the transcript. */
  async tellVisitor(context: PassContext, chat: RoutableChat, text: string): Promise<void> {
    const senderName = context.directory.sites.get(chat.siteId)?.name ?? 'Switchboard';
    const line = await this.chatLines.append(chat.id, {
      senderKind: 'system',
      senderName,
      text,
    });
    await this.publisher.line({
      chatUid: chat.chatUid,
      sequence: line.sequence,
      sender: 'system',
      senderName,
      text,
      at: line.createdAt.toISOString(),
      clientMessageId: null,
    });
  }

  log(context: PassContext, message: string): void {
    if (context.config.logRouting) this.logger.log(message);
  }

  /** Request → decision time, for a chat decided in the pass it arrived in. */
  private observeLatency(chat: RoutableChat, now: Date, outcome: string): void {
    if (chat.routing !== null && chat.routing.queuedAt.getTime() !== now.getTime()) return;
    this.metrics.routingLatencySeconds.observe(
      { outcome },
      Math.max(0, (now.getTime() - chat.createdAt.getTime()) / 1000),
    );
  }
}
