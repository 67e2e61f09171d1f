import { ensureValid } from '../database/persistence.error';
import { writeLock } from '../database/sql-values';
import { isUniqueViolation } from '../database/transaction';
import { ParameterAuditEntity } from './parameter-audit.entity';
import { ParameterEntity } from './parameter.entity';
import type { Database } from '../database/database';

/** A stored parameter value. */
export type ParameterRecord = Readonly<ParameterEntity>;

/** One change as written to `parameter_audit`; `oldValue` is null when the change created the parameter. */
export type ParameterChange = Readonly<Omit<ParameterAuditEntity, 'id'>>;

/** Stored parameter values with an audit trail; defaults and types live in libs/config. */
export class ParameterRepository {
  constructor(private readonly database: Database) {}

  async list(): Promise<ParameterRecord[]> {
    const entities = await this.database.manager.find(ParameterEntity, { order: { name: 'ASC' } });
    return entities.map((entity) => ({ ...entity }));
  }

  async get(name: string): Promise<ParameterRecord | null> {
    const entity = await this.database.manager.findOneBy(ParameterEntity, { name });
    return entity && { ...entity };
  }

  /**
   * Stores `value` and its audit row in one transaction (the row is locked while read, so the old
   * value in the audit is the one really replaced). Returns the old and new values.
   */
  async set(
    name: string,
    value: string,
    changedBy: string,
    changedAt = new Date(),
  ): Promise<ParameterChange> {
    ensureValid(name.trim() !== '', 'parameter name must not be empty');
    const write = () =>
      this.database.transaction(async (manager) => {
        const current = await manager.findOne(ParameterEntity, {
          where: { name },
          lock: writeLock(this.database.dataSource),
        });
        await manager.save(
          manager.create(ParameterEntity, { name, value, updatedAt: changedAt, updatedBy: changedBy }),
        );
        const change = { name, oldValue: current?.value ?? null, newValue: value, changedBy, changedAt };
        await manager.insert(ParameterAuditEntity, change);
        return change;
      });
    try {
      return await write();
    } catch (error) {
      // Two first-time writers of one name: the loser retries and now sees the winner's row.
      if (!isUniqueViolation(error)) throw error;
      return write();
    }
  }

  /** Removes the stored value (back to the registry default) and audits it with a null new value. */
  async reset(name: string, changedBy: string, changedAt = new Date()): Promise<ParameterChange> {
    return this.database.transaction(async (manager) => {
      const current = await manager.findOne(ParameterEntity, {
        where: { name },
        lock: writeLock(this.database.dataSource),
      });
      if (current) await manager.delete(ParameterEntity, { name });
      const change = { name, oldValue: current?.value ?? null, newValue: null, changedBy, changedAt };
      await manager.insert(ParameterAuditEntity, change);
      return change;
    });
  }

  /** Audit trail of one parameter, oldest first. */
  async history(name: string): Promise<ParameterChange[]> {
    const entities = await this.database.manager.find(ParameterAuditEntity, {
      where: { name },
      order: { id: 'ASC' },
    });
    return entities.map(({ id: _id, ...change }) => change);
  }
}
