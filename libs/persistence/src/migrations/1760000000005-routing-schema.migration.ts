import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { intColumn, reference, timestampColumn, varcharColumn } from './schema-helpers';

/** Routing's per-chat bookkeeping: queue time, the auto pickup request out now, visitor presence. */
export class RoutingSchema1760000000005 implements MigrationInterface {
  name = 'RoutingSchema1760000000005';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'chat_routing',
        columns: [
          { ...intColumn('chat_id'), isPrimary: true },
          timestampColumn('queued_at'),
          timestampColumn('offered_at', { nullable: true }),
          varcharColumn('offered_to', 2000, { default: '' }),
          varcharColumn('asked_ids', 2000, { default: '' }),
          timestampColumn('visitor_gone_at', { nullable: true }),
          intColumn('offer_round', { default: 0 }),
        ],
        foreignKeys: [reference('chat_id', 'chats', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('chat_routing');
  }
}
