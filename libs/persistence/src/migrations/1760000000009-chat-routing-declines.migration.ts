import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varcharColumn } from './schema-helpers';

/** Who declined a chat, kept across requeues so they are not offered it again. */
export class ChatRoutingDeclines1760000000009 implements MigrationInterface {
  name = 'ChatRoutingDeclines1760000000009';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'chat_routing',
      new TableColumn(varcharColumn('declined_ids', 2000, { default: '' })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('chat_routing', 'declined_ids');
  }
}
