import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The admin interface's shared secret (`a={authstring}`). Compared in constant time (over digests,
 * so the length of the secret does not leak either); never logged: `toString` hides it.
 */
export class AuthString {
  private readonly expected: Buffer;

  constructor(private readonly secret: string) {
    this.expected = digest(secret);
  }

  /** A fresh random auth string (URL-safe, 144 bits). */
  static generate(): AuthString {
    return new AuthString(randomBytes(18).toString('base64url'));
  }

  matches(candidate: unknown): boolean {
    if (typeof candidate !== 'string') return false;
    return timingSafeEqual(digest(candidate), this.expected);
  }

  /** The secret itself, for the one place that must show it (the embedded mode's start banner). */
  reveal(): string {
    return this.secret;
  }

  toString(): string {
    return '[auth string]';
  }

  toJSON(): string {
    return '[auth string]';
  }
}
