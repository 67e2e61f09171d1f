import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';

/** A named group of operators (WhosOn "user group"). */
@Entity({ name: 'user_groups' })
@Index('uq_user_groups_name', ['name'], { unique: true })
export class UserGroupEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  description!: string | null;
}
