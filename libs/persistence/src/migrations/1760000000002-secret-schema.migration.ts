import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { textColumn, timestampColumn, varcharColumn } from './schema-helpers';

/** Cluster-wide secrets such as the token signing key. */
export class SecretSchema1760000000002 implements MigrationInterface {
  name = 'SecretSchema1760000000002';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'secrets',
        columns: [
          { ...varcharColumn('name', 191), isPrimary: true },
          textColumn('value'),
          timestampColumn('created_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('secrets');
  }
}
