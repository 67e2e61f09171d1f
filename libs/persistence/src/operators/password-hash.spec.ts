import { hashPassword, passwordDerivations, verifyPassword } from './password-hash';

describe('password hashing', () => {
  it('writes a self-describing scrypt hash', async () => {
    expect(await hashPassword('secret')).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
  });

  it('salts each hash, so one password gives two different hashes', async () => {
    expect(await hashPassword('secret')).not.toBe(await hashPassword('secret'));
  });

  it('accepts the right password', async () => {
    expect(await verifyPassword('secret', await hashPassword('secret'))).toBe(true);
  });

  it('rejects a wrong password', async () => {
    expect(await verifyPassword('Secret', await hashPassword('secret'))).toBe(false);
  });

  it('rejects a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('secret', 'bcrypt$2b$10$abc')).toBe(false);
  });

  it('answers a burst of checks, each rightly, running at most the limit of derivations at once', async () => {
    const stored = await hashPassword('secret');
    let mostAtOnce = 0;
    const sampler = setInterval(() => (mostAtOnce = Math.max(mostAtOnce, passwordDerivations.running)), 1);
    const answers = await Promise.all(
      ['secret', 'wrong', 'secret', 'Secret'].map((password) => verifyPassword(password, stored)),
    );
    clearInterval(sampler);
    expect(answers).toEqual([true, false, true, false]);
    expect(mostAtOnce).toBeGreaterThan(0);
    expect(mostAtOnce).toBeLessThanOrEqual(passwordDerivations.limit);
  });
});
