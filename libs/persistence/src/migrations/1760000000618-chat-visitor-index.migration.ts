import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** A visitor's chats on a site, latest first: a WhatsApp customer writing again reopens their last one (UC). */
export class ChatVisitorIndex1760000000618 implements MigrationInterface {
  name = 'ChatVisitorIndex1760000000618';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'chats',
      new TableIndex({ name: 'idx_chats_site_visitor', columnNames: ['site_id', 'visitor_key'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('chats', 'idx_chats_site_visitor');
  }
}
