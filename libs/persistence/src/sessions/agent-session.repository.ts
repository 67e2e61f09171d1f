import { ensureValid } from '../database/persistence.error';
import { dateParameter } from '../database/sql-values';
import type { Database } from '../database/database';
import { AgentSessionEntity } from './agent-session.entity';

/** A session as callers see it: never more than the refresh token's hash. */
export type AgentSessionRecord = Readonly<Omit<AgentSessionEntity, 'operator'>>;

export interface NewAgentSession {
  sessionKey: string;
  operatorId: number;
  refreshHash: string;
  remember: boolean;
  expiresAt: Date;
}

/** Why a session ended early; stored with it. */
export type RevokeReason =
  'logout' | 'disabled' | 'deleted' | 'refresh-reuse' | 'role-changed' | 'password-changed';

/**
 * Operators' log-in sessions. The database decides whether a session still holds: a refresh rotates
 * the token's hash only if it is still the one presented (one conditional UPDATE), so a refresh token
 * used twice loses, and a revoked session stays revoked on every node.
 */
export class AgentSessionRepository {
  constructor(private readonly database: Database) {}

  async open(session: NewAgentSession, createdAt = new Date()): Promise<AgentSessionRecord> {
    ensureValid(session.sessionKey.length >= 16, 'a session key needs at least 16 characters');
    const saved = await this.database.transaction((manager) =>
      manager.save(
        manager.create(AgentSessionEntity, { ...session, createdAt, revokedAt: null, revokeReason: null }),
      ),
    );
    return toRecord(saved);
  }

  /** The session when it is neither revoked nor past its refresh deadline at `at`. */
  async findActive(sessionKey: string, at = new Date()): Promise<AgentSessionRecord | null> {
    const entity = await this.database.manager
      .createQueryBuilder(AgentSessionEntity, 'session')
      .where('session.sessionKey = :sessionKey', { sessionKey })
      .andWhere('session.revokedAt IS NULL')
      .andWhere('session.expiresAt > :at', { at: dateParameter(this.database.dataSource, at) })
      .getOne();
    return entity === null ? null : toRecord(entity);
  }

  async findByKey(sessionKey: string): Promise<AgentSessionRecord | null> {
    const entity = await this.database.manager.findOneBy(AgentSessionEntity, { sessionKey });
    return entity === null ? null : toRecord(entity);
  }

  /** Replaces the refresh hash and deadline if `previousHash` is still current; false when it is not (or the session ended). */
  async rotate(
    sessionKey: string,
    previousHash: string,
    next: { refreshHash: string; expiresAt: Date },
    at = new Date(),
  ): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(AgentSessionEntity)
        .set(next)
        .where('session_key = :sessionKey AND refresh_hash = :previousHash', { sessionKey, previousHash })
        .andWhere('revoked_at IS NULL AND expires_at > :at', {
          at: dateParameter(this.database.dataSource, at),
        })
        .execute(),
    );
    return result.affected === 1;
  }

  /** Revokes one session; false when it was already revoked or does not exist. */
  async revoke(sessionKey: string, reason: RevokeReason, at = new Date()): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(AgentSessionEntity)
        .set({ revokedAt: at, revokeReason: reason })
        .where('session_key = :sessionKey AND revoked_at IS NULL', { sessionKey })
        .execute(),
    );
    return result.affected === 1;
  }

  /** Revokes every live session of an operator; returns how many it revoked. */
  async revokeAll(operatorId: number, reason: RevokeReason, at = new Date()): Promise<number> {
    const result = await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .update(AgentSessionEntity)
        .set({ revokedAt: at, revokeReason: reason })
        .where('operator_id = :operatorId AND revoked_at IS NULL', { operatorId })
        .execute(),
    );
    return result.affected ?? 0;
  }
}

function toRecord({ operator: _operator, ...fields }: AgentSessionEntity): AgentSessionRecord {
  return fields;
}
