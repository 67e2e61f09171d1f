import type { IncrementOptions, IncrementResult } from '../ports/counters.port';

/** The outcome of adding `delta` to `current` within the floor and ceiling, before any write. */
export function applyDelta(current: number, delta: number, options: IncrementOptions = {}): IncrementResult {
  const next = current + delta;
  const belowFloor = options.floor !== undefined && delta < 0 && next < options.floor;
  const aboveCeiling = options.ceiling !== undefined && delta > 0 && next > options.ceiling;
  return belowFloor || aboveCeiling ? { applied: false, value: current } : { applied: true, value: next };
}
