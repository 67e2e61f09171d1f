import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idPrimary, textColumn, timestampColumn, varcharColumn } from './schema-helpers';

/** The admin interface's audit trail (who, from where, when, old → new). */
export class AdminSchema1760000000003 implements MigrationInterface {
  name = 'AdminSchema1760000000003';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'admin_audit',
        columns: [
          idPrimary(),
          varcharColumn('actor', 100),
          varcharColumn('remote_address', 45),
          varcharColumn('action', 64),
          varcharColumn('target_kind', 32),
          varcharColumn('target_key', 191),
          textColumn('old_value', { nullable: true }),
          textColumn('new_value', { nullable: true }),
          timestampColumn('changed_at'),
        ],
        indices: [{ name: 'idx_admin_audit_target', columnNames: ['target_kind', 'target_key'] }],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('admin_audit');
  }
}
