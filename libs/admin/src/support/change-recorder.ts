import { Injectable } from '@nestjs/common';
import { AdminAuditRepository } from '@switchboard/persistence';
import type { ReloadTarget } from '@switchboard/protocol';
import { ReloadService, type ReloadOutcome } from '../whoson/reload.service';
import type { AdminActor } from './admin-actor';

/** One change made through the admin interface, as the audit trail keeps it. */
export interface AdminChange {
  readonly action: string;
  readonly targetKind: string;
  readonly targetKey: string;
  readonly oldValue?: unknown;
  readonly newValue?: unknown;
}

/**
 * After a change is stored: writes its audit row (who, from where, when, old → new) and tells every
 * process of the cluster to re-read what changed (a `reload` event on the CHAT stream).
 */
@Injectable()
export class ChangeRecorder {
  constructor(
    private readonly adminAudit: AdminAuditRepository,
    private readonly reloads: ReloadService,
  ) {}

  async applied(
    by: AdminActor,
    change: AdminChange,
    reload?: { target: ReloadTarget; key?: string },
  ): Promise<ReloadOutcome | null> {
    await this.adminAudit.record({ ...by, ...change });
    return reload === undefined ? null : this.reloads.reload(reload.target, reload.key);
  }
}
