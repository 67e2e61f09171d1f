import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  booleanColumn,
  idPrimary,
  intColumn,
  reference,
  textColumn,
  timestampColumn,
  varcharColumn,
} from './schema-helpers';

/** Sites, operators and everything configured around them (skills, groups, hours, parameters, blocks). */
export class DirectorySchema1760000000000 implements MigrationInterface {
  name = 'DirectorySchema1760000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'sites',
        columns: [
          idPrimary(),
          varcharColumn('site_key', 64),
          varcharColumn('name', 200),
          varcharColumn('domain', 255),
          booleanColumn('paused', false),
          varcharColumn('time_zone', 64, { default: 'UTC' }),
          varcharColumn('chat_template', 100, { nullable: true }),
          textColumn('offline_message', { nullable: true }),
          timestampColumn('created_at'),
        ],
        indices: [{ name: 'uq_sites_site_key', columnNames: ['site_key'], isUnique: true }],
      }),
      new Table({
        name: 'work_periods',
        columns: [
          idPrimary(),
          intColumn('site_id'),
          intColumn('day_of_week'),
          intColumn('start_minute'),
          intColumn('end_minute'),
        ],
        foreignKeys: [reference('site_id', 'sites', 'CASCADE')],
      }),
      ...['user_groups', 'skills'].map(
        (name) =>
          new Table({
            name,
            columns: [
              idPrimary(),
              varcharColumn('name', 100),
              varcharColumn('description', 255, { nullable: true }),
            ],
            indices: [{ name: `uq_${name}_name`, columnNames: ['name'], isUnique: true }],
          }),
      ),
      new Table({
        name: 'operators',
        columns: [
          idPrimary(),
          varcharColumn('username', 100),
          varcharColumn('display_name', 200),
          varcharColumn('email', 255, { nullable: true }),
          varcharColumn('password_hash', 255),
          intColumn('status', { default: 0 }),
          intColumn('max_chats', { default: 0 }),
          intColumn('open_chats', { default: 0 }),
          textColumn('photo', { nullable: true }),
          intColumn('user_group_id', { nullable: true }),
          timestampColumn('status_changed_at', { nullable: true }),
          timestampColumn('created_at'),
        ],
        indices: [{ name: 'uq_operators_username', columnNames: ['username'], isUnique: true }],
        foreignKeys: [reference('user_group_id', 'user_groups', 'SET NULL')],
      }),
      new Table({
        name: 'operator_skills',
        columns: [
          { ...intColumn('operator_id'), isPrimary: true },
          { ...intColumn('skill_id'), isPrimary: true },
        ],
        foreignKeys: [
          reference('operator_id', 'operators', 'CASCADE'),
          reference('skill_id', 'skills', 'CASCADE'),
        ],
      }),
      new Table({
        name: 'canned_responses',
        columns: [
          idPrimary(),
          intColumn('operator_id', { nullable: true }),
          varcharColumn('title', 200),
          textColumn('text'),
        ],
        foreignKeys: [reference('operator_id', 'operators', 'CASCADE')],
      }),
      new Table({
        name: 'parameters',
        columns: [
          { ...varcharColumn('name', 191), isPrimary: true },
          textColumn('value'),
          timestampColumn('updated_at'),
          varcharColumn('updated_by', 100),
        ],
      }),
      new Table({
        name: 'parameter_audit',
        columns: [
          idPrimary(),
          varcharColumn('name', 191),
          textColumn('old_value', { nullable: true }),
          textColumn('new_value', { nullable: true }),
          varcharColumn('changed_by', 100),
          timestampColumn('changed_at'),
        ],
        indices: [{ name: 'idx_parameter_audit_name', columnNames: ['name'] }],
      }),
      new Table({
        name: 'blocked_visitors',
        columns: [
          idPrimary(),
          intColumn('site_id', { nullable: true }),
          varcharColumn('visitor_key', 128, { nullable: true }),
          varcharColumn('ip', 45, { nullable: true }),
          varcharColumn('reason', 255, { nullable: true }),
          varcharColumn('blocked_by', 100),
          timestampColumn('blocked_at'),
          timestampColumn('expires_at', { nullable: true }),
        ],
        indices: [
          { name: 'idx_blocked_visitors_visitor_key', columnNames: ['visitor_key'] },
          { name: 'idx_blocked_visitors_ip', columnNames: ['ip'] },
        ],
        foreignKeys: [reference('site_id', 'sites', 'CASCADE')],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of [
      'blocked_visitors',
      'parameter_audit',
      'parameters',
      'canned_responses',
      'operator_skills',
      'operators',
      'skills',
      'user_groups',
      'work_periods',
      'sites',
    ]) {
      await queryRunner.dropTable(name);
    }
  }
}
