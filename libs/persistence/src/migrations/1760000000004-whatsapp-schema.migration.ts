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

/** The WhatsApp connector: webhook inbox and dead letters, chat connectors, per-line WhatsApp state. */
export class WhatsappSchema1760000000004 implements MigrationInterface {
  name = 'WhatsappSchema1760000000004';

  async up(queryRunner: QueryRunner): Promise<void> {
    const tables = [
      new Table({
        name: 'webhook_inbox',
        columns: [
          idPrimary(),
          varcharColumn('kind', 16),
          varcharColumn('dedupe_key', 300),
          textColumn('raw_body'),
          timestampColumn('received_at'),
          timestampColumn('processed_at', { nullable: true }),
          intColumn('attempts', { default: 0 }),
          varcharColumn('claimed_by', 100, { nullable: true }),
          timestampColumn('claimed_until', { nullable: true }),
          textColumn('last_error', { nullable: true }),
        ],
        indices: [
          { name: 'uq_webhook_inbox_dedupe_key', columnNames: ['dedupe_key'], isUnique: true },
          { name: 'idx_webhook_inbox_processed_at', columnNames: ['processed_at'] },
        ],
      }),
      new Table({
        name: 'webhook_dead_letters',
        columns: [
          idPrimary(),
          varcharColumn('kind', 16),
          textColumn('raw_body'),
          textColumn('reason'),
          timestampColumn('received_at'),
        ],
      }),
      new Table({
        name: 'chat_connectors',
        columns: [
          idPrimary(),
          intColumn('site_id'),
          varcharColumn('channel', 16),
          booleanColumn('enabled', true),
          varcharColumn('phone_number', 16),
          textColumn('api_key_ciphertext'),
          varcharColumn('api_key_hint', 8),
          varcharColumn('language', 8),
          intColumn('skill_id', { nullable: true }),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [{ name: 'uq_chat_connectors_phone_number', columnNames: ['phone_number'], isUnique: true }],
        foreignKeys: [reference('site_id', 'sites', 'RESTRICT'), reference('skill_id', 'skills', 'SET NULL')],
      }),
      new Table({
        name: 'whatsapp_lines',
        columns: [
          idPrimary(),
          intColumn('line_id'),
          intColumn('chat_id'),
          varcharColumn('direction', 8),
          varcharColumn('tyntec_message_id', 256, { nullable: true }),
          varcharColumn('send_state', 16),
          varcharColumn('delivery_state', 16, { nullable: true }),
          intColumn('attempts', { default: 0 }),
          timestampColumn('claimed_until', { nullable: true }),
          textColumn('last_error', { nullable: true }),
          booleanColumn('deleted', false),
          timestampColumn('updated_at'),
        ],
        indices: [
          { name: 'uq_whatsapp_lines_line_id', columnNames: ['line_id'], isUnique: true },
          { name: 'uq_whatsapp_lines_tyntec_message_id', columnNames: ['tyntec_message_id'], isUnique: true },
          { name: 'idx_whatsapp_lines_send_state', columnNames: ['send_state'] },
        ],
        foreignKeys: [
          reference('line_id', 'chat_lines', 'CASCADE'),
          reference('chat_id', 'chats', 'CASCADE'),
        ],
      }),
    ];
    for (const table of tables) await queryRunner.createTable(table);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of ['whatsapp_lines', 'chat_connectors', 'webhook_dead_letters', 'webhook_inbox'])
      await queryRunner.dropTable(name);
  }
}
