import type { DataSource } from 'typeorm';
import { NamedItemRepository } from './named-item.repository';
import { UserGroupEntity } from './user-group.entity';

/** Operator groups. */
export class UserGroupRepository extends NamedItemRepository {
  constructor(dataSource: DataSource) {
    super(dataSource, UserGroupEntity);
  }
}
