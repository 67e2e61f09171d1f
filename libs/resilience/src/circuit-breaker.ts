import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';

/** The logging a breaker does; NestJS's `Logger`, pino's loggers and `console` all fit. */
export interface ResilienceLogger {
  log(message: string): void;
  warn(message: string): void;
}

export interface CircuitBreakerOptions {
  /** What the breaker guards, as its log lines and errors name it (e.g. `TynTec`). */
  readonly name: string;
  /** Which failures count against the service; others (a refused request) pass through uncounted. */
  readonly isFailure: (error: Error) => boolean;
  /**
   * Failures in a row that open the circuit.
   * @default 5
   */
  readonly failuresToOpen?: number;
  /**
   * How long an open circuit fails every call at once before one probe call may go through
   * (half-open): its success closes the circuit, its failure opens it again for as long.
   * @default 30000
   */
  readonly halfOpenAfterMs?: number;
  /** @default console */
  readonly logger?: ResilienceLogger;
}

/** Thrown at once, without calling the service, while a circuit is open. */
export class CircuitOpenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CircuitOpenError';
  }
}

export type CircuitStateName = 'closed' | 'open' | 'half-open';

/**
 * Stops calling a service that keeps failing: after `failuresToOpen` failures in a row every call fails
 * fast with `CircuitOpenError` for `halfOpenAfterMs`, then a single probe decides whether calls go
 * through again. Each change of state is logged.
 */
export class CircuitBreaker {
  private readonly policy: CircuitBreakerPolicy;
  private readonly options: Required<CircuitBreakerOptions>;

  constructor(options: CircuitBreakerOptions) {
    this.options = { failuresToOpen: 5, halfOpenAfterMs: 30_000, logger: console, ...options };
    const { name, failuresToOpen, halfOpenAfterMs, logger } = this.options;
    this.policy = circuitBreaker(handleWhen(options.isFailure), {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(failuresToOpen),
    });
    this.policy.onBreak((reason) => {
      const last = 'error' in reason ? `: ${reason.error.message}` : '';
      logger.warn(
        `${name} circuit opened after ${failuresToOpen} failures in a row${last}; calls fail fast for ${halfOpenAfterMs} ms, then one probe`,
      );
    });
    this.policy.onHalfOpen(() => logger.log(`${name} circuit half-open: one probe call goes through`));
    this.policy.onReset(() => logger.log(`${name} circuit closed: calls go through again`));
  }

  get state(): CircuitStateName {
    switch (this.policy.state) {
      case CircuitState.Closed:
        return 'closed';
      case CircuitState.HalfOpen:
        return 'half-open';
      case CircuitState.Open:
      case CircuitState.Isolated:
        return 'open';
    }
  }

  /** The work's result or failure; `CircuitOpenError` without running it while the circuit is open. */
  async execute<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.policy.execute(() => work());
    } catch (error) {
      if (!(error instanceof BrokenCircuitError)) throw error;
      const { name, failuresToOpen, halfOpenAfterMs } = this.options;
      throw new CircuitOpenError(
        `${name} is not called: its circuit is open after ${failuresToOpen} failures in a row; ` +
          `a probe goes through within ${halfOpenAfterMs} ms of the last failure, try again then`,
      );
    }
  }
}
