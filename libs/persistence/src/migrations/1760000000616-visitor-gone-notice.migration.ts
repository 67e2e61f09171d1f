import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampColumn } from './schema-helpers';

/** When routing last told the agent that the chat's visitor disconnected (RMS), once per disconnect. */
export class VisitorGoneNotice1760000000616 implements MigrationInterface {
  name = 'VisitorGoneNotice1760000000616';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'chat_routing',
      new TableColumn(timestampColumn('visitor_gone_noticed_at', { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('chat_routing', 'visitor_gone_noticed_at');
  }
}
