import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ParameterService, type BootstrapSettings } from '@switchboard/config';
import { AdminAuditRepository, ChatRetentionRepository, JobLeaseRepository } from '@switchboard/persistence';
import { BOOTSTRAP_SETTINGS } from '@switchboard/platform';

/** How often the purge looks for chats past `ACD.Chat.Transcript.Retention.Days`. */
const RETENTION_SWEEP_MS = 60 * 60_000;
/** Chats deleted per statement: short transactions, so chat traffic is not held up behind the purge. */
const PURGE_BATCH = 500;
/** Batches per run at most; what is left waits for the next run. */
const MAX_BATCHES_PER_RUN = 200;
const LEASE_NAME = 'transcript-retention';
const LEASE_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Deletes ended chats (with their lines, events and variables) older than
 * `ACD.Chat.Transcript.Retention.Days` (0 keeps them forever), every hour, in batches, on one node of
 * the cluster at a time (a database lease); each run that deleted something is recorded in the
 * admin audit as `transcript.purge`.
 */
@Injectable()
export class TranscriptRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('TranscriptRetention');
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly chatRetention: ChatRetentionRepository,
    private readonly jobLeases: JobLeaseRepository,
    private readonly adminAudit: AdminAuditRepository,
    private readonly parameters: ParameterService,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), RETENTION_SWEEP_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One purge run now (the hourly timer calls it too); resolves to the number of chats deleted. */
  purge(now = new Date()): Promise<number> {
    this.running ??= this.purgeOnce(now).finally(() => (this.running = null));
    return this.running;
  }

  private async run(): Promise<void> {
    try {
      await this.purge();
    } catch (error) {
      this.logger.error(`transcript purge failed, retried in an hour: ${String(error)}`);
    }
  }

  private async purgeOnce(now: Date): Promise<number> {
    const days = this.parameters.get('ACD.Chat.Transcript.Retention.Days');
    if (days === 0) return 0;
    if (!(await this.jobLeases.acquire(LEASE_NAME, this.settings.nodeId, LEASE_MS, now))) return 0;
    const cutoff = new Date(now.getTime() - days * DAY_MS);
    let deleted = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN; batch += 1) {
      const purged = await this.chatRetention.purgeBatch(cutoff, PURGE_BATCH);
      deleted += purged;
      if (purged < PURGE_BATCH) break;
    }
    if (deleted === 0) return 0;
    await this.adminAudit.record(
      {
        actor: 'transcript-retention',
        remoteAddress: '-',
        action: 'transcript.purge',
        targetKind: 'chats',
        targetKey: `ended before ${cutoff.toISOString()}`,
        newValue: { deleted, retentionDays: days, cutoff: cutoff.toISOString(), node: this.settings.nodeId },
      },
      now,
    );
    this.logger.log(
      `deleted ${deleted} chats that ended before ${cutoff.toISOString()} (retention ${days} days)`,
    );
    return deleted;
  }
}
