import { Injectable } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { RateLimits } from '@switchboard/platform';

const fifteenMinutes = 15 * 60;

const LIMITS = {
  user: { parameter: 'ACD.Chat.RateLimit.Login.FailuresPerUser.Per15Minutes', seconds: fifteenMinutes },
  address: { parameter: 'ACD.Chat.RateLimit.Login.FailuresPerAddress.Per15Minutes', seconds: fifteenMinutes },
} as const;

type Counted = keyof typeof LIMITS;

/** A log-in that may not be tried now: how long until it may, and whether this refusal is the first of its window. */
export interface LoginLockout {
  readonly retryAfterMs: number;
  readonly firstRefusal: boolean;
}

/**
 * Failed log-ins counted per username (as typed, case-folded: known or not, so a lockout says nothing
 * about whether the user exists) and per client address, on this node. A username or an address
 * over its limit is refused before any password is checked, until its window ends (refusals do not
 * move the end); a successful log-in clears the username's count.
 */
@Injectable()
export class LoginLimits {
  private readonly limits: RateLimits<Counted>;

  constructor(parameters: ParameterService) {
    this.limits = new RateLimits(parameters, LIMITS);
  }

  /** The lockout in force for `login` (undefined for a refresh) from `address`, or undefined when it may be tried. */
  async lockout(login: string | undefined, address: string): Promise<LoginLockout | undefined> {
    const keys: Array<[Counted, string]> = [['address', address]];
    if (login !== undefined) keys.push(['user', userKey(login)]);
    let retryAfterMs = 0;
    let firstRefusal = false;
    for (const [name, key] of keys) {
      const { consumed, limit } = await this.limits.peek(name, key);
      if (consumed < limit) continue;
      // Refusals are counted too, only to tell the first one of the window (audited) from the rest.
      const refused = await this.limits.count(name, key);
      retryAfterMs = Math.max(retryAfterMs, refused.retryAfterMs);
      firstRefusal ||= refused.consumed === refused.limit + 1;
    }
    return retryAfterMs === 0 ? undefined : { retryAfterMs, firstRefusal };
  }

  /** Counts a failed log-in (or refresh, without `login`) against the address and the username. */
  async failed(login: string | undefined, address: string): Promise<void> {
    await this.limits.count('address', address);
    if (login !== undefined) await this.limits.count('user', userKey(login));
  }

  /** A successful log-in: the username's failures are forgotten (the address's are not). */
  async succeeded(login: string): Promise<void> {
    await this.limits.reset('user', userKey(login));
  }
}

const userKey = (login: string): string => login.trim().toLowerCase();
