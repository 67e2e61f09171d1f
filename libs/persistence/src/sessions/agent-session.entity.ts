import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { OperatorEntity } from '../operators/operator.entity';

/**
 * One log-in of an operator: the refresh token's hash, how long it may still be refreshed and whether
 * it was revoked (log-out, user disabled). Deleting the operator deletes their sessions.
 */
@Entity({ name: 'agent_sessions' })
@Index('uq_agent_sessions_session_key', ['sessionKey'], { unique: true })
@Index('idx_agent_sessions_operator', ['operatorId'])
export class AgentSessionEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  /** The session's public id, carried inside its access tokens. */
  @Column({ type: 'varchar', length: 64 })
  sessionKey!: string;

  @Column(idColumn)
  operatorId!: number;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  /** SHA-256 (hex) of the current refresh token; the token itself is never stored. */
  @Column({ type: 'varchar', length: 64 })
  refreshHash!: string;

  /** "Remember me": the session outlives the browser and is refreshable for longer. */
  @Column({ type: 'boolean', width: 1, default: false })
  remember!: boolean;

  @Column(timestampColumn)
  createdAt!: Date;

  /** After this the session can no longer be refreshed; each refresh moves it on. */
  @Column(timestampColumn)
  expiresAt!: Date;

  @Column({ ...timestampColumn, nullable: true })
  revokedAt!: Date | null;

  /** Why it was revoked: `logout`, `disabled`, `deleted`, `refresh-reuse`, `role-changed`. */
  @Column({ type: 'varchar', length: 32, nullable: true })
  revokeReason!: string | null;
}
