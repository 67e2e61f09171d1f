import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { timestampColumn, varcharColumn } from './schema-helpers';

/**
 * Who declined a chat (kept across requeues so they are not offered it again), and when a messenger
 * node last had the visitor connected (cluster-wide presence for VT).
 */
export class ChatRoutingDeclinesPresence1760000000009 implements MigrationInterface {
  name = 'ChatRoutingDeclinesPresence1760000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('chat_routing', [
      new TableColumn(varcharColumn('declined_ids', 2000, { default: '' })),
      new TableColumn(timestampColumn('visitor_seen_at', { nullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('chat_routing', ['visitor_seen_at', 'declined_ids']);
  }
}
