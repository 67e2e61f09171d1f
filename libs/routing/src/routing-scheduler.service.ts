import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ClusterLock } from '@switchboard/cluster';
import { ParameterService } from '@switchboard/config';
import { ClusterEventBus, ReloadApplier } from '@switchboard/platform';
import { RoutingDispatcher } from './routing-dispatcher.service';
import { RoutingTimeouts } from './routing-timeouts.service';
import { AgentPresenceSweep } from './agent-presence-sweep.service';

/** How often a pass runs without any event: accept timeouts, queue expiry, a lost event, a dead instance. */
export const ROUTING_SWEEP_MS = 1000;
const LOCK_NAME = 'routing:dispatch';
// note: the lock only keeps instances from redoing each other's pass; every write is conditional in
// the database, so a lock granted twice (Hazelcast is AP) costs work, never a wrong assignment.
const LOCK_LEASE_MS = 5000;
const LOCK_WAIT_MS = 2000;
/** Timeouts count in minutes and seconds: a sweep every few seconds is precise enough. */
const TIMEOUT_SWEEP_MS = 5000;

/**
 * Runs dispatch passes: on every event that can change who gets what (a new chat, an agent's
 * status, a chat taken, closed or left, a declined offer, a parameter) and on a periodic sweep.
 * Requests during a pass coalesce into one more pass; instances take turns under a cluster lock.
 */
@Injectable()
export class RoutingScheduler implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RoutingScheduler');
  private dirty = false;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastTimeoutSweep = 0;

  constructor(
    private readonly bus: ClusterEventBus,
    private readonly lock: ClusterLock,
    private readonly dispatcher: RoutingDispatcher,
    private readonly timeouts: RoutingTimeouts,
    private readonly presence: AgentPresenceSweep,
    private readonly parameters: ParameterService,
    private readonly reloads: ReloadApplier,
  ) {}

  onModuleInit(): void {
    const wake = (): void => void this.request();
    this.bus.on('queue.added', wake);
    this.bus.on('agent.status', wake);
    this.bus.on('chat.state', (change) => {
      // note: in auto mode an accepted offer (OP) frees no slot (the offer's slot became the chat), so
      // it is left to the sweep; in offer-to-all mode it frees the other offerees at once.
      const accepted = change.state === 'active' && change.code === 'OP';
      if (!accepted || this.parameters.get('ACD.Chat.Distribution.Mode') !== 'auto') wake();
    });
    this.bus.on('parameter.changed', wake);
    // Each pass reads sites, users, skills, work periods and rules afresh; a reload makes the change act now.
    this.reloads.register(
      'routing directory',
      ['site', 'sites', 'user', 'users', 'usergroups', 'workperiods', 'skills'],
      wake,
    );
    this.bus.on('offer.declined', wake);
    this.bus.onResync(() => {
      wake();
      return Promise.resolve();
    });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.request(), ROUTING_SWEEP_MS);
    this.timer.unref();
    void this.request();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** Asks for a pass; resolves when the passes it caused are done (tests and the benchmark wait on it). */
  request(): Promise<void> {
    this.dirty = true;
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    while (this.dirty && !this.stopped) {
      this.dirty = false;
      await this.runPass();
    }
  }

  private async runPass(): Promise<void> {
    let handle;
    try {
      handle = await this.lock.tryAcquire(LOCK_NAME, { leaseMs: LOCK_LEASE_MS, waitMs: LOCK_WAIT_MS });
    } catch (error) {
      this.logger.warn(`routing lock unavailable, passing without it: ${String(error)}`);
    }
    try {
      const summary = await this.dispatcher.pass();
      if (summary.more) this.dirty = true;
      if (Date.now() - this.lastTimeoutSweep >= TIMEOUT_SWEEP_MS) {
        this.lastTimeoutSweep = Date.now();
        await this.timeouts.sweep();
        // Agents whose connections are gone, or who are idle, leave Chat: a wake-up pass moves their offers.
        await this.presence.sweep();
      }
    } catch (error) {
      this.logger.error(
        `dispatch pass failed (the next sweep retries): ${(error as Error).stack ?? String(error)}`,
      );
    } finally {
      await handle?.release().catch(() => undefined);
    }
  }
}
