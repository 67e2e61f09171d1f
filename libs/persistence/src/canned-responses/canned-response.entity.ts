import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';
import { OperatorEntity } from '../operators/operator.entity';

/** A reusable reply; owned by one operator, or shared by all when `operatorId` is null. */
@Entity({ name: 'canned_responses' })
export class CannedResponseEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ ...idColumn, nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  text!: string;
}
