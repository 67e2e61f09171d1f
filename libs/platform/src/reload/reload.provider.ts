import { Logger, type Provider } from '@nestjs/common';
import { Counters } from '@switchboard/cluster';
import { ParameterService, type BootstrapSettings } from '@switchboard/config';
import type { ClusterEventOf, ReloadTarget } from '@switchboard/protocol';
import { ClusterEventBus } from '../cluster-event-bus';
import { BOOTSTRAP_SETTINGS } from '../platform.tokens';

/** How long an acknowledgement stays readable in CHATCOUNTERS. */
const acknowledgementTtlMs = 60_000;

/** The CHATCOUNTERS key prefix under which the processes that applied one reload event sign. */
export function reloadAcknowledgementPrefix(event: Pick<ClusterEventOf<'reload'>, 'origin' | 'at'>): string {
  return `reload-ack/${event.origin}/${event.at}/`;
}

/** What a cache does when a reload of one of its targets arrives: forget or re-read what it holds. */
export type ReloadHandler = (event: ClusterEventOf<'reload'>) => void | Promise<void>;

/**
 * Applies `reload` events (the WhosOn load*.htm endpoints) in this process: `settings` re-reads the
 * parameters; every other cache of sites, users, groups, work periods or skills registers its own
 * handler ({@link register}) and is re-read here. Then the process signs the event in CHATCOUNTERS,
 * so the admin API can say who applied it.
 */
export class ReloadApplier {
  private readonly logger = new Logger('Reload');
  private readonly handlers: Array<{
    name: string;
    targets: ReadonlySet<ReloadTarget>;
    handle: ReloadHandler;
  }> = [];

  constructor(
    private readonly parameters: ParameterService,
    private readonly counters: Counters,
    private readonly nodeId: string,
  ) {}

  /** Runs `handle` (named `name` in the log) for every reload of one of `targets` this process receives. */
  register(name: string, targets: readonly ReloadTarget[], handle: ReloadHandler): void {
    this.handlers.push({ name, targets: new Set(targets), handle });
  }

  async apply(event: ClusterEventOf<'reload'>): Promise<void> {
    if (event.target === 'settings') await this.parameters.reloadAll();
    const applied: string[] = [];
    for (const handler of this.handlers.filter(({ targets }) => targets.has(event.target))) {
      await handler.handle(event);
      applied.push(handler.name);
    }
    this.logger.log(
      `reload of ${event.target}${event.key ? ` ${event.key}` : ''} asked by ${event.origin}: ` +
        (applied.length > 0 ? `re-read ${applied.join(', ')}` : 'nothing cached here'),
    );
    await this.counters.set(`${reloadAcknowledgementPrefix(event)}${this.nodeId}`, 1, acknowledgementTtlMs);
  }
}

export const reloadProvider: Provider = {
  provide: ReloadApplier,
  inject: [ParameterService, Counters, ClusterEventBus, BOOTSTRAP_SETTINGS],
  useFactory: (
    parameters: ParameterService,
    counters: Counters,
    bus: ClusterEventBus,
    settings: BootstrapSettings,
  ) => {
    const applier = new ReloadApplier(parameters, counters, settings.nodeId);
    bus.onQueued('reload', (event) => applier.apply(event));
    return applier;
  },
};
