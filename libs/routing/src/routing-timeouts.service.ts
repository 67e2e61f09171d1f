import { ChatEvents } from '@switchboard/chat';
import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { OperatorRepository, ChatRepository, ChatRoutingRepository } from '@switchboard/persistence';
import {
  disconnectNoticeSince,
  inactivityTimeouts,
  routingEvent,
  visitorDisconnectedText,
} from '@switchboard/routing-domain';
import { readRoutingConfig } from './routing-settings';

/**
 * Server-side timeouts: ST (no activity from either side for `Inactivity.Timeout.Minutes`) and VT
 * (the visitor's client gone for `Visitor.ClientTimeout.Seconds`, as the messenger records it), and
 * before VT the agent's notice that the visitor's browser disconnected (RMS).
 * Closing is conditional in the database, so two instances sweeping at once close a chat once.
 */
@Injectable()
export class RoutingTimeouts {
  private readonly logger = new Logger('RoutingTimeouts');

  constructor(
    private readonly operators: OperatorRepository,
    private readonly chats: ChatRepository,
    private readonly chatRouting: ChatRoutingRepository,
    private readonly parameters: ParameterService,
    private readonly publisher: ChatEvents,
  ) {}

  /** Closes what timed out by `now`; resolves to the number of chats closed. */
  async sweep(now = new Date()): Promise<number> {
    const config = readRoutingConfig(this.parameters);
    const idleSince = new Date(now.getTime() - config.inactivityTimeoutMinutes * 60_000);
    const goneSince = new Date(now.getTime() - config.visitorClientTimeoutSeconds * 1000);
    const candidates = await this.chatRouting.timeoutCandidates(idleSince, goneSince);
    const byId = new Map(candidates.map((chat) => [chat.id, chat]));
    const timeouts = inactivityTimeouts(
      candidates.map((chat) => ({
        chatId: chat.id,
        state: chat.state,
        lastActivityAt: chat.lastActivityAt,
        visitorDisconnectedAt: chat.visitorGoneAt,
      })),
      config,
      now,
    );
    let closed = 0;
    for (const timeout of timeouts) {
      const chat = byId.get(timeout.chatId)!;
      const state = chat.operatorId === null ? 'missed' : 'closed';
      if (!(await this.chats.close(chat.id, timeout.code, now, state, timeout.events))) continue;
      closed += 1;
      const holder = chat.operatorId === null ? null : await this.operators.findById(chat.operatorId);
      const [{ text }] = timeout.events;
      await this.publisher.ended(chat.chatUid, {
        state,
        code: timeout.code,
        text,
        previousAgentUsername: holder?.username ?? null,
      });
      if (config.logRouting) this.logger.log(`chat ${chat.chatUid}: closed by timeout ${timeout.code}`);
    }
    const noticeSince = disconnectNoticeSince(config, now);
    if (noticeSince !== null) await this.noticeGoneVisitors(noticeSince, now);
    return closed;
  }

  /** Tells the agents of active chats whose visitor's browser disconnected, with a system line (RMS). */
  private async noticeGoneVisitors(goneSince: Date, now: Date): Promise<void> {
    const senderName = 'Switchboard';
    for (const chat of await this.chatRouting.goneVisitorsToNotice(goneSince)) {
      const line = await this.chatRouting.noticeGoneVisitor(
        chat.id,
        goneSince,
        {
          senderKind: 'system',
          senderName,
          text: visitorDisconnectedText,
          operatorId: null,
          externalMessageId: null,
          deliveryState: null,
        },
        [routingEvent('RMS')],
        now,
      );
      if (line === null) continue;
      await this.publisher.line({
        chatUid: chat.chatUid,
        sequence: line.sequence,
        sender: 'system',
        senderName,
        text: visitorDisconnectedText,
        at: line.createdAt.toISOString(),
        clientMessageId: null,
      });
    }
  }
}
