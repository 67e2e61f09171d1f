import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampColumn, varcharColumn } from './schema-helpers';

/** Leases of cluster-wide scheduled jobs (the transcript purge runs on one node at a time). */
export class JobLeases1760000000300 implements MigrationInterface {
  name = 'JobLeases1760000000300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { ...varcharColumn('name', 64), isPrimary: true },
          varcharColumn('holder', 128),
          timestampColumn('expires_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_leases');
  }
}
