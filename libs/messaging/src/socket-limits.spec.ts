import type { ParameterService } from '@switchboard/config';
import { MessagingException } from './messaging.exception';
import { SocketLimits } from './socket-limits';

describe('SocketLimits', () => {
  const values: Record<string, number> = {
    'ACD.Chat.RateLimit.Send.Per10Seconds': 5,
    'ACD.Chat.RateLimit.Typing.Per10Seconds': 5,
    'ACD.Chat.RateLimit.Start.PerMinute': 3,
  };
  const limits = () =>
    new SocketLimits({ get: (name: string) => values[name] } as unknown as ParameterService);

  const outcome = (consuming: Promise<void>) =>
    consuming.then(
      () => 'ok',
      (error: unknown) => (error instanceof MessagingException ? error.toSocketError() : error),
    );

  it('refuses chat:start beyond the per-address limit with RATE_LIMITED and retryAfterMs; other addresses still start', async () => {
    const limiter = limits();
    const answers = [];
    for (let index = 0; index < 5; index += 1)
      answers.push(await outcome(limiter.consume('start', '203.0.113.7')));
    expect(answers.slice(0, 3)).toEqual(['ok', 'ok', 'ok']);
    for (const refused of answers.slice(3)) {
      expect(refused).toMatchObject({ code: 'RATE_LIMITED' });
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeGreaterThan(0);
      expect((refused as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(60_000);
    }
    expect(await outcome(limiter.consume('start', '198.51.100.1'))).toBe('ok');
  });

  it('counts each event and connection apart, and applies a changed limit', async () => {
    const limiter = limits();
    for (let index = 0; index < 5; index += 1) await limiter.consume('send', 'socket-a');
    expect(await outcome(limiter.consume('send', 'socket-a'))).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await outcome(limiter.consume('typing', 'socket-a'))).toBe('ok');
    expect(await outcome(limiter.consume('send', 'socket-b'))).toBe('ok');
    values['ACD.Chat.RateLimit.Send.Per10Seconds'] = 10;
    expect(await outcome(limiter.consume('send', 'socket-a'))).toBe('ok');
  });
});
