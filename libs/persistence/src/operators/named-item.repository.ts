import type { EntityTarget } from 'typeorm';
import { ensureValid } from '../database/persistence.error';
import type { Database } from '../database/database';

/** A skill or a user group: a unique name with an optional description. */
export interface NamedItemRecord {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
}

const toRecord = ({ id, name, description }: NamedItemRecord): NamedItemRecord => ({ id, name, description });

/** Shared shape of the skill and user-group repositories, which differ only in their table. */
export abstract class NamedItemRepository {
  protected constructor(
    private readonly database: Database,
    private readonly target: EntityTarget<NamedItemRecord>,
  ) {}

  async create(name: string, description: string | null = null): Promise<NamedItemRecord> {
    ensureValid(name.trim() !== '', 'name must not be empty');
    const saved = await this.database.transaction((manager) =>
      manager.save(this.target, manager.create(this.target, { name, description })),
    );
    return toRecord(saved);
  }

  async findById(id: number): Promise<NamedItemRecord | null> {
    const entity = await this.database.manager.findOneBy(this.target, { id });
    return entity && toRecord(entity);
  }

  async findByName(name: string): Promise<NamedItemRecord | null> {
    const entity = await this.database.manager.findOneBy(this.target, { name });
    return entity && toRecord(entity);
  }

  async list(): Promise<NamedItemRecord[]> {
    const entities = await this.database.manager.find(this.target, { order: { name: 'ASC' } });
    return entities.map(toRecord);
  }

  /** Renames or redescribes; returns the updated item, or null when it does not exist. */
  async update(
    id: number,
    changes: Partial<Pick<NamedItemRecord, 'name' | 'description'>>,
  ): Promise<NamedItemRecord | null> {
    if (changes.name !== undefined) ensureValid(changes.name.trim() !== '', 'name must not be empty');
    await this.database.transaction((manager) => manager.update(this.target, { id }, changes));
    return this.findById(id);
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(this.target, { id }));
    return result.affected === 1;
  }
}
