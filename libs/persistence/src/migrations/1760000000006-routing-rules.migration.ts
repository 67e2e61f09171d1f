import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import { idPrimary, intColumn, reference, textColumn, varcharColumn } from './schema-helpers';

/** Routing rules per site (skill rules: conditions, target skill, actions per case). */
export class RoutingRules1760000000006 implements MigrationInterface {
  name = 'RoutingRules1760000000006';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'routing_rules',
        columns: [
          idPrimary(),
          intColumn('site_id'),
          intColumn('position', { default: 0 }),
          varcharColumn('name', 100),
          varcharColumn('page_url_contains', 255, { nullable: true }),
          varcharColumn('language', 16, { nullable: true }),
          textColumn('variables', { nullable: true }),
          varcharColumn('skill', 100),
          textColumn('actions', { nullable: true }),
        ],
        indices: [{ name: 'idx_routing_rules_site', columnNames: ['site_id', 'position'] }],
        foreignKeys: [reference('site_id', 'sites', 'CASCADE')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('routing_rules');
  }
}
