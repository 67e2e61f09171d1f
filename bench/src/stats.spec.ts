import { cpuShare, fmt, percentile, perItem, ratePerSecond, ratio, summarize } from './stats';

describe('percentile', () => {
  it('takes the nearest rank of the sorted samples', () => {
    const samples = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(samples, 50)).toBe(5);
    expect(percentile(samples, 90)).toBe(9);
    expect(percentile(samples, 99)).toBe(10);
    expect(percentile(samples, 100)).toBe(10);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('gives the p99 of 1..1000 as 990', () => {
    expect(
      percentile(
        Array.from({ length: 1000 }, (_, index) => index + 1),
        99,
      ),
    ).toBe(990);
  });

  it('is undefined without samples and refuses a percentile outside 0-100', () => {
    expect(percentile([], 50)).toBeUndefined();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });

  it('does not reorder its input', () => {
    const samples = [3, 1, 2];
    percentile(samples, 50);
    expect(samples).toEqual([3, 1, 2]);
  });
});

describe('rates and ratios', () => {
  it('counts per second over a window in milliseconds', () => {
    expect(ratePerSecond(3000, 1500)).toBe(2000);
    expect(ratePerSecond(10, 0)).toBe(0);
  });

  it('divides, undefined on a zero or missing denominator', () => {
    expect(ratio(3, 12)).toBe(0.25);
    expect(ratio(3, 0)).toBeUndefined();
    expect(ratio(undefined, 2)).toBeUndefined();
  });

  it('turns clock ticks into a CPU share', () => {
    expect(cpuShare(100, 250, 1000, 100)).toBe(1.5);
    expect(cpuShare(0, 10, 0, 100)).toBe(0);
  });

  it('spreads a growth over items', () => {
    expect(perItem(1000, 5000, 4)).toBe(1000);
    expect(perItem(1000, 5000, 0)).toBeUndefined();
  });
});

describe('summarize and fmt', () => {
  it('summarizes latencies', () => {
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, p50Ms: 2, p99Ms: 4, maxMs: 4 });
    expect(summarize([])).toEqual({ count: 0, p50Ms: undefined, p99Ms: undefined, maxMs: undefined });
  });

  it('formats missing values as a dash', () => {
    expect(fmt(1.234, 1)).toBe('1.2');
    expect(fmt(undefined)).toBe('-');
    expect(fmt(Number.NaN)).toBe('-');
  });
});
