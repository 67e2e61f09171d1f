import { Counters } from '../ports/counters.port';
import type { IncrementOptions, IncrementResult } from '../ports/counters.port';
import { applyDelta } from '../shared/counter-bounds';

export interface InMemoryCountersOptions {
  /**
   * Time to live of an entry written without an explicit TTL, like the `CHATCOUNTERS` map.
   * @default 600000
   */
  readonly defaultTtlMs?: number;
}

interface Entry {
  readonly value: number;
  readonly expiresAt: number;
}

/** Counters in process memory with TTLs, for the embedded mode and unit tests. */
export class InMemoryCounters extends Counters {
  private readonly defaultTtlMs: number;
  private readonly entriesByKey = new Map<string, Entry>();

  constructor(options: InMemoryCountersOptions = {}) {
    super();
    this.defaultTtlMs = options.defaultTtlMs ?? 600_000;
  }

  get(key: string): Promise<number | undefined> {
    return Promise.resolve(this.current(key));
  }

  increment(key: string, delta: number, options: IncrementOptions = {}): Promise<IncrementResult> {
    const result = applyDelta(this.current(key) ?? 0, delta, options);
    if (result.applied) {
      this.write(key, result.value, options.ttlMs);
    }
    return Promise.resolve(result);
  }

  compareAndSet(key: string, expected: number | undefined, next: number, ttlMs?: number): Promise<boolean> {
    if (this.current(key) !== expected) {
      return Promise.resolve(false);
    }
    this.write(key, next, ttlMs);
    return Promise.resolve(true);
  }

  set(key: string, value: number, ttlMs?: number): Promise<void> {
    this.write(key, value, ttlMs);
    return Promise.resolve();
  }

  delete(key: string): Promise<void> {
    this.entriesByKey.delete(key);
    return Promise.resolve();
  }

  entries(prefix = ''): Promise<ReadonlyMap<string, number>> {
    const result = new Map<string, number>();
    for (const key of this.entriesByKey.keys()) {
      const value = this.current(key);
      if (key.startsWith(prefix) && value !== undefined) {
        result.set(key, value);
      }
    }
    return Promise.resolve(result);
  }

  private current(key: string): number | undefined {
    const entry = this.entriesByKey.get(key);
    if (entry !== undefined && entry.expiresAt <= Date.now()) {
      this.entriesByKey.delete(key);
      return undefined;
    }
    return entry?.value;
  }

  private write(key: string, value: number, ttlMs = this.defaultTtlMs): void {
    this.entriesByKey.set(key, { value, expiresAt: Date.now() + ttlMs });
  }
}
