import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';

/** A routing skill (e.g. "Sales", "Deutsch"); chats ask for one, operators hold several. */
@Entity({ name: 'skills' })
@Index('uq_skills_name', ['name'], { unique: true })
export class SkillEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;
}
