import { createDataSource } from './database/data-source.factory';
import { describeRepositoryContract } from './testing';

describeRepositoryContract({
  label: 'SQLite (in memory)',
  connect: () => Promise.resolve(createDataSource({ kind: 'sqlite', file: ':memory:' })),
  races: { appends: 50, pickers: 10, opens: 10 },
});
