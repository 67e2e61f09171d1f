import { Injectable, Logger } from '@nestjs/common';
import { PersistenceError, type WebhookKind, WebhookInboxRepository } from '@switchboard/persistence';
import { Metrics } from '@switchboard/platform';
import { parseDeliveryWebhook, parseIncomingWebhook } from '@switchboard/protocol';
import { InboxProcessor } from './inbox-processor.service';
import { InboxWriter } from './inbox-writer';

/** What the webhook answered, for the controller (status) and the metrics (outcome). */
export interface IntakeAnswer {
  readonly status: 200 | 400 | 401 | 413 | 503;
  readonly outcome:
    'stored' | 'duplicate' | 'dead-letter' | 'malformed' | 'unauthorized' | 'too-large' | 'unavailable';
  readonly detail?: string;
}

/** The stored part of a dead letter's body (a body over the limit is cut). */
const DEAD_LETTER_BODY_LIMIT = 12 * 1024;

/**
 * Takes a webhook in: stores it durably before answering, then hands it to the processor.
 * - stored, or a duplicate of a stored one → 200 (TynTec stops retrying; the inbox has it);
 * - not JSON, or a field of the wrong JSON type (TynTec never sends that) → 400, nothing stored;
 * - well-formed but never processable (unknown event, missing fields, too large) → dead letter, 200;
 * - the database is unreachable → 503, so TynTec retries and nothing is lost.
 */
@Injectable()
export class WebhookIntake {
  private readonly logger = new Logger('WhatsappWebhooks');

  constructor(
    private readonly webhookInbox: WebhookInboxRepository,
    private readonly writer: InboxWriter,
    private readonly processor: InboxProcessor,
    private readonly metrics: Metrics,
  ) {}

  /** `connectorNumber`: the chat connector the callback URL named (`?connector=`), if any. */
  async accept(
    kind: WebhookKind,
    body: Buffer,
    truncated: boolean,
    connectorNumber: string | null = null,
  ): Promise<IntakeAnswer> {
    const answer = await this.intake(kind, body, truncated, connectorNumber).catch((error: unknown) =>
      this.unavailable(kind, error),
    );
    this.metrics.webhookOutcomes.inc({ kind, outcome: answer.outcome });
    return answer;
  }

  refuse(kind: WebhookKind, remoteAddress: string | undefined): IntakeAnswer {
    this.logger.warn(
      `refused a /${kind} webhook from ${remoteAddress ?? 'an unknown address'}: missing or wrong secret`,
    );
    this.metrics.webhookOutcomes.inc({ kind, outcome: 'unauthorized' });
    return { status: 401, outcome: 'unauthorized' };
  }

  /** A body no TynTec sends: answered 400 so the sender sees it, logged, nothing stored. */
  private malformed(kind: WebhookKind, reason: string): IntakeAnswer {
    const detail = reason.slice(0, 500);
    this.logger.warn(`answered 400 to a /${kind} webhook, nothing stored: ${detail}`);
    return { status: 400, outcome: 'malformed', detail };
  }

  /** A body far over the limit: nothing stored; answered 413, or `closed` while it was still arriving. */
  tooLarge(
    kind: WebhookKind,
    size: number,
    closed: boolean,
    remoteAddress: string | undefined,
  ): IntakeAnswer {
    const what = closed ? 'closed the connection of' : 'answered 413 to';
    this.logger.warn(
      `${what} a /${kind} webhook from ${remoteAddress ?? 'an unknown address'} after ${size} bytes: far over the body limit`,
    );
    this.metrics.webhookOutcomes.inc({ kind, outcome: 'too-large' });
    return { status: 413, outcome: 'too-large' };
  }

  private async intake(
    kind: WebhookKind,
    body: Buffer,
    truncated: boolean,
    connectorNumber: string | null,
  ): Promise<IntakeAnswer> {
    const rawBody = body.toString('utf8');
    if (truncated)
      return this.deadLetter(
        kind,
        rawBody,
        `the body is larger than the limit (kept its first ${body.length} bytes)`,
      );
    let json: unknown;
    try {
      json = JSON.parse(rawBody);
    } catch (error) {
      return this.malformed(kind, `not JSON: ${(error as Error).message}`);
    }
    const parsed = kind === 'incoming' ? parseIncomingWebhook(json) : parseDeliveryWebhook(json);
    switch (parsed.kind) {
      case 'malformed':
        return this.malformed(kind, `wrong types: ${parsed.problems.join('; ')}`);
      case 'invalid':
        return this.deadLetter(kind, rawBody, `invalid: ${parsed.problems.join('; ')}`);
      case 'unsupported':
        return this.deadLetter(kind, rawBody, `unsupported: ${parsed.reason}`);
      case 'message':
      case 'status':
      case 'group': {
        const row = await this.writer.write({ kind, dedupeKey: parsed.dedupeKey, rawBody, connectorNumber });
        if (row === null) return { status: 200, outcome: 'duplicate' };
        this.processor.enqueue(row, parsed);
        return { status: 200, outcome: 'stored' };
      }
    }
  }

  private async deadLetter(kind: WebhookKind, rawBody: string, reason: string): Promise<IntakeAnswer> {
    this.logger.warn(`dead-lettered a /${kind} webhook (answered 200 so TynTec stops retrying): ${reason}`);
    await this.webhookInbox.deadLetter({
      kind,
      rawBody: rawBody.slice(0, DEAD_LETTER_BODY_LIMIT),
      reason: reason.slice(0, 2000),
    });
    return { status: 200, outcome: 'dead-letter', detail: reason };
  }

  private unavailable(kind: WebhookKind, error: unknown): IntakeAnswer {
    if (error instanceof PersistenceError) throw error;
    this.logger.error(`could not store a /${kind} webhook, answered 503 so TynTec retries: ${String(error)}`);
    return { status: 503, outcome: 'unavailable' };
  }
}
