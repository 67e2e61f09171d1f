import { TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { varcharColumn } from './schema-helpers';

// note: the widths are frozen here: sealedLength(200) before, sealedLength(256) after.
const widened = [
  { table: 'chats', name: 'visitor_name', nullable: true },
  { table: 'chat_lines', name: 'sender_name', nullable: false },
] as const;
const [before, after] = [1130, 1430];

/**
 * A WhatsApp profile name may be 256 characters (TynTec's senderName, our schema): the visitor name
 * and the name on each line hold that many in clear, sealed (MariaDB refused 201-256 with "Data too long").
 */
export class VisitorNameWidth1760000000192 implements MigrationInterface {
  name = 'VisitorNameWidth1760000000192';

  async up(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, after);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await resize(queryRunner, before);
  }
}

async function resize(queryRunner: QueryRunner, to: number): Promise<void> {
  for (const { table, name, nullable } of widened)
    await queryRunner.changeColumn(table, name, new TableColumn(varcharColumn(name, to, { nullable })));
}
