import { ChatEvents } from '@switchboard/chat';
import { WhatsappLineRepository } from '@switchboard/persistence';
import { Injectable } from '@nestjs/common';
import type { MessageStatusUpdate } from '@switchboard/protocol';
import type { Processing } from './processing';

/**
 * How often a status for an unknown message id is retried before it is dead-lettered: TynTec may
 * post `accepted` before the sender has stored the id of its 202 answer.
 */
const UNKNOWN_ID_ATTEMPTS = 5;

/** A TynTec status: moves the line's delivery state forward (never back) and tells the agent. */
@Injectable()
export class StatusHandler {
  constructor(
    private readonly whatsappLines: WhatsappLineRepository,
    private readonly publisher: ChatEvents,
  ) {}

  async handle(status: MessageStatusUpdate, attempts: number): Promise<Processing> {
    const { whatsappLines } = this;
    const applied = await whatsappLines.applyStatus(status.messageId, status.status);
    if (!applied) {
      const reason = `no line has the TynTec message id ${status.messageId}`;
      return attempts < UNKNOWN_ID_ATTEMPTS
        ? { outcome: 'retry', reason }
        : { outcome: 'dead-letter', reason };
    }
    if (!applied.changed) return { outcome: 'done' };
    const located = await whatsappLines.locate(applied.line.lineId);
    if (located) {
      const detail = status.details
        ? [status.details.code, status.details.message].filter(Boolean).join(': ')
        : '';
      await this.publisher.delivery({
        chatUid: located.chatUid,
        sequence: located.sequence,
        state: status.status,
        detail: detail === '' ? null : detail,
      });
    }
    return { outcome: 'done' };
  }
}
