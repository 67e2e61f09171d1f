import { IsNull } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import { CannedResponseEntity } from './canned-response.entity';
import type { Database } from '../database/database';

/** A canned response as callers see it. */
export type CannedResponseRecord = Readonly<Omit<CannedResponseEntity, 'operator'>>;

/** A new canned response; leave `operatorId` out to share it with every operator. */
export interface NewCannedResponse {
  operatorId?: number | null;
  title: string;
  text: string;
}

const toRecord = ({ operator: _operator, ...record }: CannedResponseEntity): CannedResponseRecord => record;

/** Reusable replies, per operator or shared (WhosOn's `cannedresponses.json`). */
export class CannedResponseRepository {
  constructor(private readonly database: Database) {}

  async create(response: NewCannedResponse): Promise<CannedResponseRecord> {
    ensureValid(response.title.trim() !== '', 'title must not be empty');
    const saved = await this.database.transaction((manager) =>
      manager.save(manager.create(CannedResponseEntity, response)),
    );
    return toRecord(saved);
  }

  async findById(id: number): Promise<CannedResponseRecord | null> {
    const entity = await this.database.manager.findOneBy(CannedResponseEntity, { id });
    return entity && toRecord(entity);
  }

  /** What one operator may use: their own responses and the shared ones, by title. */
  async listForOperator(operatorId: number): Promise<CannedResponseRecord[]> {
    const entities = await this.database.manager.find(CannedResponseEntity, {
      where: [{ operatorId }, { operatorId: IsNull() }],
      order: { title: 'ASC', id: 'ASC' },
    });
    return entities.map(toRecord);
  }

  async update(id: number, changes: Partial<Pick<NewCannedResponse, 'title' | 'text'>>): Promise<boolean> {
    const result = await this.database.transaction((manager) =>
      manager.update(CannedResponseEntity, { id }, changes),
    );
    return result.affected === 1;
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(CannedResponseEntity, { id }));
    return result.affected === 1;
  }
}
