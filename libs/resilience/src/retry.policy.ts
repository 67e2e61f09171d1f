import { DelegateBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { backoffDelay, type BackoffOptions } from './backoff';

export interface RetryOptions {
  /** Attempts after the first one; 0 runs the work once. */
  readonly retries: number;
  /** Which failures a new attempt may cure; any other is thrown at once. */
  readonly retryIf: (error: Error) => boolean;
  /** The pause before each retry (`backoffDelay` with these options). */
  readonly backoff?: BackoffOptions;
}

/** Runs work again after a failure that `retryIf` accepts, pausing by the shared backoff in between. */
export class Retry {
  private readonly policy: RetryPolicy;

  constructor(options: RetryOptions) {
    this.policy = retry(handleWhen(options.retryIf), {
      maxAttempts: options.retries,
      backoff: new DelegateBackoff((context: { attempt: number }) =>
        backoffDelay(context.attempt, options.backoff),
      ),
    });
  }

  /** The work's result, or the last failure once the retries are used up (or the first one not retried). */
  execute<T>(work: () => Promise<T>): Promise<T> {
    return this.policy.execute(() => work());
  }
}
