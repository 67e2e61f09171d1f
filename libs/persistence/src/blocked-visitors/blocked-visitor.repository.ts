import { ensureValid } from '../database/persistence.error';
import { dateParameter } from '../database/sql-values';
import { BlockedVisitorEntity } from './blocked-visitor.entity';
import type { Database } from '../database/database';

/** A block as callers see it. */
export type BlockedVisitorRecord = Readonly<Omit<BlockedVisitorEntity, 'site'>>;

/** A new block: at least one of `visitorKey` and `ip`; no `siteId` blocks on every site. */
export interface NewBlock {
  siteId?: number | null;
  visitorKey?: string | null;
  ip?: string | null;
  reason?: string | null;
  blockedBy: string;
  /** Null or absent blocks for good. */
  expiresAt?: Date | null;
}

/** Who a block check or lift is about: a visitor key and/or an address, on one site. */
export interface BlockedVisitor {
  readonly siteId: number;
  readonly visitorKey?: string;
  readonly ip?: string;
}

const toRecord = ({ site: _site, ...record }: BlockedVisitorEntity): BlockedVisitorRecord => record;

/** Visitors refused chats (WhosOn's blacklisted clients, event code BX). */
export class BlockedVisitorRepository {
  constructor(private readonly database: Database) {}

  async block(block: NewBlock, blockedAt = new Date()): Promise<BlockedVisitorRecord> {
    ensureValid(Boolean(block.visitorKey) || Boolean(block.ip), 'a block needs a visitor key or an IP');
    const saved = await this.database.transaction((manager) =>
      manager.save(manager.create(BlockedVisitorEntity, { ...block, blockedAt })),
    );
    return toRecord(saved);
  }

  async unblock(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(BlockedVisitorEntity, { id }));
    return result.affected === 1;
  }

  async findById(id: number): Promise<BlockedVisitorRecord | null> {
    const entity = await this.database.manager.findOneBy(BlockedVisitorEntity, { id });
    return entity === null ? null : toRecord(entity);
  }

  /** True when a block for this site (or every site) matches the visitor key or IP and has not expired. */
  async isBlocked(visitor: BlockedVisitor, at = new Date()): Promise<boolean> {
    return (await this.matching(visitor, at).getCount()) > 0;
  }

  /** Lifts every block in force that keeps this visitor (key or IP) out of the site; the blocks lifted. */
  async liftFor(visitor: BlockedVisitor, at = new Date()): Promise<BlockedVisitorRecord[]> {
    const blocks = (await this.matching(visitor, at).getMany()).map(toRecord);
    const lifted: BlockedVisitorRecord[] = [];
    for (const block of blocks) if (await this.unblock(block.id)) lifted.push(block);
    return lifted;
  }

  private matching(visitor: BlockedVisitor, at: Date) {
    return this.database.manager
      .createQueryBuilder(BlockedVisitorEntity, 'block')
      .where('(block.siteId IS NULL OR block.siteId = :siteId)', { siteId: visitor.siteId })
      .andWhere('(block.visitorKey = :visitorKey OR block.ip = :ip)', {
        visitorKey: visitor.visitorKey ?? null,
        ip: visitor.ip ?? null,
      })
      .andWhere('(block.expiresAt IS NULL OR block.expiresAt > :at)', {
        at: dateParameter(this.database.dataSource, at),
      });
  }

  /** Blocks in force at `at` (expired ones are kept for the record but not listed). */
  async listActive(at = new Date()): Promise<BlockedVisitorRecord[]> {
    const entities = await this.database.manager
      .createQueryBuilder(BlockedVisitorEntity, 'block')
      .where('(block.expiresAt IS NULL OR block.expiresAt > :at)', {
        at: dateParameter(this.database.dataSource, at),
      })
      .orderBy('block.id', 'ASC')
      .getMany();
    return entities.map(toRecord);
  }
}
