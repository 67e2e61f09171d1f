import { Logger, type Provider } from '@nestjs/common';
import { Counters } from '@switchboard/cluster';
import { ParameterService, type BootstrapSettings } from '@switchboard/config';
import type { ClusterEventOf } from '@switchboard/protocol';
import { ClusterEventBus } from '../cluster-event-bus';
import { BOOTSTRAP_SETTINGS } from '../platform.tokens';

/** How long an acknowledgement stays readable in CHATCOUNTERS. */
const acknowledgementTtlMs = 60_000;

/** The CHATCOUNTERS key prefix under which the processes that applied one reload event sign. */
export function reloadAcknowledgementPrefix(event: Pick<ClusterEventOf<'reload'>, 'origin' | 'at'>): string {
  return `reload-ack/${event.origin}/${event.at}/`;
}

/**
 * Applies `reload` events (the WhosOn load*.htm endpoints) in this process: `settings` re-reads the
 * parameters; the other targets are re-read by the modules that cache them (they register their own
 * handlers). Then the process signs the event in CHATCOUNTERS, so the admin API can say who applied it.
 */
export class ReloadApplier {
  private readonly logger = new Logger('Reload');

  constructor(
    private readonly parameters: ParameterService,
    private readonly counters: Counters,
    private readonly nodeId: string,
  ) {}

  async apply(event: ClusterEventOf<'reload'>): Promise<void> {
    if (event.target === 'settings') await this.parameters.reloadAll();
    this.logger.log(`reload of ${event.target}${event.key ? ` ${event.key}` : ''} asked by ${event.origin}`);
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
