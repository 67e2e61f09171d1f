import { randomBytes } from 'node:crypto';
import { createDataSource } from './database/data-source.factory';
import { dropMysqlDatabase, ensureMysqlDatabase } from './database/ensure-mysql-database';
import { describeRepositoryContract } from './testing';

// A throwaway database per run, so parallel runs and leftovers never meet.
const url = `mysql://root@127.0.0.1:3306/switchboard_test_${randomBytes(4).toString('hex')}`;

describeRepositoryContract({
  label: 'MariaDB',
  connect: async () => {
    await ensureMysqlDatabase(url);
    return createDataSource({ kind: 'mysql', url, poolSize: 10 });
  },
  cleanUp: () => dropMysqlDatabase(url),
  races: { appends: 50, pickers: 10, opens: 20 },
});
