/**
 * Swedish working days: Monday to Friday, except public holidays and the eves that Swedish
 * workplaces treat as holidays (Midsummer Eve, Christmas Eve and New Year's Eve).
 * Dates are calendar dates in UTC (YYYY-MM-DD), so time zones never shift a day.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

/** Easter Sunday in the Gregorian calendar, by the anonymous Gregorian algorithm. */
export function easterSunday(year: number): Date {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return new Date(Date.UTC(year, month - 1, day));
}

const addDays = (date: Date, days: number) => new Date(date.getTime() + days * DAY_MS);
const isoDate = (date: Date) => date.toISOString().slice(0, 10);

/** The first date from `from` (inclusive) that falls on `weekday` (0 Sunday to 6 Saturday). */
function firstWeekdayFrom(from: Date, weekday: number): Date {
  return addDays(from, (weekday - from.getUTCDay() + 7) % 7);
}

const holidayCache = new Map<number, Map<string, string>>();

/** Returns the days off of one year, as ISO date to Swedish name. */
export function swedishHolidays(year: number): Map<string, string> {
  const cached = holidayCache.get(year);
  if (cached) return cached;

  const easter = easterSunday(year);
  const midsummerEve = firstWeekdayFrom(new Date(Date.UTC(year, 5, 19)), 5);
  const allSaintsDay = firstWeekdayFrom(new Date(Date.UTC(year, 9, 31)), 6);
  const fixed = (month: number, day: number) => new Date(Date.UTC(year, month - 1, day));
  const days: [Date, string][] = [
    [fixed(1, 1), 'Nyårsdagen'],
    [fixed(1, 6), 'Trettondedag jul'],
    [addDays(easter, -2), 'Långfredagen'],
    [easter, 'Påskdagen'],
    [addDays(easter, 1), 'Annandag påsk'],
    [fixed(5, 1), 'Första maj'],
    [addDays(easter, 39), 'Kristi himmelsfärdsdag'],
    [addDays(easter, 49), 'Pingstdagen'],
    [fixed(6, 6), 'Sveriges nationaldag'],
    [midsummerEve, 'Midsommarafton'],
    [addDays(midsummerEve, 1), 'Midsommardagen'],
    [allSaintsDay, 'Alla helgons dag'],
    [fixed(12, 24), 'Julafton'],
    [fixed(12, 25), 'Juldagen'],
    [fixed(12, 26), 'Annandag jul'],
    [fixed(12, 31), 'Nyårsafton'],
  ];
  const holidays = new Map(days.map(([date, name]) => [isoDate(date), name]));
  holidayCache.set(year, holidays);
  return holidays;
}

export function isWorkingDay(date: Date): boolean {
  const weekday = date.getUTCDay();
  if (weekday === 0 || weekday === 6) return false;
  return !swedishHolidays(date.getUTCFullYear()).has(isoDate(date));
}

/** Truncates a timestamp to its calendar date in UTC. */
export function startOfDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/**
 * Counts the working days after `from` up to and including `to`. The day something starts
 * does not count, so an item received on a Monday has used one working day on Tuesday.
 */
export function workingDaysBetween(from: Date, to: Date): number {
  // Counted by arithmetic, not day by day, so that a far date such as 9999-12-31 takes no longer
  // than a near one: weekdays in the range, less the holidays on weekdays in it.
  const first = dayNumber(from) + 1;
  const end = dayNumber(to) + 1;
  if (end <= first) return 0;
  let count = weekdaysBefore(end) - weekdaysBefore(first);
  const lastYear = new Date(end * DAY_MS - DAY_MS).getUTCFullYear();
  for (let year = new Date(first * DAY_MS).getUTCFullYear(); year <= lastYear; year++) {
    const yearStart = dayNumber(new Date(Date.UTC(year, 0, 1)));
    const yearEnd = dayNumber(new Date(Date.UTC(year + 1, 0, 1)));
    if (first <= yearStart && yearEnd <= end) {
      count -= weekdayHolidays(year).length;
    } else {
      count -= weekdayHolidays(year).filter((day) => first <= day && day < end).length;
    }
  }
  return count;
}

/** Days since 1970-01-01 of a timestamp's calendar date in UTC. */
function dayNumber(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS);
}

/** Counts the days from Monday to Friday before day `day` (a dayNumber), from a fixed origin. */
function weekdaysBefore(day: number): number {
  const weeks = Math.floor(day / 7);
  let count = weeks * 5;
  // Day 0, 1970-01-01, was a Thursday, and so is every day a whole number of weeks after it.
  for (let offset = 0; offset < day - weeks * 7; offset++) {
    const weekday = (4 + offset) % 7;
    if (weekday !== 0 && weekday !== 6) count += 1;
  }
  return count;
}

const weekdayHolidayCache = new Map<number, number[]>();

/** Returns the dayNumbers of a year's days off that fall from Monday to Friday. */
function weekdayHolidays(year: number): number[] {
  const cached = weekdayHolidayCache.get(year);
  if (cached) return cached;
  const days = [...swedishHolidays(year).keys()]
    .map((iso) => new Date(`${iso}T00:00:00Z`))
    .filter((date) => date.getUTCDay() !== 0 && date.getUTCDay() !== 6)
    .map(dayNumber);
  weekdayHolidayCache.set(year, days);
  return days;
}

/** Returns the date that lies the given number of working days after `from`. */
export function addWorkingDays(from: Date, workingDays: number): Date {
  let day = startOfDay(from);
  let remaining = workingDays;
  while (remaining > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) remaining -= 1;
  }
  return day;
}

/** Parses a calendar date, YYYY-MM-DD, as midnight UTC. Throws RangeError on anything else. */
export function parseCalendarDate(text: string): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : null;
  if (!date || isoDate(date) !== text) throw new RangeError(`'${text}' is not a calendar date as YYYY-MM-DD.`);
  return date;
}

/** Formats a date as YYYY-MM-DD in UTC. */
export function formatCalendarDate(date: Date): string {
  return isoDate(date);
}

const SWEDISH_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/**
 * Returns the calendar date in Sweden (Europe/Stockholm) of an instant, as midnight UTC, so that
 * an event at 00:30 Swedish summer time falls on its Swedish date and not the day before.
 */
export function swedishDateOf(instant: Date): Date {
  return parseCalendarDate(SWEDISH_DATE.format(instant));
}
