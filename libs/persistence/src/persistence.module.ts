import { Module, type Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ChatLineRepository } from './chats/chat-line.repository';
import { LineGroupCommit } from './chats/line-group-commit';
import { Database } from './database/database';
import { databaseRepositories } from './repositories';

const repositoryProviders: Provider[] = Object.values(databaseRepositories).map((Repository) => ({
  provide: Repository,
  inject: [Database],
  useFactory: (database: Database) => new Repository(database),
}));

/**
 * Every repository as a provider that Nest injects by its class, over the process's DataSource
 * (provided by whoever imports this module: PlatformModule). One {@link Database} (the SQLite write
 * queue) and one {@link LineGroupCommit} (the MariaDB line batching) serve them all, so a feature
 * asks only for the repositories it uses.
 */
@Module({
  providers: [
    {
      provide: Database,
      inject: [DataSource],
      useFactory: (dataSource: DataSource) => new Database(dataSource),
    },
    {
      provide: LineGroupCommit,
      inject: [Database],
      useFactory: (database: Database) => new LineGroupCommit(database),
    },
    {
      provide: ChatLineRepository,
      inject: [Database, LineGroupCommit],
      useFactory: (database: Database, groupCommit: LineGroupCommit) =>
        new ChatLineRepository(database, groupCommit),
    },
    ...repositoryProviders,
  ],
  exports: [Database, ChatLineRepository, ...Object.values(databaseRepositories)],
})
export class PersistenceModule {}
