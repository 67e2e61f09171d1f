import { NamedItemRepository } from './named-item.repository';
import { UserGroupEntity } from './user-group.entity';
import type { Database } from '../database/database';

/** Operator groups. */
export class UserGroupRepository extends NamedItemRepository {
  constructor(database: Database) {
    super(database, UserGroupEntity);
  }
}
