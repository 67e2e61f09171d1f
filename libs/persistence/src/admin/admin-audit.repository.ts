import { ensureValid } from '../database/persistence.error';
import { AdminAuditEntity } from './admin-audit.entity';
import type { Database } from '../database/database';

/** An audit row as callers see it. */
export type AdminAuditRecord = Readonly<AdminAuditEntity>;

/** A change to record; `oldValue`/`newValue` are stored as JSON (undefined/null = none). */
export interface NewAdminAudit {
  actor: string;
  remoteAddress: string;
  action: string;
  targetKind: string;
  targetKey: string;
  oldValue?: unknown;
  newValue?: unknown;
}

/** @default limit of {@link AdminAuditRepository.list} */
const defaultLimit = 200;

const toJson = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);

/** The admin interface's audit trail: who changed what, when, old → new. */
export class AdminAuditRepository {
  constructor(private readonly database: Database) {}

  async record(change: NewAdminAudit, changedAt = new Date()): Promise<AdminAuditRecord> {
    ensureValid(change.actor.trim() !== '', 'an audit row needs an actor');
    const saved = await this.database.transaction((manager) =>
      manager.save(
        manager.create(AdminAuditEntity, {
          ...change,
          oldValue: toJson(change.oldValue),
          newValue: toJson(change.newValue),
          changedAt,
        }),
      ),
    );
    return { ...saved };
  }

  /** The newest changes first, optionally of one kind of target (and one key). */
  async list(
    filter: { targetKind?: string; targetKey?: string; limit?: number } = {},
  ): Promise<AdminAuditRecord[]> {
    const entities = await this.database.manager.find(AdminAuditEntity, {
      where: { targetKind: filter.targetKind, targetKey: filter.targetKey },
      order: { id: 'DESC' },
      take: filter.limit ?? defaultLimit,
    });
    return entities.map((entity) => ({ ...entity }));
  }
}
