import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { BootstrapSettings } from '@switchboard/config';
import { type WebhookInboxRecord, WebhookInboxRepository } from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS, Metrics } from '@switchboard/platform';
import { parseDeliveryWebhook, parseIncomingWebhook } from '@switchboard/protocol';
import { backoffDelay, type BackoffOptions } from '@switchboard/resilience';
import { BackgroundWork } from '../background-work';
import { InboundMessageHandler } from '../inbound/inbound-message.handler';
import { StatusHandler } from '../inbound/status.handler';
import type { Processing } from '../inbound/processing';
import { WHATSAPP_SETTINGS } from '../whatsapp.tokens';
import type { WhatsappSettings } from '../whatsapp-settings';

/** A webhook as the intake parsed it (the processor parses a row read back from the database itself). */
export type ParsedWebhook = ReturnType<typeof parseIncomingWebhook> | ReturnType<typeof parseDeliveryWebhook>;

interface Queued {
  readonly row: WebhookInboxRecord;
  readonly parsed?: ParsedWebhook;
}

/** Rows processed at once: enough to overlap database round trips, few enough to leave the intake room. */
const PROCESS_CONCURRENCY = 4;
/** Rows processed at once while webhooks arrive: their answers come first, processing trickles on. */
const BUSY_CONCURRENCY = 1;
/** Webhooks arrived within this many ms: the intake is busy. */
const INTAKE_BUSY_MS = 50;
/** Rows waiting in memory at most; more wait in the database for the sweep. */
const MAX_QUEUED = 10_000;
/** After this many attempts a webhook that keeps failing is dead-lettered with its last error. */
const MAX_ATTEMPTS = 12;
/** The retry pause: 1 s doubled per attempt, at most an hour, equal jitter. */
const RETRY_BACKOFF: BackoffOptions = { initialMs: 1000, maxMs: 3_600_000, jitter: 'equal' };

/**
 * Processes the webhook inbox, at least once per row and effectively once (the chat line's unique
 * external id and the monotonic status update make a repeat harmless). A row is claimed under a
 * lease first, so two connectors never work on it at the same time; rows a killed connector left
 * behind (or that wait for a retry) are picked up by the sweep every connector runs.
 */
@Injectable()
export class InboxProcessor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('WhatsappInbox');
  private readonly background = new BackgroundWork(this.logger, () => this.sweepOnce());
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly queue: Queued[] = [];
  private workers = 0;
  private lastIntakeAt = 0;
  private stopped = false;

  constructor(
    private readonly webhookInbox: WebhookInboxRepository,
    private readonly inbound: InboundMessageHandler,
    private readonly statuses: StatusHandler,
    private readonly metrics: Metrics,
    @Inject(WHATSAPP_SETTINGS) private readonly settings: WhatsappSettings,
    @Inject(BOOTSTRAP_SETTINGS) private readonly bootstrap: BootstrapSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.background.start(this.settings.sweepIntervalMs);
    void this.background.sweep();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    await this.background.stop();
  }

  /**
   * Processes a row this node holds the lease of, in the background (the webhook is answered already);
   * `parsed` spares parsing the body twice.
   */
  enqueue(row: WebhookInboxRecord, parsed?: ParsedWebhook): void {
    if (this.stopped) return;
    // A backlog beyond what memory should hold is left to the sweep, once the rows' leases lapse.
    if (this.queue.length >= MAX_QUEUED) return;
    this.lastIntakeAt = performance.now();
    this.queue.push({ row, parsed });
    this.startWorkers();
  }

  /** Claims a row by id and processes it (a retry coming due). */
  processSoon(id: number): void {
    if (this.stopped) return;
    this.background.track(
      this.webhookInbox
        .claim(id, this.bootstrap.nodeId, this.settings.leaseMs)
        .then((row) => (row ? this.enqueue(row) : undefined)),
    );
  }

  /** Claims and processes every due row (left by a crash, or waiting for a retry). */
  sweep(): Promise<void> {
    return this.background.sweep();
  }

  /** Resolves when nothing is being processed (for tests). */
  idle(): Promise<void> {
    return this.background.idle(() => this.queue.length > 0);
  }

  private async sweepOnce(): Promise<void> {
    try {
      for (;;) {
        if (this.stopped) return;
        const rows = await this.webhookInbox.claimDue(this.bootstrap.nodeId, this.settings.leaseMs);
        for (const row of rows) await this.process(row);
        if (rows.length === 0) return;
      }
    } catch (error) {
      this.logger.warn(`inbox sweep failed, next in ${this.settings.sweepIntervalMs} ms: ${String(error)}`);
    }
  }

  private async process(row: WebhookInboxRecord, parsed?: ParsedWebhook): Promise<void> {
    const inbox = this.webhookInbox;
    let result: Processing;
    try {
      result = await this.dispatch(row, parsed ?? parseRow(row));
    } catch (error) {
      result = { outcome: 'retry', reason: String(error) };
    }
    try {
      switch (result.outcome) {
        case 'done':
          await inbox.markProcessed(row.id);
          break;
        case 'dead-letter':
          this.logger.warn(`webhook ${row.dedupeKey} cannot be processed, dead-lettered: ${result.reason}`);
          await inbox.moveToDeadLetters(row.id, result.reason);
          break;
        case 'retry':
          if (row.attempts >= MAX_ATTEMPTS) {
            this.logger.error(
              `webhook ${row.dedupeKey} failed ${row.attempts} times, dead-lettered: ${result.reason}`,
            );
            await inbox.moveToDeadLetters(row.id, `gave up after ${row.attempts} attempts: ${result.reason}`);
            break;
          }
          this.logger.warn(
            `webhook ${row.dedupeKey} will be retried (attempt ${row.attempts}): ${result.reason}`,
          );
          await this.retryLater(row, result.reason);
          break;
      }
      this.metrics.webhookOutcomes.inc({ kind: row.kind, outcome: `processed-${result.outcome}` });
    } catch (error) {
      // The lease lapses and the sweep takes the row again.
      this.logger.warn(`could not record the outcome of webhook ${row.dedupeKey}: ${String(error)}`);
    }
  }

  /** Postpones the row; this node retries it when due, and so does any node's sweep after that. */
  private async retryLater(row: WebhookInboxRecord, reason: string): Promise<void> {
    const pause = backoffDelay(row.attempts, RETRY_BACKOFF);
    await this.webhookInbox.postpone(row.id, reason, new Date(Date.now() + pause));
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.processSoon(row.id);
    }, pause + 10);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /**
   * note: processing shares the event loop (and the CPU) with the intake, whose answer is the latency
   * TynTec sees: while webhooks arrive one row is processed at a time, yielding to I/O between rows;
   * once they stop, PROCESS_CONCURRENCY rows at once work off what waits.
   */
  private concurrency(): number {
    return performance.now() - this.lastIntakeAt < INTAKE_BUSY_MS ? BUSY_CONCURRENCY : PROCESS_CONCURRENCY;
  }

  private startWorkers(): void {
    while (this.workers < this.concurrency() && this.queue.length > 0) {
      this.workers += 1;
      this.background.track(this.work());
    }
  }

  private async work(): Promise<void> {
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        // One surplus worker at a time stops: `finally` counts it out before the next one checks.
        if (this.workers > this.concurrency()) return;
        const next = this.queue.shift();
        if (next === undefined) return;
        await this.process(next.row, next.parsed);
        this.startWorkers();
      }
    } finally {
      this.workers -= 1;
    }
  }

  private dispatch(row: WebhookInboxRecord, parsed: ParsedWebhook): Promise<Processing> {
    switch (parsed.kind) {
      case 'message':
        return this.inbound.handle(parsed.message, row.attempts, row.connectorNumber);
      case 'status':
        return this.statuses.handle(parsed.status, row.attempts);
      case 'group':
        // Recorded as stored in the inbox; nothing else to do with a group event.
        return Promise.resolve({ outcome: 'done' });
      case 'invalid':
      case 'malformed':
      case 'unsupported': {
        const expected = row.kind === 'incoming' ? 'message' : 'status';
        return Promise.resolve({ outcome: 'dead-letter', reason: `not a ${expected} (${parsed.kind})` });
      }
    }
  }
}

function parseRow(row: WebhookInboxRecord): ParsedWebhook {
  const body: unknown = JSON.parse(row.rawBody);
  return row.kind === 'incoming' ? parseIncomingWebhook(body) : parseDeliveryWebhook(body);
}
