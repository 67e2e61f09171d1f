import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { RateLimits, withoutIpv4Mapping, type RateLimitState } from '@switchboard/platform';
import type { Request, Response } from 'express';

const LIMITS = {
  requests: { parameter: 'ACD.Chat.RateLimit.Admin.Requests.PerMinute', seconds: 60 },
  failures: { parameter: 'ACD.Chat.RateLimit.Admin.AuthFailures.Per15Minutes', seconds: 15 * 60 },
} as const;

/** What the admin interface does with a request: serve it, refuse it (403), or tell the client to wait (429). */
export type AdminVerdict =
  | { readonly kind: 'admitted' }
  | { readonly kind: 'forbidden' }
  | { readonly kind: 'limited'; readonly retryAfterMs: number };

/**
 * The admin interface's request limits per client address, on this process (in memory): every
 * request counts against `ACD.Chat.RateLimit.Admin.Requests.PerMinute`, every refused one (outside the
 * whitelist, wrong or missing `a=`, a bad session token) against the much smaller
 * `ACD.Chat.RateLimit.Admin.AuthFailures.Per15Minutes`. An address over either gets 429 for everything,
 * the right auth string included, until its window ends: guessing the auth string stops there.
 */
@Injectable()
export class AdminLimits {
  private readonly logger = new Logger('AdminApi');
  private readonly limits: RateLimits<keyof typeof LIMITS>;
  // Requests already judged by the admin gate, so that the routes' guard does not count them again.
  private readonly judged = new WeakSet<Request>();

  constructor(parameters: ParameterService) {
    this.limits = new RateLimits(parameters, LIMITS);
  }

  /** Counts `request` against its address's limits, then lets `admitted` decide it unless a limit is reached. */
  async judge(request: Request, admitted: () => Promise<boolean>): Promise<AdminVerdict> {
    this.judged.add(request);
    const address = withoutIpv4Mapping(request.socket.remoteAddress ?? 'unknown');
    const failures = await this.limits.peek('failures', address);
    // Refusals are counted too, only to log the first one of the window.
    if (failures.consumed >= failures.limit)
      return this.limited('failures', address, await this.limits.count('failures', address));
    const requests = await this.limits.count('requests', address);
    if (requests.consumed > requests.limit) return this.limited('requests', address, requests);
    if (await admitted()) return { kind: 'admitted' };
    await this.limits.count('failures', address);
    return { kind: 'forbidden' };
  }

  /** Whether the admin gate has already judged (and counted) `request`. */
  hasJudged(request: Request): boolean {
    return this.judged.has(request);
  }

  private limited(name: keyof typeof LIMITS, address: string, state: RateLimitState): AdminVerdict {
    // The address only: the URL may hold the auth string.
    if (state.consumed === state.limit + 1)
      this.logger.warn(
        `admin requests from ${address} refused with 429 for ${Math.ceil(state.retryAfterMs / 1000)} s: over ${this.limits.parameterOf(name)}`,
      );
    return { kind: 'limited', retryAfterMs: state.retryAfterMs };
  }
}

/** The 429 answer: when to come back, and nothing else (never the URL, which may hold the auth string). */
export function tooManyRequests(response: Response, retryAfterMs: number): void {
  response
    .status(429)
    .setHeader('Retry-After', String(Math.ceil(retryAfterMs / 1000)))
    .setHeader('Cache-Control', 'no-store');
  response.type('text/plain').send('Too Many Requests\n');
}
