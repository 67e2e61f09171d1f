import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('doubles from the initial delay after each consecutive failure', () => {
    expect([1, 2, 3, 4].map((failures) => backoffDelay(failures, { initialMs: 100, maxMs: 10_000 }))).toEqual(
      [100, 200, 400, 800],
    );
  });

  it('never exceeds the maximum', () => {
    expect(backoffDelay(50, { initialMs: 100, maxMs: 5_000 })).toBe(5_000);
  });

  it('defaults to 100 ms, capped at 5 s', () => {
    expect([backoffDelay(1), backoffDelay(20)]).toEqual([100, 5_000]);
  });

  it('caps before the jitter, so a jittered delay never exceeds the maximum either', () => {
    const options = { initialMs: 1000, maxMs: 60_000 } as const;
    expect(backoffDelay(40, { ...options, jitter: 'full' }, () => 0.999_999)).toBeLessThanOrEqual(60_000);
    expect(backoffDelay(40, { ...options, jitter: 'equal' }, () => 0.999_999)).toBeLessThanOrEqual(60_000);
  });

  it('spreads full jitter over 0 to the delay', () => {
    const options = { initialMs: 100, maxMs: 10_000, jitter: 'full' } as const;
    expect(backoffDelay(3, options, () => 0)).toBe(0);
    expect(backoffDelay(3, options, () => 0.5)).toBe(200);
    expect(backoffDelay(3, options, () => 0.999)).toBeCloseTo(399.6);
  });

  it('spreads equal jitter over half the delay to the delay', () => {
    const options = { initialMs: 100, maxMs: 10_000, jitter: 'equal' } as const;
    expect(backoffDelay(3, options, () => 0)).toBe(200);
    expect(backoffDelay(3, options, () => 0.999)).toBeCloseTo(399.8);
  });

  it('keeps jittered delays within their bounds with the real random source', () => {
    for (let failures = 1; failures <= 12; failures += 1) {
      const planned = backoffDelay(failures, { initialMs: 50, maxMs: 20_000 });
      const full = backoffDelay(failures, { initialMs: 50, maxMs: 20_000, jitter: 'full' });
      const equal = backoffDelay(failures, { initialMs: 50, maxMs: 20_000, jitter: 'equal' });
      expect(full).toBeGreaterThanOrEqual(0);
      expect(full).toBeLessThanOrEqual(planned);
      expect(equal).toBeGreaterThanOrEqual(planned / 2);
      expect(equal).toBeLessThanOrEqual(planned);
    }
  });
});
