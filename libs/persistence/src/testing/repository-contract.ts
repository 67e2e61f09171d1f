import type { DataSource } from 'typeorm';
import { adminContract } from './admin.contract';
import { migrate } from '../database/migrate';
import { createRepositories } from '../repositories';
import { chatContract } from './chat.contract';
import type { ContractContext } from './contract-context';
import { directoryContract } from './directory.contract';
import { identityContract } from './identity.contract';
import { invariantsContract, type RaceSizes } from './invariants.contract';
import { presenceContract } from './presence.contract';
import { routingContract } from './routing.contract';
import { schemaContract } from './schema.contract';
import { settingsContract } from './settings.contract';
import { whatsappContract } from './whatsapp.contract';

/** How the contract suite reaches one database. */
export interface ContractDatabase {
  /** Shown in test names, e.g. `SQLite` or `MariaDB`. */
  label: string;
  /** A DataSource over an EMPTY database, not yet initialized. */
  connect(): Promise<DataSource>;
  /** Called after the DataSource is destroyed, e.g. to drop a throwaway database. */
  cleanUp?(): Promise<void>;
  races: RaceSizes;
}

/**
 * One behaviour suite for every database the repositories run on: migrates an empty database, then
 * checks the schema, every repository and the database-decided invariants under concurrency.
 */
export function describeRepositoryContract(database: ContractDatabase): void {
  describe(`persistence contract on ${database.label}`, () => {
    let context: ContractContext | undefined;
    const provide = (): ContractContext => {
      if (context === undefined) throw new Error('the contract suite has not connected yet');
      return context;
    };

    beforeAll(async () => {
      const dataSource = await database.connect();
      await dataSource.initialize();
      await migrate(dataSource, () => undefined);
      context = { dataSource, repositories: createRepositories(dataSource) };
    });

    afterAll(async () => {
      await context?.dataSource.destroy();
      await database.cleanUp?.();
    });

    schemaContract(provide);
    directoryContract(provide);
    chatContract(provide);
    routingContract(provide);
    settingsContract(provide);
    invariantsContract(provide, database.races);
    adminContract(provide);
    whatsappContract(provide);
    identityContract(provide);
    presenceContract(provide);
  });
}
