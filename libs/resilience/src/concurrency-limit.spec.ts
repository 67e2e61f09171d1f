import { ConcurrencyLimit } from './concurrency-limit';

/** Work that finishes when `finish` is called, recording when it started. */
function controlled() {
  const started: number[] = [];
  const finishers = new Map<number, () => void>();
  const work = (id: number) => () => {
    started.push(id);
    return new Promise<number>((resolve) => finishers.set(id, () => resolve(id)));
  };
  const finish = (id: number) => finishers.get(id)?.();
  return { started, work, finish };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('runs at most its limit at once and the rest in the order they came', async () => {
    const limit = new ConcurrencyLimit(2);
    const { started, work, finish } = controlled();
    const results = [1, 2, 3, 4, 5].map((id) => limit.run(work(id)));
    await settle();
    expect(started).toEqual([1, 2]);
    expect(limit.running).toBe(2);
    finish(2);
    await settle();
    expect(started).toEqual([1, 2, 3]);
    finish(1);
    finish(3);
    await settle();
    expect(started).toEqual([1, 2, 3, 4, 5]);
    finish(4);
    finish(5);
    await expect(Promise.all(results)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(limit.running).toBe(0);
  });

  it('frees the slot of work that failed, and gives the failure to its caller only', async () => {
    const limit = new ConcurrencyLimit(1);
    const failed = limit.run(() => Promise.reject(new Error('broken')));
    const next = limit.run(() => Promise.resolve('next'));
    await expect(failed).rejects.toThrow('broken');
    await expect(next).resolves.toBe('next');
  });

  it('refuses a limit that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow('limit must be a positive integer (got 0)');
    expect(() => new ConcurrencyLimit(1.5)).toThrow(RangeError);
  });
});
