import { Like } from 'typeorm';
import { SecretEntity } from './secret.entity';
import type { Database } from '../database/database';

/** Cluster-wide secrets; every node gets the same value for a name, whoever created it. */
export class SecretRepository {
  constructor(private readonly database: Database) {}

  /**
   * The stored value of `name`, created from `generate()` if it does not exist yet. Concurrent first
   * callers race on the primary key: the first insert wins and everyone reads the winner's value.
   */
  async getOrCreate(name: string, generate: () => string, createdAt = new Date()): Promise<string> {
    await this.database.transaction((manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(SecretEntity)
        .values({ name, value: generate(), createdAt })
        .orIgnore()
        .execute(),
    );
    const { value } = await this.database.manager.findOneByOrFail(SecretEntity, { name });
    return value;
  }

  /** The stored value of `name`, or null when nobody created it yet. */
  async find(name: string): Promise<string | null> {
    return (await this.database.manager.findOneBy(SecretEntity, { name }))?.value ?? null;
  }

  /** The names of the stored secrets that start with `prefix`, ascending. */
  async namesStartingWith(prefix: string): Promise<string[]> {
    const rows = await this.database.manager.find(SecretEntity, {
      select: { name: true },
      where: { name: Like(`${prefix}%`) },
      order: { name: 'ASC' },
    });
    return rows.map((row) => row.name);
  }

  /** Removes a secret; true if it existed. */
  async delete(name: string): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(SecretEntity, { name }));
    return result.affected === 1;
  }
}
