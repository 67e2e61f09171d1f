import { ensureValid } from '../database/persistence.error';
import { writeLock } from '../database/sql-values';
import { isUniqueViolation } from '../database/transaction';
import { ParameterAuditEntity } from './parameter-audit.entity';
import { ParameterEntity } from './parameter.entity';
import type { Database } from '../database/database';
import { sealedKeyId, type EncryptedColumnSpec } from '../encryption/column-cipher';
import { openColumn, sealColumn } from '../encryption/encrypted-columns';

/**
 * A secret parameter's value (a directory bind password) in `parameters.value`: always encrypted.
 * note: not among the rotated columns (the rotation walks tables by numeric id; `parameters` is keyed
 * by name): after a key is retired, set the secret again (docs/identity.md says so).
 */
export const secretParameterColumn: EncryptedColumnSpec = {
  table: 'parameters',
  column: 'value',
  kind: 'randomized',
  always: true,
};
/** What the audit trail says of a secret's value. */
const SECRET_AUDITED = '***';

/** A stored parameter value. */
export type ParameterRecord = Readonly<ParameterEntity>;

/** One change as written to `parameter_audit`; `oldValue` is null when the change created the parameter. */
export type ParameterChange = Readonly<Omit<ParameterAuditEntity, 'id'>>;

/** Stored parameter values with an audit trail; defaults and types live in libs/config. */
export class ParameterRepository {
  constructor(private readonly database: Database) {}

  /** Every stored value, secrets decrypted. */
  async list(): Promise<ParameterRecord[]> {
    const entities = await this.database.manager.find(ParameterEntity, { order: { name: 'ASC' } });
    return entities.map(opened);
  }

  async get(name: string): Promise<ParameterRecord | null> {
    const entity = await this.database.manager.findOneBy(ParameterEntity, { name });
    return entity && opened(entity);
  }

  /** Stores a secret encrypted; its audit row says `***`, never the value. */
  async setSecret(
    name: string,
    value: string,
    changedBy: string,
    changedAt = new Date(),
  ): Promise<ParameterChange> {
    return this.set(name, sealColumn(secretParameterColumn, value), changedBy, changedAt);
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
        await manager.insert(ParameterAuditEntity, audited(change));
        return audited(change);
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
      const change = audited({
        name,
        oldValue: current?.value ?? null,
        newValue: null,
        changedBy,
        changedAt,
      });
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

/** A value sealed as a secret is never repeated: the audit says `***` (and null stays null). */
function audited(change: ParameterChange): ParameterChange {
  const hide = (value: string | null) => (value !== null && isSealed(value) ? SECRET_AUDITED : value);
  return { ...change, oldValue: hide(change.oldValue), newValue: hide(change.newValue) };
}

function isSealed(stored: string): boolean {
  return sealedKeyId(stored) !== null;
}

function opened(entity: ParameterEntity): ParameterRecord {
  return isSealed(entity.value)
    ? { ...entity, value: openColumn(secretParameterColumn, entity.value) }
    : { ...entity };
}
