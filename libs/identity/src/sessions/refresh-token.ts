import { createHash, randomBytes } from 'node:crypto';

/** A refresh token is `<session key>.<secret>`; only the secret's SHA-256 is stored. */
export interface RefreshToken {
  readonly sessionKey: string;
  readonly token: string;
  readonly hash: string;
}

const hashOf = (secret: string): string => createHash('sha256').update(secret).digest('hex');

/** A fresh session key (public, inside access tokens). */
export function newSessionKey(): string {
  return randomBytes(16).toString('hex');
}

export function newRefreshToken(sessionKey: string): RefreshToken {
  const secret = randomBytes(32).toString('base64url');
  return { sessionKey, token: `${sessionKey}.${secret}`, hash: hashOf(secret) };
}

/** The session key and secret hash of a well-formed refresh token, or undefined. */
export function parseRefreshToken(token: string): RefreshToken | undefined {
  const match = /^([0-9a-f]{32})\.([\w-]{43})$/.exec(token);
  return match ? { sessionKey: match[1], token, hash: hashOf(match[2]) } : undefined;
}
