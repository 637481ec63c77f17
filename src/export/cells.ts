/**
 * Spreadsheet programs run a cell that starts with =, +, - or @ as a formula, and some also
 * react to a leading tab or carriage return. A text that starts with one of these gets a
 * leading apostrophe, which Excel and LibreOffice show as plain text.
 */
const FORMULA_TRIGGERS = new Set(['=', '+', '-', '@', '\t', '\r']);

/** Returns the text so that no spreadsheet evaluates it as a formula. */
export function neutraliseFormula(text: string): string {
  const first = text.charAt(0);
  if (!FORMULA_TRIGGERS.has(first)) return text;
  // A plain negative number is data, not a formula, and keeps its value.
  if (first === '-' && /^-\d+(?:[.,]\d+)?$/.test(text)) return text;
  return `'${text}`;
}

/** Quotes one CSV field after neutralising formulas, doubling quotes inside it. */
export function csvField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'string') return String(value);
  const safe = neutraliseFormula(value);
  return /[",\r\n;]/.test(safe) || safe !== value ? `"${safe.replace(/"/g, '""')}"` : safe;
}
