/**
 * The number formats of a workbook's styles part, reduced to what the reader shows differently
 * from the General format: dates and percentages.
 */

import { scanXml } from './xml-scan.ts';

/** The form that a cell style's number format gives a number: a date, or a percentage with its decimals. */
export type NumberDisplay = { kind: 'date' } | { kind: 'percent'; decimals: number };

/** Number formats that Excel defines by id and that show a date; 18 to 21 and 45 to 47 show times. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 22]);

/** Number formats that Excel defines by id and that show a percentage: 9 is `0%`, 10 is `0.00%`. */
const BUILT_IN_PERCENT_FORMATS = new Map<number, NumberDisplay>([
  [9, { kind: 'percent', decimals: 0 }],
  [10, { kind: 'percent', decimals: 2 }],
]);

/** Maps each cell style index (position in cellXfs) whose number format shows a date or a percentage to that display. */
export function readNumberStyles(xml: string | null): Map<number, NumberDisplay> {
  const displays = new Map<number, NumberDisplay>();
  if (xml === null) return displays;
  const customFormats = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellFormats = false;
  scanXml(xml, {
    open(name, attributes, selfClosing) {
      if (name === 'numFmt') customFormats.set(Number(attributes.numFmtId), attributes.formatCode ?? '');
      else if (name === 'cellXfs' && !selfClosing) inCellFormats = true;
      else if (name === 'xf' && inCellFormats) styleFormats.push(Number(attributes.numFmtId ?? 0));
    },
    close(name) {
      if (name === 'cellXfs') inCellFormats = false;
    },
  });
  styleFormats.forEach((formatId, styleIndex) => {
    const custom = customFormats.get(formatId);
    const display = custom !== undefined ? displayOfFormatCode(custom) : displayOfBuiltInFormat(formatId);
    if (display) displays.set(styleIndex, display);
  });
  return displays;
}

function displayOfBuiltInFormat(formatId: number): NumberDisplay | null {
  if (BUILT_IN_DATE_FORMATS.has(formatId)) return { kind: 'date' };
  return BUILT_IN_PERCENT_FORMATS.get(formatId) ?? null;
}

function displayOfFormatCode(code: string): NumberDisplay | null {
  if (isDateFormat(code)) return { kind: 'date' };
  const decimals = percentDecimals(code);
  return decimals === null ? null : { kind: 'percent', decimals };
}

/**
 * Removes the parts of a format code that print as they are or set a color or locale. These are
 * quoted text, bracketed parts such as `[Red]`, and the character after `\`, `_` (a space of its
 * width) or `*` (repeated to fill the cell).
 */
function stripLiterals(code: string): string {
  return code.replace(/"[^"]*"|\[[^\]]*]|[\\_*]./g, '');
}

/**
 * True when a format code shows a date: a y or d outside quotes, brackets and escaped characters.
 * A format of hours, minutes and seconds only shows a time or a duration such as `[h]:mm`, which
 * a date would misstate, so its value stays a number.
 */
export function isDateFormat(code: string): boolean {
  return /[yYdD]/.test(stripLiterals(code));
}

/**
 * Returns the number of decimals of a percent format, or null when the format shows no
 * percentage. Excel multiplies a value by 100 for a `%` outside quotes and escapes, while `"%"`
 * and `\%` only print the sign. The decimals are the digit placeholders (0, # or ?) after the
 * decimal point of the first section that contains the `%`.
 */
export function percentDecimals(code: string): number | null {
  const section = stripLiterals(code)
    .split(';')
    .find((part) => part.includes('%'));
  if (section === undefined) return null;
  const fraction = /\.([0#?]*)/.exec(section);
  return fraction ? fraction[1]!.length : 0;
}
