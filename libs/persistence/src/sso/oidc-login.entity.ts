import { Column, Entity, PrimaryColumn } from 'typeorm';
import { idColumn, timestampColumn } from '../database/column-types';

/**
 * An OpenID Connect log-in between the redirect to the provider and its callback: the state names it,
 * the PKCE verifier and nonce check the answer. In the database so the callback works on any node.
 */
@Entity({ name: 'oidc_logins' })
export class OidcLoginEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  state!: string;

  @Column(idColumn)
  providerId!: number;

  @Column({ type: 'varchar', length: 128 })
  codeVerifier!: string;

  @Column({ type: 'varchar', length: 64 })
  nonce!: string;

  /** "Remember me" as ticked before the redirect. */
  @Column({ type: 'boolean', width: 1, default: false })
  remember!: boolean;

  @Column(timestampColumn)
  expiresAt!: Date;
}
