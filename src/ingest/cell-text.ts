/** Conversion of exceljs cell values to the plain text that a grid holds. */

import { cleanCellText } from './text.ts';

/**
 * Returns the text of a cell from its exceljs 4.4 value, ignoring number formats.
 * Rich text runs are joined, and a formula gives its cached result, never the formula itself.
 * A hyperlink gives its display text or else its address. A date gives YYYY-MM-DD, a boolean
 * gives TRUE or FALSE, and an error gives its code, such as '#N/A', so that a row whose cells
 * a broken formula emptied is still read and reported rather than skipped unseen.
 */
export function cellValueToText(value: unknown): string {
  return cleanCellText(rawText(value));
}

function rawText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return formatDate(value);
  if (typeof value === 'object') return objectText(value as Record<string, unknown>);
  return '';
}

function objectText(value: Record<string, unknown>): string {
  if (Array.isArray(value.richText)) return richTextToString(value.richText);
  if ('error' in value) return typeof value.error === 'string' ? value.error : '';
  if ('formula' in value || 'sharedFormula' in value) return rawText(value.result);
  if ('hyperlink' in value || 'text' in value) {
    const text = rawText(value.text);
    return text !== '' ? text : rawText(value.hyperlink);
  }
  return '';
}

function richTextToString(runs: unknown[]): string {
  let text = '';
  for (const run of runs) {
    if (run && typeof run === 'object' && typeof (run as { text?: unknown }).text === 'string') {
      text += (run as { text: string }).text;
    }
  }
  return text;
}

/** Formats a date as YYYY-MM-DD. exceljs builds dates at UTC midnight, so UTC fields are used. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  return date.toISOString().slice(0, 10);
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  // Binary floating point turns 0.3 into 0.30000000000000004, which no spreadsheet shows.
  return String(Number.parseFloat(value.toPrecision(12)));
}
