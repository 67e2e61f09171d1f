import { TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** The most recently closed chats of a skill, read by routing for the expected wait's handling time. */
export class ChatHandlingIndex1760000000008 implements MigrationInterface {
  name = 'ChatHandlingIndex1760000000008';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'chats',
      new TableIndex({ name: 'idx_chats_skill_closed', columnNames: ['skill_id', 'closed_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('chats', 'idx_chats_skill_closed');
  }
}
