import type { Provider } from '@nestjs/common';
import { createRepositories } from '@switchboard/persistence';
import { DataSource } from 'typeorm';

/** Injection token of the {@link Repositories} the admin feature reads and writes through. */
export const ADMIN_REPOSITORIES = Symbol('ADMIN_REPOSITORIES');

export const adminRepositoriesProvider: Provider = {
  provide: ADMIN_REPOSITORIES,
  inject: [DataSource],
  useFactory: (dataSource: DataSource) => createRepositories(dataSource),
};
