import type { DataSource } from 'typeorm';
import { inTransaction } from '../database/transaction';
import { SecretEntity } from './secret.entity';

/** Cluster-wide secrets; every node gets the same value for a name, whoever created it. */
export class SecretRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The stored value of `name`, created from `generate()` if it does not exist yet. Concurrent first
   * callers race on the primary key: the first insert wins and everyone reads the winner's value.
   */
  async getOrCreate(name: string, generate: () => string, createdAt = new Date()): Promise<string> {
    await inTransaction(this.dataSource, (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(SecretEntity)
        .values({ name, value: generate(), createdAt })
        .orIgnore()
        .execute(),
    );
    const { value } = await this.dataSource.manager.findOneByOrFail(SecretEntity, { name });
    return value;
  }

  /** The stored value of `name`, or null when nobody created it yet. */
  async find(name: string): Promise<string | null> {
    return (await this.dataSource.manager.findOneBy(SecretEntity, { name }))?.value ?? null;
  }
}
