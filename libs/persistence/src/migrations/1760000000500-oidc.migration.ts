import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';
import {
  booleanColumn,
  idPrimary,
  intColumn,
  textColumn,
  timestampColumn,
  varcharColumn,
} from './schema-helpers';

/** OpenID Connect single sign-on: the providers (secret encrypted) and the log-ins in flight. */
export class Oidc1760000000500 implements MigrationInterface {
  name = 'Oidc1760000000500';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'oidc_providers',
        columns: [
          idPrimary(),
          varcharColumn('name', 100),
          textColumn('settings'),
          textColumn('client_secret_ciphertext'),
          timestampColumn('updated_at'),
        ],
        indices: [new TableIndex({ name: 'uq_oidc_providers_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'oidc_logins',
        columns: [
          { ...varcharColumn('state', 64), isPrimary: true },
          intColumn('provider_id'),
          varcharColumn('code_verifier', 128),
          varcharColumn('nonce', 64),
          booleanColumn('remember', false),
          timestampColumn('expires_at'),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('oidc_logins');
    await queryRunner.dropTable('oidc_providers');
  }
}
