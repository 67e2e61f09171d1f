import { ChatEvents } from '@switchboard/chat';
import { WhatsappLineRepository } from '@switchboard/persistence';
import { Injectable, Logger } from '@nestjs/common';
import { Metrics } from '@switchboard/platform';
import type { MessageStatusUpdate } from '@switchboard/protocol';
import { lineOfUserContext } from '../outbound/user-context';
import type { Processing } from './processing';

/**
 * How often a status for an unknown message id is retried before it is dead-lettered: TynTec may
 * post `accepted` before the sender has stored the id of its 202 answer.
 */
const UNKNOWN_ID_ATTEMPTS = 5;

/**
 * A TynTec status: moves the line's delivery state forward (never back) and tells the agent. A status
 * whose message id no line has, but whose `userContext` names one of our lines TynTec's id never
 * reached (an ambiguous send, or a 202 not stored yet), settles that line as sent under this id.
 */
@Injectable()
export class StatusHandler {
  private readonly logger = new Logger('WhatsappStatus');

  constructor(
    private readonly whatsappLines: WhatsappLineRepository,
    private readonly publisher: ChatEvents,
    private readonly metrics: Metrics,
  ) {}

  async handle(status: MessageStatusUpdate, attempts: number): Promise<Processing> {
    const { whatsappLines } = this;
    const applied =
      (await whatsappLines.applyStatus(status.messageId, status.status)) ??
      ((await this.settleByUserContext(status)) &&
        (await whatsappLines.applyStatus(status.messageId, status.status)));
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

  /** True when the status's userContext named an unsettled line of ours, now sent under its message id. */
  private async settleByUserContext(status: MessageStatusUpdate): Promise<boolean> {
    const named = status.userContext === undefined ? null : lineOfUserContext(status.userContext);
    if (!named) return false;
    const settled = await this.whatsappLines.settleByUserContext(
      named.chatUid,
      named.sequence,
      status.messageId,
    );
    if (!settled) return false;
    if (settled.from === 'unknown' || settled.from === 'unconfirmed') {
      this.metrics.whatsappOutbound.inc({ outcome: 'settled' });
      this.logger.log(
        `line ${named.chatUid}#${named.sequence} (${settled.from}) confirmed by TynTec's ${status.status} as ${status.messageId}`,
      );
    }
    return true;
  }
}
