import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../database/column-types';

/** One tunable (`ACD.Chat.*`, `ACD.Whatsapp.*`) stored as text; libs/config owns types and defaults. */
@Entity({ name: 'parameters' })
export class ParameterEntity {
  // 191 characters keeps the utf8mb4 key under MariaDB's 767-byte index limit on old row formats.
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column(timestampColumn)
  updatedAt!: Date;

  @Column({ type: 'varchar', length: 100 })
  updatedBy!: string;
}
