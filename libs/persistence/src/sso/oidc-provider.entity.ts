import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';

/**
 * One OpenID Connect provider (the seed's `OpenIdConnectSettings` JSON, one row each): its settings
 * without the client secret, which is kept apart and encrypted.
 */
@Entity({ name: 'oidc_providers' })
@Index('uq_oidc_providers_name', ['name'], { unique: true })
export class OidcProviderEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** The settings JSON (IdDomain, IsEnabled, Name, Properties) without CLIENTSECRET. */
  @Column({ type: 'text' })
  settings!: string;

  /** The client secret, always encrypted (randomized); never logged nor returned. */
  @Column({ type: 'text' })
  clientSecretCiphertext!: string;

  @Column(timestampColumn)
  updatedAt!: Date;
}
