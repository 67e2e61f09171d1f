import type { DataSource } from 'typeorm';
import { NamedItemRepository } from './named-item.repository';
import { SkillEntity } from './skill.entity';

/** Routing skills. */
export class SkillRepository extends NamedItemRepository {
  constructor(dataSource: DataSource) {
    super(dataSource, SkillEntity);
  }
}
