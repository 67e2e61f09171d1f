import { Injectable, type OnModuleInit } from '@nestjs/common';
import { SecretRepository } from '@switchboard/persistence';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What an agent's access token says: whose it is, of which session, until when. */
export interface AgentTokenClaims {
  readonly operatorId: number;
  /** The session (`agent_sessions.session_key`, hex) the token belongs to; it may be revoked meanwhile. */
  readonly sessionKey: string;
  readonly expiresAt: Date;
}

/**
 * Signs the tokens that let a visitor rejoin their chat and an agent reconnect, on any node: the
 * HMAC key is one cluster-wide secret, created once in the database by whichever process starts first.
 */
@Injectable()
export class TokenService implements OnModuleInit {
  private key: Buffer | undefined;

  constructor(private readonly secrets: SecretRepository) {}

  async onModuleInit(): Promise<void> {
    const secret = await this.secrets.getOrCreate('token-signing-key', () =>
      randomBytes(32).toString('base64'),
    );
    this.key = Buffer.from(secret, 'base64');
  }

  visitorToken(chatUid: string): string {
    return this.sign(`visitor.${chatUid}`);
  }

  isVisitorToken(chatUid: string, token: string): boolean {
    return safeEqual(this.visitorToken(chatUid), token);
  }

  /**
   * The UID of the chat a visitor's start opens, derived from the start's own request id: a retry of
   * the same start (same site, visitor and request id) names the same chat; nobody else can guess it.
   */
  startedChatUid(siteId: number, visitorKey: string, clientRequestId: string): string {
    const hex = createHmac('sha256', this.requireKey())
      .update(`start.${siteId}.${visitorKey}.${clientRequestId}`)
      .digest('hex');
    // Shaped as a UUID (version 8: custom) like the random ones.
    const variant = ((Number.parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }

  /** A signed access token; whether its session still holds is the session service's question. */
  agentToken(claims: AgentTokenClaims): string {
    const payload = `${claims.operatorId}.${claims.sessionKey}.${claims.expiresAt.getTime()}`;
    return `${payload}.${this.sign(`agent.${payload}`)}`;
  }

  /** The claims of a well-signed, unexpired agent token, or undefined. */
  verifyAgentToken(token: string, now = new Date()): AgentTokenClaims | undefined {
    const match = /^(\d+)\.([0-9a-f]{16,64})\.(\d+)\.([\w-]+)$/.exec(token);
    if (!match) return undefined;
    const [, operatorId, sessionKey, expiresAt, signature] = match;
    if (!safeEqual(this.sign(`agent.${operatorId}.${sessionKey}.${expiresAt}`), signature)) return undefined;
    if (Number(expiresAt) <= now.getTime()) return undefined;
    return { operatorId: Number(operatorId), sessionKey, expiresAt: new Date(Number(expiresAt)) };
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.requireKey()).update(payload).digest('base64url');
  }

  private requireKey(): Buffer {
    if (!this.key) throw new Error('TokenService used before its module initialised');
    return this.key;
  }
}

function safeEqual(expected: string, actual: string): boolean {
  const expectedBytes = Buffer.from(expected);
  const actualBytes = Buffer.from(actual);
  return expectedBytes.length === actualBytes.length && timingSafeEqual(expectedBytes, actualBytes);
}
