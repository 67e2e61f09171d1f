import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { textColumn } from './schema-helpers';

/** A site's text rules (words or phrases that close a chat with TR) and the message the visitor reads then. */
export class SiteTextRules1760000000617 implements MigrationInterface {
  name = 'SiteTextRules1760000000617';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('sites', [
      new TableColumn(textColumn('text_rules', { nullable: true })),
      new TableColumn(textColumn('text_rule_message', { nullable: true })),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('sites', ['text_rule_message', 'text_rules']);
  }
}
