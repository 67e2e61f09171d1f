import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idPrimary, intColumn, reference, timestampColumn, varcharColumn } from './schema-helpers';

/** Agents' cluster-wide presence (stamped by the messenger nodes) and the log of their status changes. */
export class AgentPresence1760000000430 implements MigrationInterface {
  name = 'AgentPresence1760000000430';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'agent_presence',
        columns: [
          { ...intColumn('operator_id'), isPrimary: true },
          timestampColumn('seen_at', { nullable: true }),
          timestampColumn('gone_at', { nullable: true }),
          timestampColumn('active_at', { nullable: true }),
        ],
        foreignKeys: [reference('operator_id', 'operators', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'agent_status_events',
        columns: [
          idPrimary(),
          intColumn('operator_id'),
          intColumn('from_status'),
          intColumn('to_status'),
          varcharColumn('reason', 16),
          timestampColumn('at'),
        ],
        indices: [{ name: 'idx_agent_status_events_operator', columnNames: ['operator_id', 'at'] }],
        foreignKeys: [reference('operator_id', 'operators', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('agent_status_events');
    await queryRunner.dropTable('agent_presence');
  }
}
