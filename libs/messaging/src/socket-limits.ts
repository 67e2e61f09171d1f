import { Injectable, Logger } from '@nestjs/common';
import { ParameterService } from '@switchboard/config';
import { RateLimits } from '@switchboard/platform';
import { MessagingException } from './messaging.exception';

/** What is limited, and per what: the parameter giving the points and the window (seconds) it counts over. */
const LIMITS = {
  send: { parameter: 'ACD.Chat.RateLimit.Send.Per10Seconds', seconds: 10 },
  typing: { parameter: 'ACD.Chat.RateLimit.Typing.Per10Seconds', seconds: 10 },
  start: { parameter: 'ACD.Chat.RateLimit.Start.PerMinute', seconds: 60 },
} as const;
const PER = { send: 'connection', typing: 'connection', start: 'address' } as const;

export type LimitedEvent = keyof typeof LIMITS;

/**
 * Per-connection and per-address request limits of this node (in memory: a key is kept only for
 * its window). A request beyond its limit is refused with RATE_LIMITED and `retryAfterMs` before
 * anything is stored or published. The limits are parameters: a change applies to new windows.
 */
@Injectable()
export class SocketLimits {
  private readonly logger = new Logger('SocketLimits');
  private readonly limits: RateLimits<LimitedEvent>;

  constructor(parameters: ParameterService) {
    this.limits = new RateLimits(parameters, LIMITS);
  }

  /** Counts one `event` for `key` (a socket id, or a client address); throws RATE_LIMITED beyond the limit. */
  async consume(event: LimitedEvent, key: string): Promise<void> {
    const { consumed, limit, retryAfterMs } = await this.limits.count(event, key);
    if (consumed <= limit) return;
    const parameter = this.limits.parameterOf(event);
    // Logged once per window and key, so a flood does not flood the log.
    if (consumed === limit + 1)
      this.logger.warn(
        `chat:${event} refused for ${PER[event]} ${key}: over ${parameter} until its window ends`,
      );
    throw new MessagingException(
      'RATE_LIMITED',
      `Too many chat:${event} from this ${PER[event]} (${parameter}); retry in ${retryAfterMs} ms.`,
      retryAfterMs,
    );
  }
}
