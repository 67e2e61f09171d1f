import { type RoutingEvent, routingEvent } from './routing-event';
import type { SiteHours, WorkPeriod } from './routing-types';

const minutesPerDay = 1440;
const weekdays = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The wall-clock day of week (0 = Sunday) and minute of day at `now` in `timeZone`. */
export function localTime(timeZone: string, now: Date): { dayOfWeek: number; minuteOfDay: number } {
  // note: Intl applies the zone's DST rules, so a skipped or repeated hour reads as the clock shows it.
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(now);
  const part = (type: string): string => parts.find((candidate) => candidate.type === type)?.value ?? '';
  return {
    dayOfWeek: weekdays.indexOf(part('weekday')),
    minuteOfDay: Number(part('hour')) * 60 + Number(part('minute')),
  };
}

function periodCovers(period: WorkPeriod, dayOfWeek: number, minuteOfDay: number): boolean {
  const { startMinute, endMinute } = period;
  if (startMinute <= endMinute) {
    return period.dayOfWeek === dayOfWeek && minuteOfDay >= startMinute && minuteOfDay < endMinute;
  }
  // Crosses midnight: the evening of its own day and the morning of the next.
  const nextDay = (period.dayOfWeek + 1) % 7;
  return (
    (period.dayOfWeek === dayOfWeek && minuteOfDay >= startMinute && minuteOfDay < minutesPerDay) ||
    (nextDay === dayOfWeek && minuteOfDay < endMinute)
  );
}

/**
 * True when `now`, read in the site's time zone, falls in one of the work periods. A site with no
 * work periods is always open (WhosOn's "no opening hours set"). Throws RangeError on an unknown zone.
 */
export function isWithinOpeningHours(
  site: SiteHours,
  workPeriods: readonly WorkPeriod[],
  now: Date,
): boolean {
  if (workPeriods.length === 0) return true;
  const { dayOfWeek, minuteOfDay } = localTime(site.timeZone, now);
  return workPeriods.some((period) => periodCovers(period, dayOfWeek, minuteOfDay));
}

export type OpeningHoursDecision =
  | { readonly open: true; readonly events: readonly RoutingEvent[] }
  | { readonly open: false; readonly message: string | null; readonly events: readonly RoutingEvent[] };

/** Open, or refused with the site's offline message and OO. */
export function openingHoursDecision(
  site: SiteHours,
  workPeriods: readonly WorkPeriod[],
  now: Date,
): OpeningHoursDecision {
  if (isWithinOpeningHours(site, workPeriods, now)) return { open: true, events: [] };
  return { open: false, message: site.offlineMessage, events: [routingEvent('OO')] };
}
