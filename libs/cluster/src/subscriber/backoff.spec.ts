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
});
