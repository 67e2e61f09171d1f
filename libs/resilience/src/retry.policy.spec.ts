import { Retry } from './retry.policy';

class Transient extends Error {}

/** Work that fails `failures` times with `error`, then answers 'done'; counts its calls. */
function flaky(failures: number, error: () => Error = () => new Transient('try again')) {
  const work = { calls: 0, run: () => Promise.resolve('') };
  work.run = () => {
    work.calls += 1;
    return work.calls <= failures ? Promise.reject(error()) : Promise.resolve('done');
  };
  return work;
}

const transientOnly = (error: Error) => error instanceof Transient;

describe('Retry', () => {
  it('runs the work again after a failure it may cure, until it succeeds', async () => {
    const work = flaky(2);
    const policy = new Retry({ retries: 3, retryIf: transientOnly, backoff: { initialMs: 1 } });
    await expect(policy.execute(work.run)).resolves.toBe('done');
    expect(work.calls).toBe(3);
  });

  it('gives the last failure back once the retries are used up', async () => {
    const work = flaky(10);
    const policy = new Retry({ retries: 2, retryIf: transientOnly, backoff: { initialMs: 1 } });
    await expect(policy.execute(work.run)).rejects.toBeInstanceOf(Transient);
    expect(work.calls).toBe(3);
  });

  it('does not retry a failure retryIf refuses', async () => {
    const work = flaky(1, () => new Error('wrong request'));
    const policy = new Retry({ retries: 5, retryIf: transientOnly, backoff: { initialMs: 1 } });
    await expect(policy.execute(work.run)).rejects.toThrow('wrong request');
    expect(work.calls).toBe(1);
  });

  it('pauses by the shared backoff between attempts', async () => {
    const work = flaky(2);
    const policy = new Retry({ retries: 2, retryIf: transientOnly, backoff: { initialMs: 40, maxMs: 1000 } });
    const started = performance.now();
    await policy.execute(work.run);
    // 40 ms then 80 ms, no jitter.
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
  });
});
