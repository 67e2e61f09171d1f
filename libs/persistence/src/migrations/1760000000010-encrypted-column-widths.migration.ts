import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varcharColumn } from './schema-helpers';

// note: the widths are frozen here (sealedLength(200) and sealedLength(255) when this was written).
const widened = [
  { table: 'chats', name: 'visitor_name', from: 200, to: 1130, nullable: true },
  { table: 'chats', name: 'visitor_email', from: 255, to: 1426, nullable: true },
  { table: 'chat_lines', name: 'sender_name', from: 200, to: 1130, nullable: false },
] as const;

const column = (name: string, length: number, nullable: boolean) =>
  new TableColumn(varcharColumn(name, length, { nullable }));

/** Visitor name and email, and the name on each line, are stored encrypted (sealed values are longer). */
export class EncryptedColumnWidths1760000000010 implements MigrationInterface {
  name = 'EncryptedColumnWidths1760000000010';

  async up(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, 'up');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, 'down');
  }
}

async function resize(queryRunner: QueryRunner, direction: 'up' | 'down'): Promise<void> {
  for (const table of ['chats', 'chat_lines'])
    await queryRunner.changeColumns(
      table,
      widened
        .filter((change) => change.table === table)
        .map(({ name, from, to, nullable }) => ({
          oldColumn: column(name, direction === 'up' ? from : to, nullable),
          newColumn: column(name, direction === 'up' ? to : from, nullable),
        })),
    );
}
