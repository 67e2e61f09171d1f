import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { ConcurrencyLimit } from '@switchboard/resilience';

// scrypt cost: N=2^15, r=8, p=1 (~32 MB, tens of ms) following OWASP's minimum for scrypt.
const defaultCost = { N: 32768, r: 8, p: 1 } as const;
const keyLength = 32;
const saltLength = 16;

/**
 * The derivations running at once in this process. scrypt runs on libuv's thread pool (4 threads),
 * so a log-in storm without a bound takes every core from the event loop, whose sockets and lines
 * then wait, and queues every other pool user (file writes, look-ups) behind it: one core is left.
 */
export const passwordDerivations = new ConcurrencyLimit(Math.max(1, availableParallelism() - 1));

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 128 * cost.N * cost.r * 2 };
  return passwordDerivations.run(
    () =>
      new Promise((resolve, reject) => {
        scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) =>
          error ? reject(error) : resolve(key),
        );
      }),
  );
}

/** Hashes a password as `scrypt$N$r$p$<salt b64url>$<hash b64url>`, so the cost can change later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, defaultCost);
  const { N, r, p } = defaultCost;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a {@link hashPassword} string in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash, ...rest] = stored.split('$');
  if (scheme !== 'scrypt' || rest.length > 0 || salt === undefined || hash === undefined) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(cost).every((value) => Number.isInteger(value) && value > 0)) return false;
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== keyLength) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return timingSafeEqual(actual, expected);
}
