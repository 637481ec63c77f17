/**
 * The number formats of a workbook's styles part, reduced to what the reader shows differently
 * from the General format: dates, percentages and formats that print only text.
 */

import type { XmlSource } from './xml-scan.ts';

/**
 * The form that a cell style's number format gives a number: a date, a percentage with its
 * decimals, or fixed texts for positive, negative and zero numbers, as `"Ja";;"Nej"` gives.
 */
export type NumberDisplay =
  | { kind: 'date' }
  | { kind: 'percent'; decimals: number }
  | { kind: 'text'; positive: string; negative: string; zero: string };

/** Number formats that Excel defines by id and that show a date; 18 to 21 and 45 to 47 show times. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 22]);

/** Number formats that Excel defines by id and that show a percentage: 9 is `0%`, 10 is `0.00%`. */
const BUILT_IN_PERCENT_FORMATS = new Map<number, NumberDisplay>([
  [9, { kind: 'percent', decimals: 0 }],
  [10, { kind: 'percent', decimals: 2 }],
]);

/** Maps each cell style index (position in cellXfs) whose number format shows a date or a percentage to that display. */
export function readNumberStyles(source: XmlSource | null): Map<number, NumberDisplay> {
  const displays = new Map<number, NumberDisplay>();
  if (source === null) return displays;
  const customFormats = new Map<number, string>();
  const styleFormats: number[] = [];
  let inCellFormats = false;
  source({
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
  const texts = textSections(code);
  if (texts) return { kind: 'text', ...texts };
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

/**
 * Returns the texts of a format code whose number sections print no digits, such as
 * `"Ja";;"Nej"`, which shows Ja for a positive number, nothing for a negative one and Nej for
 * zero. Excel takes the sections in the order positive, negative, zero and text. A missing
 * negative or zero section falls back to the first, with a minus sign for a negative number.
 * Returns null when any number section has a digit placeholder, a date or time code, or a
 * condition such as `[=1]`, whose sections apply in another order.
 */
export function textSections(code: string): { positive: string; negative: string; zero: string } | null {
  const sections = splitSections(code);
  if (sections.length < 2) return null;
  const numeric = sections.slice(0, 3).map(sectionText);
  if (numeric.some((text) => text === null)) return null;
  const [positive, negative, zero] = numeric as string[];
  return { positive: positive!, negative: negative ?? `-${positive}`, zero: zero ?? positive! };
}

/** Splits a format code at the semicolons outside quotes and escapes. */
function splitSections(code: string): string[] {
  const sections: string[] = [];
  let current = '';
  for (let index = 0; index < code.length; index++) {
    const character = code[index]!;
    if (character === '"') {
      const end = code.indexOf('"', index + 1);
      const stop = end < 0 ? code.length : end + 1;
      current += code.slice(index, stop);
      index = stop - 1;
    } else if (character === '\\' || character === '_' || character === '*') {
      current += code.slice(index, index + 2);
      index += 1;
    } else if (character === ';') {
      sections.push(current);
      current = '';
    } else {
      current += character;
    }
  }
  sections.push(current);
  return sections;
}

/** Returns the text a section prints, or null when it prints a number or a date or applies a condition. */
function sectionText(section: string): string | null {
  if (/\[[<>=]/.test(section)) return null;
  let text = '';
  for (let index = 0; index < section.length; index++) {
    const character = section[index]!;
    if (character === '"') {
      const end = section.indexOf('"', index + 1);
      const stop = end < 0 ? section.length : end;
      text += section.slice(index + 1, stop);
      index = stop;
    } else if (character === '\\') {
      text += section[index + 1] ?? '';
      index += 1;
    } else if (character === '_') {
      text += ' ';
      index += 1;
    } else if (character === '*') {
      index += 1;
    } else if (character === '[') {
      // A color or locale such as [Red] or [$-41D] changes no text.
      const end = section.indexOf(']', index);
      index = end < 0 ? section.length : end;
    } else if (character === ' ' || character === '-' || character === '(' || character === ')') {
      text += character;
    } else {
      // A digit placeholder, a date or time code, @ or any other character makes a number display.
      return null;
    }
  }
  return text.trim();
}

/** Returns the text that a text-only format shows for a number: its positive, negative or zero section. */
export function textForNumber(display: { positive: string; negative: string; zero: string }, number: number): string {
  if (number > 0) return display.positive;
  if (number < 0) return display.negative;
  return display.zero;
}
