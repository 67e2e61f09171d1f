import { Injectable } from '@nestjs/common';
import {
  type BlockedVisitorRecord,
  BlockedVisitorRepository,
  SiteRepository,
} from '@switchboard/persistence';
import { AdminException } from '../admin.exception';
import type { AdminActor } from '../support/admin-actor';
import { ChangeRecorder } from '../support/change-recorder';
import type { ChangeAnswer } from './management.service';

/** A block as the admin API shows (and audits) it: its site by key, null for every site. */
export type BlockView = Omit<BlockedVisitorRecord, 'siteId'> & { readonly siteKey: string | null };

/** Visitor blocks (BX) in force, and lifting one. */
@Injectable()
export class BlocksService {
  constructor(
    private readonly blockedVisitors: BlockedVisitorRepository,
    private readonly sites: SiteRepository,
    private readonly changes: ChangeRecorder,
  ) {}

  async list(): Promise<BlockView[]> {
    const siteKeys = new Map((await this.sites.list()).map((site) => [site.id, site.siteKey]));
    return (await this.blockedVisitors.listActive()).map((block) => view(block, siteKeys));
  }

  /** Lifts a block at once: the visitor's next `chat:start` is accepted (nothing is cached). */
  async lift(id: number, by: AdminActor): Promise<ChangeAnswer<BlockView>> {
    const block = await this.blockedVisitors.findById(id);
    if (block === null || !(await this.blockedVisitors.unblock(id)))
      throw AdminException.notFound(`block ${id}`);
    const site = block.siteId === null ? null : await this.sites.findById(block.siteId);
    const value = view(block, new Map(site ? [[site.id, site.siteKey]] : []));
    await this.changes.applied(by, {
      action: 'block.delete',
      targetKind: 'block',
      targetKey: String(id),
      oldValue: value,
    });
    return { value, reload: null };
  }
}

function view({ siteId, ...block }: BlockedVisitorRecord, siteKeys: ReadonlyMap<number, string>): BlockView {
  return { ...block, siteKey: siteId === null ? null : (siteKeys.get(siteId) ?? null) };
}
