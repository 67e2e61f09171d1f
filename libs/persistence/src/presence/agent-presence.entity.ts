import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { OperatorEntity } from '../operators/operator.entity';

/**
 * Where an agent's connections are, cluster-wide: the messenger nodes stamp `seenAt` for every agent
 * connected to them (their heartbeat), `goneAt` when the agent's last connection to a node leaves,
 * and `activeAt` when the agent last did something. Routing's presence sweep decides from these.
 */
@Entity({ name: 'agent_presence' })
export class AgentPresenceEntity {
  @PrimaryColumn(idColumn)
  operatorId!: number;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @Column({ ...timestampColumn, nullable: true })
  seenAt!: Date | null;

  @Column({ ...timestampColumn, nullable: true })
  goneAt!: Date | null;

  @Column({ ...timestampColumn, nullable: true })
  activeAt!: Date | null;
}
