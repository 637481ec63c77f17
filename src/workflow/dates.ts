/** Calendar dates as YYYY-MM-DD strings. Due dates are dates in Sweden, not instants. */

const SWEDISH_DATE = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Returns today's date in Sweden, YYYY-MM-DD, so a due date passes at midnight Swedish time. */
export function todayInSweden(now: Date = new Date()): string {
  return SWEDISH_DATE.format(now);
}

/** Converts a PostgreSQL date column, which Prisma returns as midnight UTC, to YYYY-MM-DD. */
export function toCalendarDate(value: Date | null): string | null {
  return value ? value.toISOString().slice(0, 10) : null;
}

/** Converts YYYY-MM-DD to the midnight-UTC Date that Prisma writes to a date column. */
export function fromCalendarDate(value: string | null): Date | null {
  return value ? new Date(`${value}T00:00:00.000Z`) : null;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Explains, as a validation message, why a text of the form YYYY-MM-DD names no day of the
 * Gregorian calendar, such as 2027-02-30. Returns null when the day exists or the text has
 * another form.
 */
export function nonexistentDateMessage(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const start = `must be a date that exists, and ${text} does not`;
  if (month < 1 || month > 12) return `${start}, because a month is 01 to 12`;
  const leapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  let daysInMonth = 31;
  if (month === 2) daysInMonth = leapYear ? 29 : 28;
  else if ([4, 6, 9, 11].includes(month)) daysInMonth = 30;
  if (day < 1 || day > daysInMonth) return `${start}, because ${MONTH_NAMES[month - 1]} ${year} has ${daysInMonth} days`;
  return null;
}
