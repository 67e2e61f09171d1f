import { NamedItemRepository } from './named-item.repository';
import { SkillEntity } from './skill.entity';
import type { Database } from '../database/database';

/** Routing skills. */
export class SkillRepository extends NamedItemRepository {
  constructor(database: Database) {
    super(database, SkillEntity);
  }
}
