// Pure statistics for the benchmark: percentiles, rates and ratios, kept free of I/O so they are unit-tested.

/** The p-th percentile (0–100) by the nearest-rank method; undefined for no samples. */
export function percentile(samples: readonly number[], p: number): number | undefined {
  if (samples.length === 0) return undefined;
  if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`percentile ${p} is not within 0-100`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Events per second over a window in milliseconds; 0 for an empty window. */
export function ratePerSecond(count: number, windowMs: number): number {
  return windowMs > 0 ? (count * 1000) / windowMs : 0;
}

/** a / b, undefined when b is 0 or either is missing. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}

export interface LatencySummary {
  readonly count: number;
  readonly p50Ms: number | undefined;
  readonly p99Ms: number | undefined;
  readonly maxMs: number | undefined;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  return {
    count: samplesMs.length,
    p50Ms: percentile(samplesMs, 50),
    p99Ms: percentile(samplesMs, 99),
    maxMs: samplesMs.length === 0 ? undefined : samplesMs.reduce((a, b) => Math.max(a, b), -Infinity),
  };
}

/** CPU share (1 = one core fully busy) from two readings of a process's utime+stime in clock ticks. */
export function cpuShare(
  ticksBefore: number,
  ticksAfter: number,
  windowMs: number,
  ticksPerSecond: number,
): number {
  if (windowMs <= 0 || ticksPerSecond <= 0) return 0;
  return (ticksAfter - ticksBefore) / ticksPerSecond / (windowMs / 1000);
}

/** Bytes per item of a growth, undefined for no items. */
export function perItem(bytesBefore: number, bytesAfter: number, items: number): number | undefined {
  return items > 0 ? (bytesAfter - bytesBefore) / items : undefined;
}

/** Formats a number for the table: fixed decimals, or "-" when missing. */
export function fmt(value: number | undefined, decimals = 0): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(decimals);
}
