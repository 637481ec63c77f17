/** Parsing of the date texts found on declaration covers into ISO 8601 dates. */

const MONTHS = new Map<string, number>([
  ['januari', 1], ['january', 1], ['jan', 1],
  ['februari', 2], ['february', 2], ['feb', 2],
  ['mars', 3], ['march', 3], ['mar', 3],
  ['april', 4], ['apr', 4],
  ['maj', 5], ['may', 5],
  ['juni', 6], ['june', 6], ['jun', 6],
  ['juli', 7], ['july', 7], ['jul', 7],
  ['augusti', 8], ['august', 8], ['aug', 8],
  ['september', 9], ['sep', 9], ['sept', 9],
  ['oktober', 10], ['october', 10], ['okt', 10], ['oct', 10],
  ['november', 11], ['nov', 11],
  ['december', 12], ['dec', 12],
]);

/**
 * Returns the date a text states as YYYY-MM-DD, or null.
 * Accepts 2024-03-15, 2024/03/15, 20240315, 15/03/2024 and 15.03.2024 (day first, as in
 * Sweden), '15 mars 2024' and 'March 15, 2024'.
 */
export function parseDateText(text: string): string | null {
  const trimmed = text.trim().toLowerCase();

  const yearFirst = trimmed.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:$|[\sT])/);
  if (yearFirst) return isoDate(+yearFirst[1]!, +yearFirst[2]!, +yearFirst[3]!);

  const compact = trimmed.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (compact) return isoDate(+compact[1]!, +compact[2]!, +compact[3]!);

  // NOTE: a US date such as 03/12/2018 (March 12) is read day first, as 3 December.
  const dayFirst = trimmed.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/);
  if (dayFirst) return isoDate(+dayFirst[3]!, +dayFirst[2]!, +dayFirst[1]!);

  const dayMonthName = trimmed.match(/^(\d{1,2})\s*\.?\s*([\p{L}]+)\.?,?\s+(\d{4})$/u);
  if (dayMonthName) return isoDateWithMonthName(+dayMonthName[3]!, dayMonthName[2]!, +dayMonthName[1]!);

  const monthNameDay = trimmed.match(/^([\p{L}]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/u);
  if (monthNameDay) return isoDateWithMonthName(+monthNameDay[3]!, monthNameDay[1]!, +monthNameDay[2]!);

  return null;
}

function isoDateWithMonthName(year: number, monthName: string, day: number): string | null {
  const month = MONTHS.get(monthName);
  return month === undefined ? null : isoDate(year, month, day);
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  const valid = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  if (!valid) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The earliest date that a cover may give as the declaration's date. */
const EARLIEST_COVER_DATE = '2000-01-01';

/**
 * Returns why an ISO date (YYYY-MM-DD) cannot be the date of a declaration, or null when it can.
 * A date before 2000-01-01 or more than one year after `today` (in UTC) is taken for a
 * placeholder such as 9999-12-31 or a typing error. The rule is kept this simple so that the
 * warning can state it in a few words.
 */
export function findImplausibleCoverDateReason(isoDate: string, today: Date = new Date()): string | null {
  if (isoDate < EARLIEST_COVER_DATE) return `it is before ${EARLIEST_COVER_DATE}`;
  const latest = new Date(Date.UTC(today.getUTCFullYear() + 1, today.getUTCMonth(), today.getUTCDate()));
  const latestText = latest.toISOString().slice(0, 10);
  if (isoDate > latestText) return `it is after ${latestText}, one year from today`;
  return null;
}
