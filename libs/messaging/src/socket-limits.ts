import { Injectable, Logger } from '@nestjs/common';
import { ParameterService, type ParameterName } from '@switchboard/config';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { MessagingException } from './messaging.exception';

/** What is limited: the parameter giving the points and the window (seconds) it counts over. */
const LIMITS = {
  send: { parameter: 'ACD.Chat.RateLimit.Send.Per10Seconds', seconds: 10, per: 'connection' },
  typing: { parameter: 'ACD.Chat.RateLimit.Typing.Per10Seconds', seconds: 10, per: 'connection' },
  start: { parameter: 'ACD.Chat.RateLimit.Start.PerMinute', seconds: 60, per: 'address' },
} as const satisfies Record<string, { parameter: ParameterName; seconds: number; per: string }>;

export type LimitedEvent = keyof typeof LIMITS;

/**
 * Per-connection and per-address request limits of this node (in memory: a key is kept only for
 * its window). A request beyond its limit is refused with RATE_LIMITED and `retryAfterMs` before
 * anything is stored or published. The limits are parameters: a change applies to new windows.
 */
@Injectable()
export class SocketLimits {
  private readonly logger = new Logger('SocketLimits');
  private readonly limiters = new Map<LimitedEvent, { points: number; limiter: RateLimiterMemory }>();

  constructor(private readonly parameters: ParameterService) {}

  /** Counts one `event` for `key` (a socket id, or a client address); throws RATE_LIMITED beyond the limit. */
  async consume(event: LimitedEvent, key: string): Promise<void> {
    try {
      await this.limiter(event).consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const { parameter, per } = LIMITS[event];
      const retryAfterMs = Math.max(1, Math.ceil(refusal.msBeforeNext));
      // Logged once per window and key, so a flood does not flood the log.
      if (refusal.consumedPoints === this.parameters.get(parameter) + 1)
        this.logger.warn(`chat:${event} refused for ${per} ${key}: over ${parameter} until its window ends`);
      throw new MessagingException(
        'RATE_LIMITED',
        `Too many chat:${event} from this ${per} (${parameter}); retry in ${retryAfterMs} ms.`,
        retryAfterMs,
      );
    }
  }

  private limiter(event: LimitedEvent): RateLimiterMemory {
    const { parameter, seconds } = LIMITS[event];
    const points = this.parameters.get(parameter);
    const current = this.limiters.get(event);
    if (current?.points === points) return current.limiter;
    const limiter = new RateLimiterMemory({ keyPrefix: event, points, duration: seconds });
    this.limiters.set(event, { points, limiter });
    return limiter;
  }
}
