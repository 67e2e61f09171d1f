import type { IMap } from 'hazelcast-client';
import { Counters } from '../ports/counters.port';
import type { IncrementOptions, IncrementResult } from '../ports/counters.port';
import { applyDelta } from '../shared/counter-bounds';
import { sleep } from '../shared/sleep';
import type { HazelcastConnection } from './hazelcast-connection';

export interface HazelcastCountersOptions {
  /**
   * Map name; its default TTL, backups and eviction come from the members' hazelcast.xml.
   * @default 'CHATCOUNTERS'
   */
  readonly name?: string;
}

/** Spreads CAS retries of contending writers so they do not collide again in lockstep. */
const MAX_RETRY_JITTER_MS = 5;

/**
 * Counters on a Hazelcast IMap. Increments are compare-and-set loops (`get` then `replaceIfSame` or
 * `putIfAbsent`): no entry processors (they need Java classes on the members) and no CP subsystem
 * (Enterprise-only).
 */
export class HazelcastCounters extends Counters {
  private readonly name: string;

  constructor(
    private readonly connection: HazelcastConnection,
    options: HazelcastCountersOptions = {},
  ) {
    super();
    this.name = options.name ?? 'CHATCOUNTERS';
  }

  async get(key: string): Promise<number | undefined> {
    return (await (await this.map()).get(key)) ?? undefined;
  }

  async increment(key: string, delta: number, options: IncrementOptions = {}): Promise<IncrementResult> {
    for (;;) {
      const current = await this.get(key);
      const result = applyDelta(current ?? 0, delta, options);
      if (!result.applied || (await this.compareAndSet(key, current, result.value, options.ttlMs))) {
        return result;
      }
      await sleep(Math.random() * MAX_RETRY_JITTER_MS);
    }
  }

  async compareAndSet(
    key: string,
    expected: number | undefined,
    next: number,
    ttlMs?: number,
  ): Promise<boolean> {
    const map = await this.map();
    if (expected === undefined) {
      return ((await map.putIfAbsent(key, next, ttlMs)) ?? undefined) === undefined;
    }
    const replaced = await map.replaceIfSame(key, expected, next);
    if (replaced && ttlMs !== undefined) {
      // note: replaceIfSame takes no TTL; a concurrent writer may slip in between, costing only a TTL.
      await map.setTtl(key, ttlMs);
    }
    return replaced;
  }

  async set(key: string, value: number, ttlMs?: number): Promise<void> {
    await (await this.map()).set(key, value, ttlMs);
  }

  async delete(key: string): Promise<void> {
    await (await this.map()).delete(key);
  }

  async entries(prefix = ''): Promise<ReadonlyMap<string, number>> {
    // note: filtered here rather than by a LIKE predicate; the map is small (5000 per member at most).
    const all = await (await this.map()).entrySet();
    return new Map(all.filter(([key]) => key.startsWith(prefix)));
  }

  private map(): Promise<IMap<string, number>> {
    return this.connection.map<string, number>(this.name);
  }
}
