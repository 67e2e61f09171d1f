import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timestampColumn } from '../database/column-types';

/** A cluster-wide secret (e.g. the token signing key), created once by whichever process needs it first. */
@Entity({ name: 'secrets' })
export class SecretEntity {
  @PrimaryColumn({ type: 'varchar', length: 191 })
  name!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column(timestampColumn)
  createdAt!: Date;
}
