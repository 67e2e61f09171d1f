import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';
import { OperatorEntity } from '../operators/operator.entity';
import { ChatEntity } from './chat.entity';

/** A coded event in a chat's history, from WhosOn's glossary (OP, OPF, CQ, ST, TFER …). */
@Entity({ name: 'chat_events' })
export class ChatEventEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  chatId!: number;

  @ManyToOne(() => ChatEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'chat_id' })
  chat?: ChatEntity;

  @Column({ type: 'varchar', length: 8 })
  code!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ ...idColumn, nullable: true })
  operatorId!: number | null;

  @ManyToOne(() => OperatorEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @Column(timestampColumn)
  createdAt!: Date;
}
