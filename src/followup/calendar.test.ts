import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  easterSunday,
  formatCalendarDate,
  isWorkingDay,
  parseCalendarDate,
  swedishDateOf,
  swedishHolidays,
  workingDaysBetween,
} from './calendar.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2038, '2038-04-25'],
  ])('%i', (year, expected) => {
    expect(easterSunday(year).toISOString().slice(0, 10)).toBe(expected);
  });
});

describe('swedishHolidays', () => {
  it('lists the 2026 days off', () => {
    const holidays = swedishHolidays(2026);
    expect(holidays.get('2026-04-03')).toBe('Långfredagen');
    expect(holidays.get('2026-04-06')).toBe('Annandag påsk');
    expect(holidays.get('2026-05-14')).toBe('Kristi himmelsfärdsdag');
    expect(holidays.get('2026-06-19')).toBe('Midsommarafton');
    expect(holidays.get('2026-06-20')).toBe('Midsommardagen');
    expect(holidays.get('2026-10-31')).toBe('Alla helgons dag');
    expect(holidays.get('2026-12-24')).toBe('Julafton');
    expect(holidays.size).toBe(16);
  });
});

describe('working days', () => {
  it('skips weekends and holidays', () => {
    expect(isWorkingDay(day('2026-12-04'))).toBe(true);
    expect(isWorkingDay(day('2026-12-05'))).toBe(false);
    expect(isWorkingDay(day('2026-12-25'))).toBe(false);
    expect(isWorkingDay(day('2026-06-19'))).toBe(false);
  });

  it('counts across Christmas', () => {
    // 23 Dec 2026 is a Wednesday: 24, 25 and 26 Dec, the weekend and 31 Dec and 1 Jan are off.
    expect(workingDaysBetween(day('2026-12-23'), day('2027-01-04'))).toBe(4);
  });

  it('does not count the start day', () => {
    expect(workingDaysBetween(day('2026-12-07'), day('2026-12-07'))).toBe(0);
    expect(workingDaysBetween(day('2026-12-07'), day('2026-12-08'))).toBe(1);
  });

  it('adds days past Easter', () => {
    // Thursday 2 April 2026, then Good Friday, Easter and Easter Monday are off.
    expect(addWorkingDays(day('2026-04-02'), 1).toISOString().slice(0, 10)).toBe('2026-04-07');
  });

  it('matches a count day by day', () => {
    const countByDay = (from: Date, to: Date) => {
      let count = 0;
      for (let date = new Date(from.getTime() + 86_400_000); date <= to; date = new Date(date.getTime() + 86_400_000)) {
        if (isWorkingDay(date)) count += 1;
      }
      return count;
    };
    // A fixed sequence of ranges from 1965 to 2045, some within a week and some over many years.
    let seed = 7;
    const next = () => (seed = (seed * 48_271) % 2_147_483_647);
    for (let index = 0; index < 300; index++) {
      const from = new Date(Date.UTC(1965, 0, 1) + (next() % 29_000) * 86_400_000);
      const to = new Date(from.getTime() + (next() % (index % 2 === 0 ? 12 : 9_000)) * 86_400_000);
      expect(workingDaysBetween(from, to), `${from.toISOString()} to ${to.toISOString()}`).toBe(countByDay(from, to));
    }
  });

  it('counts to a far date', () => {
    // About 5 weekdays a week over 7,974 years, less about 10 weekday holidays a year.
    const count = workingDaysBetween(day('2026-01-01'), day('9999-12-31'));
    expect(count).toBeGreaterThan(1_990_000);
    expect(count).toBeLessThan(2_090_000);
  });

  it('round-trips add and count', () => {
    const start = day('2026-11-20');
    for (const days of [1, 5, 10, 30]) expect(workingDaysBetween(start, addWorkingDays(start, days))).toBe(days);
  });
});

describe('calendar dates', () => {
  it('parses and formats YYYY-MM-DD', () => {
    expect(formatCalendarDate(parseCalendarDate('2026-02-28'))).toBe('2026-02-28');
  });

  it.each(['2026-02-30', '2026-2-1', '26-01-01', 'today'])('rejects %s', (text) => {
    expect(() => parseCalendarDate(text)).toThrow(RangeError);
  });

  it('takes the Swedish date of an instant', () => {
    expect(formatCalendarDate(swedishDateOf(new Date('2026-06-18T22:30:00Z')))).toBe('2026-06-19');
    expect(formatCalendarDate(swedishDateOf(new Date('2026-12-31T22:59:00Z')))).toBe('2026-12-31');
    expect(formatCalendarDate(swedishDateOf(new Date('2026-12-31T23:00:00Z')))).toBe('2027-01-01');
  });
});
