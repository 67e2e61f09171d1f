import { LessThan } from 'typeorm';
import { OidcLoginEntity } from './oidc-login.entity';
import type { Database } from '../database/database';

export type OidcLoginRecord = Readonly<OidcLoginEntity>;

/** OpenID Connect log-ins in flight; each is used once, by whichever node receives the callback. */
export class OidcLoginRepository {
  constructor(private readonly database: Database) {}

  async begin(login: OidcLoginRecord, now = new Date()): Promise<void> {
    await this.database.transaction(async (manager) => {
      // Abandoned log-ins go with each new one, so the table holds only the last minutes' worth.
      await manager.delete(OidcLoginEntity, { expiresAt: LessThan(now) });
      await manager.insert(OidcLoginEntity, login);
    });
  }

  /** The log-in `state` names, removed so it is never used twice; null if unknown, used or expired. */
  async consume(state: string, now = new Date()): Promise<OidcLoginRecord | null> {
    return this.database.transaction(async (manager) => {
      const login = await manager.findOneBy(OidcLoginEntity, { state });
      if (login === null) return null;
      // One statement decides: of two callbacks with the same state, only one deletes the row.
      const deleted = await manager.delete(OidcLoginEntity, { state });
      return deleted.affected === 1 && login.expiresAt.getTime() > now.getTime() ? login : null;
    });
  }
}
