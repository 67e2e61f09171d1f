import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { OperatorEntity } from '../operators/operator.entity';
import type { OperatorStatus } from '../operators/operator-status';
import type { AgentStatusReason } from './agent-status-reason';

/** One change of an agent's status, written in the transaction that changed it. */
@Entity({ name: 'agent_status_events' })
@Index('idx_agent_status_events_operator', ['operatorId', 'at'])
export class AgentStatusEventEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  operatorId!: number;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @Column({ type: 'integer' })
  fromStatus!: OperatorStatus;

  @Column({ type: 'integer' })
  toStatus!: OperatorStatus;

  @Column({ type: 'varchar', length: 16 })
  reason!: AgentStatusReason;

  @Column(timestampColumn)
  at!: Date;
}
