import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  idPrimary,
  intColumn,
  reference,
  textColumn,
  timestampColumn,
  varcharColumn,
} from './schema-helpers';

/** Chats with their transcript lines, coded events and variables. */
export class ChatSchema1760000000001 implements MigrationInterface {
  name = 'ChatSchema1760000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'chats',
        columns: [
          idPrimary(),
          varcharColumn('chat_uid', 36),
          intColumn('site_id'),
          varcharColumn('channel', 16),
          varcharColumn('visitor_key', 128),
          varcharColumn('open_visitor_key', 128, { nullable: true }),
          varcharColumn('visitor_name', 200, { nullable: true }),
          varcharColumn('visitor_email', 255, { nullable: true }),
          varcharColumn('visitor_ip', 45, { nullable: true }),
          varcharColumn('state', 16),
          intColumn('skill_id', { nullable: true }),
          intColumn('priority', { default: 0 }),
          intColumn('operator_id', { nullable: true }),
          intColumn('last_line_seq', { default: 0 }),
          varcharColumn('close_reason', 8, { nullable: true }),
          timestampColumn('created_at'),
          timestampColumn('assigned_at', { nullable: true }),
          timestampColumn('closed_at', { nullable: true }),
          timestampColumn('last_activity_at'),
        ],
        indices: [
          { name: 'uq_chats_chat_uid', columnNames: ['chat_uid'], isUnique: true },
          { name: 'uq_chats_open_visitor', columnNames: ['site_id', 'open_visitor_key'], isUnique: true },
          { name: 'idx_chats_state', columnNames: ['state'] },
        ],
        foreignKeys: [
          reference('site_id', 'sites', 'RESTRICT'),
          reference('skill_id', 'skills', 'SET NULL'),
          reference('operator_id', 'operators', 'SET NULL'),
        ],
      }),
      new Table({
        name: 'chat_lines',
        columns: [
          idPrimary(),
          intColumn('chat_id'),
          intColumn('sequence'),
          varcharColumn('sender_kind', 16),
          varcharColumn('sender_name', 200),
          intColumn('operator_id', { nullable: true }),
          textColumn('text'),
          varcharColumn('external_message_id', 128, { nullable: true }),
          varcharColumn('delivery_state', 32, { nullable: true }),
          timestampColumn('created_at'),
        ],
        indices: [
          { name: 'uq_chat_lines_chat_sequence', columnNames: ['chat_id', 'sequence'], isUnique: true },
          { name: 'uq_chat_lines_external_message_id', columnNames: ['external_message_id'], isUnique: true },
        ],
        foreignKeys: [
          reference('chat_id', 'chats', 'CASCADE'),
          reference('operator_id', 'operators', 'SET NULL'),
        ],
      }),
      new Table({
        name: 'chat_events',
        columns: [
          idPrimary(),
          intColumn('chat_id'),
          varcharColumn('code', 8),
          textColumn('text'),
          intColumn('operator_id', { nullable: true }),
          timestampColumn('created_at'),
        ],
        foreignKeys: [
          reference('chat_id', 'chats', 'CASCADE'),
          reference('operator_id', 'operators', 'SET NULL'),
        ],
      }),
      new Table({
        name: 'chat_variables',
        columns: [idPrimary(), intColumn('chat_id'), varcharColumn('name', 100), textColumn('value')],
        indices: [{ name: 'uq_chat_variables_chat_name', columnNames: ['chat_id', 'name'], isUnique: true }],
        foreignKeys: [reference('chat_id', 'chats', 'CASCADE')],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['chat_variables', 'chat_events', 'chat_lines', 'chats'])
      await queryRunner.dropTable(name);
  }
}
