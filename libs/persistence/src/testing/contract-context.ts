import type { DataSource } from 'typeorm';
import type { Repositories } from '../repositories';

/** What each contract section reads once the suite's beforeAll has connected and migrated. */
export interface ContractContext {
  dataSource: DataSource;
  repositories: Repositories;
}

/** Gives the sections late access to the context (jest runs describe bodies before beforeAll). */
export type ContextProvider = () => ContractContext;
