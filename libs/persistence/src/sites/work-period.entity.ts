import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { idColumn } from '../database/column-types';
import { SiteEntity } from './site.entity';

/** One opening-hours slot of a site: a day of week and a minute range in the site's time zone. */
@Entity({ name: 'work_periods' })
export class WorkPeriodEntity {
  @PrimaryGeneratedColumn('increment', idColumn)
  id!: number;

  @Column(idColumn)
  siteId!: number;

  @ManyToOne(() => SiteEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'site_id' })
  site?: SiteEntity;

  /** 0 = Sunday … 6 = Saturday, as JavaScript's `Date#getDay`. */
  @Column({ type: 'integer' })
  dayOfWeek!: number;

  /** Minutes after local midnight, inclusive. */
  @Column({ type: 'integer' })
  startMinute!: number;

  /** Minutes after local midnight, exclusive (1440 = end of day). */
  @Column({ type: 'integer' })
  endMinute!: number;
}
