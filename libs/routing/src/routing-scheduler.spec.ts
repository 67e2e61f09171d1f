import { InMemoryClusterLock, InMemoryCounters, InMemoryEventStream } from '@switchboard/cluster';
import type { ParameterService } from '@switchboard/config';
import { ClusterEventBus, ReloadApplier } from '@switchboard/platform';
import type { PassSummary, RoutingDispatcher } from './routing-dispatcher.service';
import { RoutingScheduler } from './routing-scheduler.service';
import type { RoutingTimeouts } from './routing-timeouts.service';
import type { AgentPresenceSweep } from './agent-presence-sweep.service';

const quiet: PassSummary = { offered: 0, queued: 0, refused: 0, requeued: 0, more: false };

function scheduler(passes: Array<() => Promise<PassSummary>>) {
  let calls = 0;
  const dispatcher = {
    pass: () => {
      const next = passes[Math.min(calls, passes.length - 1)];
      calls += 1;
      return next();
    },
  } as unknown as RoutingDispatcher;
  const timeouts = { sweep: () => Promise.resolve(0) } as unknown as RoutingTimeouts;
  const presence = { sweep: () => Promise.resolve(0) } as unknown as AgentPresenceSweep;
  const parameters = { get: () => 'auto', reloadAll: () => Promise.resolve() } as unknown as ParameterService;
  const bus = new ClusterEventBus(new InMemoryEventStream());
  const reloads = new ReloadApplier(parameters, new InMemoryCounters(), 'routing-test');
  const routing = new RoutingScheduler(
    bus,
    new InMemoryClusterLock(),
    dispatcher,
    timeouts,
    presence,
    parameters,
    reloads,
  );
  routing.onModuleInit();
  return { routing, reloads, calls: () => calls };
}

describe('RoutingScheduler', () => {
  it('coalesces the requests made during a pass into one more pass', async () => {
    let release: () => void = () => undefined;
    const slow = () => new Promise<PassSummary>((resolve) => (release = () => resolve(quiet)));
    const { routing, calls } = scheduler([slow, () => Promise.resolve(quiet)]);
    const first = routing.request();
    await new Promise((resolve) => setImmediate(resolve));
    void routing.request();
    void routing.request();
    release();
    await first;
    expect(calls()).toBe(2);
  });

  it('runs another pass at once while new chats were left for it', async () => {
    const { routing, calls } = scheduler([
      () => Promise.resolve({ ...quiet, more: true }),
      () => Promise.resolve({ ...quiet, more: true }),
      () => Promise.resolve(quiet),
    ]);
    await routing.request();
    expect(calls()).toBe(3);
  });

  it('survives a failing pass: the next request runs again', async () => {
    const { routing, calls } = scheduler([
      () => Promise.reject(new Error('database down')),
      () => Promise.resolve(quiet),
    ]);
    await routing.request();
    await routing.request();
    expect(calls()).toBe(2);
  });

  it('runs a pass when a reload of what a pass reads arrives (loadsite.htm, loaduser.htm…), not for settings', async () => {
    const { reloads, calls } = scheduler([() => Promise.resolve(quiet)]);
    const reload = (target: 'site' | 'settings') =>
      reloads.apply({ type: 'reload', origin: 'admin-api', at: new Date().toISOString(), target });
    await reload('settings');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls()).toBe(0);
    await reload('site');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls()).toBe(1);
  });
});
