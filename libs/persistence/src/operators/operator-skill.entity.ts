import { Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { idColumn } from '../database/column-types';
import { OperatorEntity } from './operator.entity';
import { SkillEntity } from './skill.entity';

/** Join table operator ⇄ skill; an explicit entity so the migration owns every index name. */
@Entity({ name: 'operator_skills' })
export class OperatorSkillEntity {
  @PrimaryColumn(idColumn)
  operatorId!: number;

  @PrimaryColumn(idColumn)
  skillId!: number;

  @ManyToOne(() => OperatorEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'operator_id' })
  operator?: OperatorEntity;

  @ManyToOne(() => SkillEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'skill_id' })
  skill?: SkillEntity;
}
