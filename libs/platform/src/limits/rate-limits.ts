import type { ParameterName, ParameterService, ParameterValueOf } from '@switchboard/config';
import { RateLimiterMemory } from 'rate-limiter-flexible';

/** The parameters whose value is a number. */
export type CountParameterName = {
  [TName in ParameterName]: ParameterValueOf<TName> extends number ? TName : never;
}[ParameterName];

/** One limit: the parameter giving its points, and the fixed window (seconds) they are counted over. */
export interface RateLimitDefinition {
  readonly parameter: CountParameterName;
  readonly seconds: number;
}

/** Where a key stands against its limit after a count (or without one). */
export interface RateLimitState {
  /** Points counted in the current window. */
  readonly consumed: number;
  /** The parameter's value: the points a window allows. */
  readonly limit: number;
  /** Until the window ends and the count starts again (0 when nothing is counted). */
  readonly retryAfterMs: number;
}

/**
 * Named rate limits of this process (rate-limiter-flexible, in memory: a key is kept only for its
 * window). Each limit's points are a parameter, read at every count: a changed value starts new
 * windows. The callers decide what is refused and how it is answered.
 */
export class RateLimits<TName extends string> {
  private readonly limiters = new Map<TName, { points: number; limiter: RateLimiterMemory }>();

  constructor(
    private readonly parameters: ParameterService,
    private readonly definitions: Readonly<Record<TName, RateLimitDefinition>>,
  ) {}

  /** The parameter that sets `name`'s points. */
  parameterOf(name: TName): CountParameterName {
    return this.definitions[name].parameter;
  }

  /** Counts `points` for `key` under `name`; the key is over the limit when `consumed > limit`. */
  async count(name: TName, key: string, points = 1): Promise<RateLimitState> {
    const { limiter, points: limit } = this.limiter(name);
    const state = await limiter.penalty(key, points);
    return {
      consumed: state.consumedPoints,
      limit,
      retryAfterMs: Math.max(1, Math.ceil(state.msBeforeNext)),
    };
  }

  /** Where `key` stands under `name`, without counting; the next count would be over when `consumed >= limit`. */
  async peek(name: TName, key: string): Promise<RateLimitState> {
    const { limiter, points: limit } = this.limiter(name);
    const state = await limiter.get(key);
    return state === null
      ? { consumed: 0, limit, retryAfterMs: 0 }
      : { consumed: state.consumedPoints, limit, retryAfterMs: Math.max(1, Math.ceil(state.msBeforeNext)) };
  }

  /** Forgets what was counted for `key` under `name`. */
  async reset(name: TName, key: string): Promise<void> {
    await this.limiter(name).limiter.delete(key);
  }

  private limiter(name: TName): { points: number; limiter: RateLimiterMemory } {
    const { parameter, seconds } = this.definitions[name];
    const points = this.parameters.get(parameter);
    const current = this.limiters.get(name);
    if (current?.points === points) return current;
    const next = { points, limiter: new RateLimiterMemory({ keyPrefix: name, points, duration: seconds }) };
    this.limiters.set(name, next);
    return next;
  }
}
