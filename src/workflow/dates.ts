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
