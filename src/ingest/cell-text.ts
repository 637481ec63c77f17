/** Text forms of workbook dates and numbers, as a grid stores them. */

/** Formats a date as YYYY-MM-DD from its UTC fields; spreadsheet dates carry no time zone. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().slice(0, 10);
}

/** Formats a number as a spreadsheet shows it in the General format, without binary rounding noise. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  // Binary floating point turns 0.3 into 0.30000000000000004, which no spreadsheet shows.
  return String(Number.parseFloat(value.toPrecision(12)));
}
