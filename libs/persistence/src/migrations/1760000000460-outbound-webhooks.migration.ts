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

/** Outbound webhooks: each site's callback endpoints, and the outbox of chat events to post to them. */
export class OutboundWebhooks1760000000460 implements MigrationInterface {
  name = 'OutboundWebhooks1760000000460';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'outbound_webhooks',
        columns: [
          idPrimary(),
          intColumn('site_id'),
          varcharColumn('url', 2048),
          varcharColumn('events', 128),
          booleanColumn('enabled', true),
          booleanColumn('allow_http', false),
          textColumn('secret_ciphertext'),
          timestampColumn('created_at'),
          timestampColumn('updated_at'),
        ],
        indices: [{ name: 'idx_outbound_webhooks_site', columnNames: ['site_id'] }],
        foreignKeys: [reference('site_id', 'sites', 'CASCADE')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'webhook_outbox',
        columns: [
          idPrimary(),
          intColumn('webhook_id'),
          intColumn('chat_id'),
          varcharColumn('event_id', 36),
          varcharColumn('event_type', 32),
          textColumn('payload'),
          varcharColumn('state', 16),
          intColumn('attempts', { default: 0 }),
          timestampColumn('next_attempt_at'),
          varcharColumn('lease_holder', 128, { nullable: true }),
          timestampColumn('lease_expires_at', { nullable: true }),
          varcharColumn('last_error', 255, { nullable: true }),
          timestampColumn('created_at'),
          timestampColumn('delivered_at', { nullable: true }),
        ],
        indices: [
          { name: 'uq_webhook_outbox_event', columnNames: ['webhook_id', 'event_id'], isUnique: true },
          { name: 'idx_webhook_outbox_head', columnNames: ['state', 'webhook_id', 'chat_id', 'id'] },
        ],
        foreignKeys: [
          reference('webhook_id', 'outbound_webhooks', 'CASCADE'),
          reference('chat_id', 'chats', 'CASCADE'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('webhook_outbox');
    await queryRunner.dropTable('outbound_webhooks');
  }
}
