import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varcharColumn } from './schema-helpers';

/** The chat connector a webhook's callback URL names (`?connector=`), for messages without `to`. */
export class WebhookInboxConnector1760000000191 implements MigrationInterface {
  name = 'WebhookInboxConnector1760000000191';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'webhook_inbox',
      new TableColumn(varcharColumn('connector_number', 32, { nullable: true })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('webhook_inbox', 'connector_number');
  }
}
