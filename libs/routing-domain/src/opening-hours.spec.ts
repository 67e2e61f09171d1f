import { isWithinOpeningHours, localTime, openingHoursDecision } from './opening-hours';
import type { SiteHours, WorkPeriod } from './routing-types';

const berlin: SiteHours = { timeZone: 'Europe/Berlin', offlineMessage: 'We are closed.' };
const utc: SiteHours = { timeZone: 'UTC', offlineMessage: null };
const weekdaysNineToFive: WorkPeriod[] = [1, 2, 3, 4, 5].map((dayOfWeek) => ({
  dayOfWeek,
  startMinute: 9 * 60,
  endMinute: 17 * 60,
}));

describe('localTime', () => {
  it.each([
    ['UTC', '2026-03-02T12:34:00Z', 1, 12 * 60 + 34],
    ['Europe/Berlin', '2026-01-05T23:30:00Z', 2, 30],
    ['America/New_York', '2026-01-05T03:00:00Z', 0, 22 * 60],
    ['Asia/Kolkata', '2026-01-04T18:45:00Z', 1, 15],
  ])('reads %s at %s as day %i minute %i', (timeZone, instant, dayOfWeek, minuteOfDay) => {
    expect(localTime(timeZone, new Date(instant))).toEqual({ dayOfWeek, minuteOfDay });
  });

  it('rejects an unknown time zone', () => {
    expect(() => localTime('Mars/Olympus', new Date())).toThrow(RangeError);
  });
});

describe('isWithinOpeningHours', () => {
  it.each([
    ['Monday 09:00 local, the first minute', '2026-01-05T08:00:00Z', true],
    ['Monday 08:59 local', '2026-01-05T07:59:00Z', false],
    ['Monday 16:59 local, the last minute', '2026-01-05T15:59:00Z', true],
    ['Monday 17:00 local, end is exclusive', '2026-01-05T16:00:00Z', false],
    ['Saturday noon', '2026-01-10T11:00:00Z', false],
    ['Sunday 23:30 UTC is Monday 00:30 in Berlin', '2026-01-04T23:30:00Z', false],
  ])('weekdays 9-17 in Berlin: %s → %s', (_label, instant, expected) => {
    expect(isWithinOpeningHours(berlin, weekdaysNineToFive, new Date(instant))).toBe(expected);
  });

  it('is always open without work periods', () => {
    expect(isWithinOpeningHours(berlin, [], new Date('2026-01-10T03:00:00Z'))).toBe(true);
  });

  it('treats an empty slot (start = end) as closed', () => {
    const empty: WorkPeriod[] = [{ dayOfWeek: 1, startMinute: 600, endMinute: 600 }];
    expect(isWithinOpeningHours(utc, empty, new Date('2026-01-05T10:00:00Z'))).toBe(false);
  });

  it('covers the whole day with 0-1440', () => {
    const allDay: WorkPeriod[] = [{ dayOfWeek: 1, startMinute: 0, endMinute: 1440 }];
    expect(isWithinOpeningHours(utc, allDay, new Date('2026-01-05T00:00:00Z'))).toBe(true);
    expect(isWithinOpeningHours(utc, allDay, new Date('2026-01-05T23:59:00Z'))).toBe(true);
    expect(isWithinOpeningHours(utc, allDay, new Date('2026-01-06T00:00:00Z'))).toBe(false);
  });

  describe('a slot crossing midnight (Friday 22:00 to Saturday 02:00)', () => {
    const lateShift: WorkPeriod[] = [{ dayOfWeek: 5, startMinute: 22 * 60, endMinute: 2 * 60 }];
    it.each([
      ['Friday 21:59', '2026-01-09T21:59:00Z', false],
      ['Friday 22:00', '2026-01-09T22:00:00Z', true],
      ['Friday 23:59', '2026-01-09T23:59:00Z', true],
      ['Saturday 00:00', '2026-01-10T00:00:00Z', true],
      ['Saturday 01:59', '2026-01-10T01:59:00Z', true],
      ['Saturday 02:00', '2026-01-10T02:00:00Z', false],
      ['Thursday 23:00', '2026-01-08T23:00:00Z', false],
      ['Sunday 01:00', '2026-01-11T01:00:00Z', false],
    ])('%s → %s', (_label, instant, expected) => {
      expect(isWithinOpeningHours(utc, lateShift, new Date(instant))).toBe(expected);
    });

    it('wraps Saturday night into Sunday morning', () => {
      const saturdayNight: WorkPeriod[] = [{ dayOfWeek: 6, startMinute: 23 * 60, endMinute: 60 }];
      expect(isWithinOpeningHours(utc, saturdayNight, new Date('2026-01-11T00:30:00Z'))).toBe(true);
    });
  });

  describe('Europe/Berlin across daylight saving time', () => {
    const sundayMorning: WorkPeriod[] = [{ dayOfWeek: 0, startMinute: 8 * 60, endMinute: 12 * 60 }];
    it.each([
      // 29 March 2026, last Sunday of March: clocks go 02:00 CET → 03:00 CEST.
      ['spring, 07:59 CEST = 05:59 UTC', '2026-03-29T05:59:00Z', false],
      ['spring, 08:00 CEST = 06:00 UTC', '2026-03-29T06:00:00Z', true],
      ['spring, 11:59 CEST = 09:59 UTC', '2026-03-29T09:59:00Z', true],
      ['spring, 12:00 CEST = 10:00 UTC', '2026-03-29T10:00:00Z', false],
      // 25 October 2026, last Sunday of October: clocks go 03:00 CEST → 02:00 CET.
      ['autumn, 07:59 CET = 06:59 UTC', '2026-10-25T06:59:00Z', false],
      ['autumn, 08:00 CET = 07:00 UTC', '2026-10-25T07:00:00Z', true],
      ['autumn, 12:00 CET = 11:00 UTC', '2026-10-25T11:00:00Z', false],
    ])('%s → %s', (_label, instant, expected) => {
      expect(isWithinOpeningHours(berlin, sundayMorning, new Date(instant))).toBe(expected);
    });

    it('never opens a slot inside the skipped spring hour, and opens it twice in autumn', () => {
      const twoToThree: WorkPeriod[] = [{ dayOfWeek: 0, startMinute: 2 * 60, endMinute: 3 * 60 }];
      const springInstants = ['2026-03-29T00:59:00Z', '2026-03-29T01:00:00Z', '2026-03-29T01:30:00Z'];
      for (const instant of springInstants) {
        expect(isWithinOpeningHours(berlin, twoToThree, new Date(instant))).toBe(false);
      }
      // 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET).
      expect(isWithinOpeningHours(berlin, twoToThree, new Date('2026-10-25T00:30:00Z'))).toBe(true);
      expect(isWithinOpeningHours(berlin, twoToThree, new Date('2026-10-25T01:30:00Z'))).toBe(true);
      expect(isWithinOpeningHours(berlin, twoToThree, new Date('2026-10-25T02:00:00Z'))).toBe(false);
    });
  });
});

describe('openingHoursDecision', () => {
  it('refuses outside hours with the site message and OO', () => {
    expect(openingHoursDecision(berlin, weekdaysNineToFive, new Date('2026-01-10T11:00:00Z'))).toEqual({
      open: false,
      message: 'We are closed.',
      events: [{ code: 'OO', text: 'Chat not taken as outside site-defined opening hours' }],
    });
  });

  it('lets the chat through inside hours without events', () => {
    expect(openingHoursDecision(berlin, weekdaysNineToFive, new Date('2026-01-05T10:00:00Z'))).toEqual({
      open: true,
      events: [],
    });
  });
});
