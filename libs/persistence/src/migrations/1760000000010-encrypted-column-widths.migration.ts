import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varcharColumn } from './schema-helpers';

// note: the widths are frozen here (sealedLength(200) and sealedLength(255) when this was written).
const widened = [
  { name: 'visitor_name', from: 200, to: 1130 },
  { name: 'visitor_email', from: 255, to: 1426 },
] as const;

/** Visitor name and email are stored encrypted (sealed values are longer than the plaintext). */
export class EncryptedColumnWidths1760000000010 implements MigrationInterface {
  name = 'EncryptedColumnWidths1760000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumns(
      'chats',
      widened.map(({ name, from, to }) => ({
        oldColumn: new TableColumn(varcharColumn(name, from, { nullable: true })),
        newColumn: new TableColumn(varcharColumn(name, to, { nullable: true })),
      })),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.changeColumns(
      'chats',
      widened.map(({ name, from, to }) => ({
        oldColumn: new TableColumn(varcharColumn(name, to, { nullable: true })),
        newColumn: new TableColumn(varcharColumn(name, from, { nullable: true })),
      })),
    );
  }
}
