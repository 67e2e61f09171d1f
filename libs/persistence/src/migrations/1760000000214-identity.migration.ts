import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  booleanColumn,
  idPrimary,
  intColumn,
  reference,
  timestampColumn,
  varcharColumn,
} from './schema-helpers';

/** Operators get a role, a password source and a disabled flag; log-ins become revocable sessions. */
export class Identity1760000000214 implements MigrationInterface {
  name = 'Identity1760000000214';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('operators', [
      new TableColumn(varcharColumn('role', 16, { default: 'agent' })),
      new TableColumn(varcharColumn('auth_source', 8, { default: 'local' })),
      new TableColumn(booleanColumn('disabled', false)),
    ]);
    await queryRunner.createTable(
      new Table({
        name: 'agent_sessions',
        columns: [
          idPrimary(),
          varcharColumn('session_key', 64),
          intColumn('operator_id'),
          varcharColumn('refresh_hash', 64),
          booleanColumn('remember', false),
          timestampColumn('created_at'),
          timestampColumn('expires_at'),
          timestampColumn('revoked_at', { nullable: true }),
          varcharColumn('revoke_reason', 32, { nullable: true }),
        ],
        indices: [
          { name: 'uq_agent_sessions_session_key', columnNames: ['session_key'], isUnique: true },
          { name: 'idx_agent_sessions_operator', columnNames: ['operator_id'] },
        ],
        foreignKeys: [reference('operator_id', 'operators', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agent_sessions');
    await queryRunner.dropColumns('operators', ['disabled', 'auth_source', 'role']);
  }
}
