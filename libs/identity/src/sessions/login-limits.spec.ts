import type { ParameterService } from '@switchboard/config';
import { LoginLimits } from './login-limits';

describe('LoginLimits', () => {
  const values: Record<string, number> = {
    'ACD.Chat.RateLimit.Login.FailuresPerUser.Per15Minutes': 3,
    'ACD.Chat.RateLimit.Login.FailuresPerAddress.Per15Minutes': 5,
  };
  const limits = () =>
    new LoginLimits({ get: (name: string) => values[name] } as unknown as ParameterService);
  const fifteenMinutes = 15 * 60_000;

  it('locks a username out after its limit of failures, from any address, for the rest of the window', async () => {
    const login = limits();
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      expect(await login.lockout('anna', address)).toBeUndefined();
      await login.failed('anna', address);
    }
    const lockout = await login.lockout('anna', '198.51.100.4');
    expect(lockout?.retryAfterMs).toBeGreaterThan(0);
    expect(lockout?.retryAfterMs).toBeLessThanOrEqual(fifteenMinutes);
    // The username as typed, case folded: 'Anna ' is the same username.
    expect(await login.lockout('Anna ', '198.51.100.5')).toBeDefined();
    expect(await login.lockout('bert', '198.51.100.4')).toBeUndefined();
  });

  it('locks an address out after its limit of failures over any usernames; other addresses still try', async () => {
    const login = limits();
    for (let index = 0; index < 5; index += 1) await login.failed(`user-${index}`, '203.0.113.9');
    expect(await login.lockout('someone-else', '203.0.113.9')).toBeDefined();
    expect(await login.lockout(undefined, '203.0.113.9')).toBeDefined();
    expect(await login.lockout('someone-else', '203.0.113.10')).toBeUndefined();
  });

  it('counts failed refreshes against the address only', async () => {
    const login = limits();
    for (let index = 0; index < 5; index += 1) await login.failed(undefined, '203.0.113.20');
    expect(await login.lockout(undefined, '203.0.113.20')).toBeDefined();
    expect(await login.lockout('anna', '203.0.113.21')).toBeUndefined();
  });

  it("clears the username's failures on a successful log-in, not the address's", async () => {
    const login = limits();
    for (let index = 0; index < 2; index += 1) await login.failed('anna', '192.0.2.1');
    await login.succeeded('ANNA');
    for (let index = 0; index < 2; index += 1) await login.failed('anna', '192.0.2.1');
    expect(await login.lockout('anna', '192.0.2.2')).toBeUndefined();
    await login.failed('anna', '192.0.2.1');
    // Five failures from 192.0.2.1 in all: the address stays locked though one log-in succeeded.
    expect(await login.lockout('bert', '192.0.2.1')).toBeDefined();
  });

  it('tells the first refusal of a lockout (audited) from the ones after it', async () => {
    const login = limits();
    for (let index = 0; index < 3; index += 1) await login.failed('anna', '192.0.2.7');
    const refusals = [];
    for (let index = 0; index < 4; index += 1)
      refusals.push((await login.lockout('anna', '192.0.2.8'))?.firstRefusal);
    expect(refusals).toEqual([true, false, false, false]);
  });
});
