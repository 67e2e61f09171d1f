import { Injectable } from '@nestjs/common';

export interface HealthCheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly durationMs: number;
}

type Check = () => Promise<string>;

/**
 * Readiness checks registered by the modules that own a dependency (database, cluster…). A check
 * resolves to a short detail when healthy and throws (or times out) when not.
 */
@Injectable()
export class HealthIndicators {
  private readonly checks = new Map<string, Check>();

  register(name: string, check: Check): void {
    this.checks.set(name, check);
  }

  async runAll(timeoutMs = 3000): Promise<HealthCheckResult[]> {
    return Promise.all([...this.checks].map(([name, check]) => runOne(name, check, timeoutMs)));
  }
}

async function runOne(name: string, check: Check, timeoutMs: number): Promise<HealthCheckResult> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const detail = await Promise.race([check(), timeout]);
    return { name, ok: true, detail, durationMs: Date.now() - started };
  } catch (error) {
    return { name, ok: false, detail: (error as Error).message, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
