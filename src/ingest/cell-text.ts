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

/** The maximum number of decimals that Number.prototype.toFixed accepts, beyond which it throws a RangeError. */
const MAX_FIXED_DECIMALS = 100;

/**
 * Formats a number as a percent format shows it: the value times 100, rounded half away from
 * zero to `decimals` places as Excel rounds, and a percent sign.
 */
export function formatPercent(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return '';
  const places = Math.min(decimals, MAX_FIXED_DECIMALS);
  // Each product is cut to 15 significant digits, the precision Excel works with, so that binary
  // noise such as 0.285 * 100 = 28.499999999999996 does not decide the rounding.
  const magnitude = Math.abs(Number((value * 100).toPrecision(15)));
  const shifted = Math.round(Number((magnitude * 10 ** places).toPrecision(15)));
  const rounded = Math.sign(value) * (shifted / 10 ** places);
  return `${rounded.toFixed(places)}%`;
}
