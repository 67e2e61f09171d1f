import { Inject, Injectable } from '@nestjs/common';
import { Counters } from '@switchboard/cluster';
import type { BootstrapSettings } from '@switchboard/config';
import { BOOTSTRAP_SETTINGS, ClusterEventBus, reloadAcknowledgementPrefix } from '@switchboard/platform';
import type { ClusterEventOf, ReloadTarget } from '@switchboard/protocol';

/** What a load*.htm answer reports: where the reload went on the stream and who applied it so far. */
export interface ReloadOutcome {
  readonly target: ReloadTarget;
  readonly key: string | null;
  /** The event's sequence on the cluster stream (the CHAT ringbuffer). */
  readonly sequence: number;
  /** Node ids of the processes that applied it within the wait. */
  readonly acknowledgedBy: readonly string[];
}

/** Options of {@link ReloadService}; tests shorten them. */
export interface ReloadWaitOptions {
  /**
   * Longest wait for acknowledgements.
   * @default 3000
   */
  readonly maxWaitMs: number;
  /**
   * The answer goes out once no new process acknowledged for this long (after this one did).
   * @default 400
   */
  readonly quietMs: number;
}

export const RELOAD_WAIT_OPTIONS = Symbol('RELOAD_WAIT_OPTIONS');
export const defaultReloadWaitOptions: ReloadWaitOptions = { maxWaitMs: 3000, quietMs: 400 };

const pollMs = 50;

/**
 * Publishes `reload` events for every process of the cluster (through the CHAT stream) and collects
 * the processes' acknowledgements from CHATCOUNTERS (each signs once it applied the event).
 */
@Injectable()
export class ReloadService {
  constructor(
    private readonly bus: ClusterEventBus,
    private readonly counters: Counters,
    @Inject(BOOTSTRAP_SETTINGS) private readonly settings: BootstrapSettings,
    @Inject(RELOAD_WAIT_OPTIONS) private readonly wait: ReloadWaitOptions,
  ) {}

  async reload(target: ReloadTarget, key?: string): Promise<ReloadOutcome> {
    const event: ClusterEventOf<'reload'> = {
      type: 'reload',
      origin: this.settings.nodeId,
      at: new Date().toISOString(),
      target,
      ...(key === undefined ? {} : { key }),
    };
    const sequence = await this.bus.publish(event);
    return { target, key: key ?? null, sequence, acknowledgedBy: await this.acknowledgements(event) };
  }

  private async acknowledgements(event: ClusterEventOf<'reload'>): Promise<string[]> {
    const prefix = reloadAcknowledgementPrefix(event);
    const deadline = Date.now() + this.wait.maxWaitMs;
    let nodes: string[] = [];
    let changedAt = Date.now();
    while (Date.now() < deadline) {
      const current = [...(await this.counters.entries(prefix)).keys()].map((entry) =>
        entry.slice(prefix.length),
      );
      if (current.length !== nodes.length) changedAt = Date.now();
      nodes = current;
      if (nodes.includes(this.settings.nodeId) && Date.now() - changedAt >= this.wait.quietMs) break;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    return nodes.sort();
  }
}
