import { ensureValid } from '../database/persistence.error';
import { WorkPeriodEntity } from './work-period.entity';
import type { Database } from '../database/database';

/** A work period as callers see it. */
export type WorkPeriodRecord = Readonly<Omit<WorkPeriodEntity, 'site'>>;

/** One opening slot: day 0 (Sunday) … 6, minutes [start, end) after local midnight. */
export type NewWorkPeriod = Omit<WorkPeriodRecord, 'id'>;

const minutesPerDay = 1440;

const toRecord = ({ id, siteId, dayOfWeek, startMinute, endMinute }: WorkPeriodEntity): WorkPeriodRecord => ({
  id,
  siteId,
  dayOfWeek,
  startMinute,
  endMinute,
});

/** Opening hours of sites. */
export class WorkPeriodRepository {
  constructor(private readonly database: Database) {}

  async add(period: NewWorkPeriod): Promise<WorkPeriodRecord> {
    const { dayOfWeek, startMinute, endMinute } = period;
    ensureValid(Number.isInteger(dayOfWeek) && dayOfWeek >= 0 && dayOfWeek <= 6, 'day of week must be 0-6');
    ensureValid(
      Number.isInteger(startMinute) && Number.isInteger(endMinute) && startMinute >= 0,
      'minutes must be whole numbers from 0',
    );
    ensureValid(
      startMinute < endMinute && endMinute <= minutesPerDay,
      'a work period must end after it starts, by 1440',
    );
    const saved = await this.database.transaction((manager) =>
      manager.save(manager.create(WorkPeriodEntity, period)),
    );
    return toRecord(saved);
  }

  async findById(id: number): Promise<WorkPeriodRecord | null> {
    const entity = await this.database.manager.findOneBy(WorkPeriodEntity, { id });
    return entity && toRecord(entity);
  }

  async listForSite(siteId: number): Promise<WorkPeriodRecord[]> {
    const entities = await this.database.manager.find(WorkPeriodEntity, {
      where: { siteId },
      order: { dayOfWeek: 'ASC', startMinute: 'ASC' },
    });
    return entities.map(toRecord);
  }

  async delete(id: number): Promise<boolean> {
    const result = await this.database.transaction((manager) => manager.delete(WorkPeriodEntity, { id }));
    return result.affected === 1;
  }
}
