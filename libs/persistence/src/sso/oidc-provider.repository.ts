import { isUniqueViolation } from '../database/transaction';
import { PersistenceError, PersistenceErrorCode } from '../database/persistence.error';
import { encryptedColumns, openColumn, sealColumn } from '../encryption/encrypted-columns';
import { OidcProviderEntity } from './oidc-provider.entity';
import type { Database } from '../database/database';

/** A provider as callers see it: its settings JSON (parsed by the identity library), never the secret. */
export type OidcProviderRecord = Readonly<Omit<OidcProviderEntity, 'clientSecretCiphertext'>>;

export interface OidcProviderWrite {
  readonly name: string;
  /** The settings without the client secret. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Stored encrypted; left as it is when not given (a change that keeps the secret). */
  readonly clientSecret?: string;
}

const toRecord = ({ clientSecretCiphertext: _secret, ...record }: OidcProviderEntity): OidcProviderRecord =>
  record;

/** OpenID Connect providers, one row per provider, the client secret sealed apart. */
export class OidcProviderRepository {
  constructor(private readonly database: Database) {}

  async list(): Promise<OidcProviderRecord[]> {
    const rows = await this.database.dataSource
      .getRepository(OidcProviderEntity)
      .find({ order: { id: 'ASC' } });
    return rows.map(toRecord);
  }

  async findById(id: number): Promise<OidcProviderRecord | null> {
    const row = await this.database.dataSource.getRepository(OidcProviderEntity).findOneBy({ id });
    return row && toRecord(row);
  }

  /** Creates the provider; a name already taken is a CONFLICT. */
  async create(
    input: OidcProviderWrite & { clientSecret: string },
    at = new Date(),
  ): Promise<OidcProviderRecord> {
    return this.saving(input.name, async () =>
      toRecord(
        await this.database.transaction((manager) =>
          manager.save(
            manager.create(OidcProviderEntity, {
              name: input.name,
              settings: JSON.stringify(input.settings),
              clientSecretCiphertext: sealColumn(encryptedColumns.oidcClientSecret, input.clientSecret),
              updatedAt: at,
            }),
          ),
        ),
      ),
    );
  }

  /** Replaces the settings (and the secret when given); null when there is no such provider. */
  async update(id: number, input: OidcProviderWrite, at = new Date()): Promise<OidcProviderRecord | null> {
    const changed = await this.saving(input.name, () =>
      this.database.transaction((manager) =>
        manager.update(OidcProviderEntity, id, {
          name: input.name,
          settings: JSON.stringify(input.settings),
          ...(input.clientSecret === undefined
            ? {}
            : { clientSecretCiphertext: sealColumn(encryptedColumns.oidcClientSecret, input.clientSecret) }),
          updatedAt: at,
        }),
      ),
    );
    return changed.affected === 1 ? this.findById(id) : null;
  }

  async delete(id: number): Promise<boolean> {
    const deleted = await this.database.transaction((manager) => manager.delete(OidcProviderEntity, id));
    return deleted.affected === 1;
  }

  /** The client secret in clear, for the token request only. */
  async revealClientSecret(id: number): Promise<string | null> {
    const row = await this.database.dataSource
      .getRepository(OidcProviderEntity)
      .findOne({ where: { id }, select: { id: true, clientSecretCiphertext: true } });
    return row ? openColumn(encryptedColumns.oidcClientSecret, row.clientSecretCiphertext) : null;
  }

  private async saving<T>(name: string, save: () => Promise<T>): Promise<T> {
    try {
      return await save();
    } catch (error) {
      if (isUniqueViolation(error))
        throw new PersistenceError(PersistenceErrorCode.Conflict, `an OIDC provider named "${name}" exists`);
      throw error;
    }
  }
}
