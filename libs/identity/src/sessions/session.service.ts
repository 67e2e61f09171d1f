import { Injectable } from '@nestjs/common';
import { ChatEvents, TokenService } from '@switchboard/chat';
import { ParameterService } from '@switchboard/config';
import {
  AgentSessionRepository,
  hasRole,
  OperatorRepository,
  type OperatorRecord,
  type OperatorRole,
  type RevokeReason,
} from '@switchboard/persistence';
import type { AgentSessionTokens } from '@switchboard/protocol';
import { PasswordCheck } from '../credentials/password-check';
import { IdentityException } from '../identity.exception';
import { LoginAudit, type ClientOrigin } from './login-audit';
import { LoginLimits } from './login-limits';
import { newRefreshToken, newSessionKey, parseRefreshToken } from './refresh-token';

/** A connection or request proved to belong to a live session. */
export interface SignedIn {
  readonly operator: OperatorRecord;
  readonly sessionKey: string;
}

/** A session just opened or refreshed: who, and the tokens to hand to the client (secrets: never log them). */
export interface IssuedSession extends SignedIn, AgentSessionTokens {}

/** How the operator proved who they are, for the audit trail. */
export type LoginMethod = 'local' | 'ldap' | 'oidc';

const minute = 60_000;
const hour = 60 * minute;

/**
 * Operators' sessions: log-in, short-lived access tokens, rotating refresh tokens, log-out and
 * revocation. The database decides whether a session holds (every node asks it); the `session.revoked`
 * event on the cluster stream closes the connections the session still has on every node.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly operators: OperatorRepository,
    private readonly sessions: AgentSessionRepository,
    private readonly tokens: TokenService,
    private readonly parameters: ParameterService,
    private readonly passwords: PasswordCheck,
    private readonly audit: LoginAudit,
    private readonly events: ChatEvents,
    private readonly limits: LoginLimits,
  ) {}

  /**
   * Logs in with a username (or email) and password; every outcome is audited. A username or an
   * address with too many failures is refused (RATE_LIMITED) before the password is checked.
   */
  async login(
    request: { username: string; password: string; remember?: boolean },
    origin: ClientOrigin,
  ): Promise<IssuedSession> {
    await this.refuseLockedOut(request.username, origin);
    let operator: OperatorRecord;
    try {
      operator = await this.passwords.check(request.username, request.password);
    } catch (error) {
      if (error instanceof IdentityException) {
        if (error.code === 'BAD_CREDENTIALS')
          await this.limits.failed(request.username, origin.remoteAddress);
        await this.audit.record('login.failed', request.username, origin, { reason: error.code });
      }
      throw error;
    }
    const session = await this.open(
      operator,
      { remember: request.remember ?? false, method: operator.authSource },
      origin,
    );
    await this.limits.succeeded(request.username);
    return session;
  }

  /** Opens a session for an operator whose identity is proved (password, directory bind, OIDC); refuses a disabled one. */
  async open(
    operator: OperatorRecord,
    options: { remember: boolean; method: LoginMethod },
    origin: ClientOrigin,
    now = new Date(),
  ): Promise<IssuedSession> {
    if (operator.disabled) {
      await this.audit.record('login.failed', operator.username, origin, { reason: 'ACCOUNT_DISABLED' });
      throw new IdentityException('ACCOUNT_DISABLED');
    }
    const refresh = newRefreshToken(newSessionKey());
    await this.sessions.open(
      {
        sessionKey: refresh.sessionKey,
        operatorId: operator.id,
        refreshHash: refresh.hash,
        remember: options.remember,
        expiresAt: this.sessionEnd(options.remember, now),
      },
      now,
    );
    await this.audit.record('login', operator.username, origin, {
      method: options.method,
      remember: options.remember,
      session: refresh.sessionKey,
    });
    return this.issue(operator, refresh.sessionKey, refresh.token, now);
  }

  /** Who an access token belongs to, if its session still holds and the operator is enabled. */
  async authenticate(accessToken: string, now = new Date()): Promise<SignedIn> {
    const claims = this.tokens.verifyAgentToken(accessToken, now);
    if (!claims)
      throw new IdentityException('UNAUTHENTICATED', 'The token is invalid or expired: log in again.');
    const session = await this.sessions.findActive(claims.sessionKey, now);
    const operator =
      session?.operatorId === claims.operatorId && (await this.operators.findById(claims.operatorId));
    if (!operator || operator.disabled) throw new IdentityException('SESSION_ENDED');
    return { operator, sessionKey: claims.sessionKey };
  }

  /** Like {@link authenticate}, and the operator has at least `role`. */
  async authenticateAs(accessToken: string, role: OperatorRole): Promise<SignedIn> {
    const signedIn = await this.authenticate(accessToken);
    if (!hasRole(signedIn.operator.role, role))
      throw new IdentityException('UNAUTHENTICATED', `This needs the ${role} role.`);
    return signedIn;
  }

  /**
   * Spends a refresh token for a new pair; a token already spent, or of an ended session, is refused
   * (and counted as a failed log-in of the address: RATE_LIMITED once the address is over its limit).
   */
  async refresh(refreshToken: string, origin: ClientOrigin, now = new Date()): Promise<IssuedSession> {
    const presented = parseRefreshToken(refreshToken);
    const session = presented && (await this.sessions.findActive(presented.sessionKey, now));
    const operator = session && (await this.operators.findById(session.operatorId));
    if (presented && session && operator && !operator.disabled) {
      const next = newRefreshToken(presented.sessionKey);
      const rotated = await this.sessions.rotate(
        presented.sessionKey,
        presented.hash,
        { refreshHash: next.hash, expiresAt: this.sessionEnd(session.remember, now) },
        now,
      );
      if (rotated) return this.issue(operator, presented.sessionKey, next.token, now);
    }
    // note: only a refused refresh meets the lockout. A valid refresh token cannot be guessed (256 bits),
    // and refusing it would sign out every agent behind an address that someone else locked out.
    await this.refuseLockedOut(undefined, origin);
    await this.limits.failed(undefined, origin.remoteAddress);
    await this.audit.record('refresh.failed', operator ? operator.username : '', origin, {
      session: presented?.sessionKey ?? 'malformed token',
    });
    throw new IdentityException('SESSION_ENDED');
  }

  /**
   * Refuses a log-in (or a refresh, without `login`) while its username or address is locked out;
   * the first refusal of a lockout window is audited, the others only answered.
   */
  private async refuseLockedOut(login: string | undefined, origin: ClientOrigin): Promise<void> {
    const lockout = await this.limits.lockout(login, origin.remoteAddress);
    if (lockout === undefined) return;
    const seconds = Math.ceil(lockout.retryAfterMs / 1000);
    if (lockout.firstRefusal)
      await this.audit.record(login === undefined ? 'refresh.failed' : 'login.failed', login ?? '', origin, {
        reason: 'RATE_LIMITED',
        retryAfterSeconds: String(seconds),
      });
    throw new IdentityException(
      'RATE_LIMITED',
      `Too many failed log-ins for this username or from this address: try again in ${seconds} s.`,
      lockout.retryAfterMs,
    );
  }

  /** Ends this session everywhere: its tokens stop working and its connections on every node close. */
  async logout(signedIn: SignedIn, origin: ClientOrigin): Promise<void> {
    await this.sessions.revoke(signedIn.sessionKey, 'logout');
    await this.audit.record('logout', signedIn.operator.username, origin, { session: signedIn.sessionKey });
    await this.announce(signedIn.operator, signedIn.sessionKey, 'logout');
  }

  /** Ends every session of an operator (disabled, deleted, role or password changed) on every node. */
  async revokeAll(
    operator: Pick<OperatorRecord, 'id' | 'username'>,
    reason: RevokeReason,
    by: string,
    origin: ClientOrigin,
  ): Promise<number> {
    const revoked = await this.sessions.revokeAll(operator.id, reason);
    await this.audit.record('session.revoked', operator.username, origin, {
      reason,
      by,
      sessions: String(revoked),
    });
    await this.announce(operator, null, reason);
    return revoked;
  }

  private announce(
    operator: Pick<OperatorRecord, 'id' | 'username'>,
    sessionKey: string | null,
    reason: RevokeReason,
  ): Promise<void> {
    return this.events.publish({
      type: 'session.revoked',
      operatorId: operator.id,
      username: operator.username,
      sessionKey,
      reason,
    });
  }

  private issue(
    operator: OperatorRecord,
    sessionKey: string,
    refreshToken: string,
    now: Date,
  ): IssuedSession {
    const lifetime = this.parameters.get('ACD.Chat.Session.AccessToken.Minutes') * minute;
    const expiresAt = new Date(now.getTime() + lifetime);
    const token = this.tokens.agentToken({ operatorId: operator.id, sessionKey, expiresAt });
    return { operator, sessionKey, token, refreshToken, expiresAt: expiresAt.toISOString() };
  }

  private sessionEnd(remember: boolean, now: Date): Date {
    const lifetime = remember
      ? this.parameters.get('ACD.Chat.Session.RememberMe.Days') * 24 * hour
      : this.parameters.get('ACD.Chat.Session.Hours') * hour;
    return new Date(now.getTime() + lifetime);
  }
}
