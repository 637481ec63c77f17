/**
 * Values in the text format of PostgreSQL's COPY: one line per row, columns separated by tabs,
 * \N for NULL, and a backslash before each backslash, tab, line feed and carriage return in a
 * value. PostgreSQL reads this format with less work than it unpacks the same rows from JSON.
 */

/** Column kind, which decides how a value is written. */
export type CopyColumn = 'text' | 'number' | 'boolean' | 'text[]' | 'json';

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/g;

function escapeText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (character) => ESCAPES[character]!);
}

/**
 * Writes an array literal with every element quoted, so that commas, braces, spaces and the word
 * NULL in an element stay text. Inside the quotes only a double quote and a backslash are escaped.
 */
function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((item) => `"${item.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
}

/** Writes one value for a column of the kind given. */
export function copyValue(value: unknown, kind: CopyColumn): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'text':
      return escapeText(String(value));
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`Invalid value ${String(value)} for a number column; pass a finite number.`);
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'text[]':
      return escapeText(arrayLiteral(value as readonly string[]));
    case 'json':
      return escapeText(JSON.stringify(value));
  }
}

/** A column of a COPY: its name in SQL, its kind, and how to take its value from a record. */
export interface CopyField<T> {
  column: string;
  kind: CopyColumn;
  value: (record: T) => unknown;
}

/** Builds the COPY statement for the fields' columns of a table. */
export function copyStatement<T>(table: string, fields: readonly CopyField<T>[]): string {
  return `COPY "${table}" (${fields.map((field) => `"${field.column}"`).join(', ')}) FROM STDIN`;
}

/**
 * Number of UTF-16 units after which a chunk of lines is handed on, so that a chunk stays at about
 * 32,000 characters whether its records are short rows or wide deviations.
 */
const CHUNK_LENGTH = 32 * 1024;

/** Number of records taken from the list at a time. */
const RECORDS_PER_TAKE = 100;

/** Yields the records' lines in chunks of about CHUNK_LENGTH characters, each built only when it is requested. */
export function* copyLines<T>(fields: readonly CopyField<T>[], take: (start: number, end: number) => readonly T[], count: number): Generator<string> {
  let text = '';
  for (let start = 0; start < count; start += RECORDS_PER_TAKE) {
    for (const record of take(start, Math.min(start + RECORDS_PER_TAKE, count))) {
      for (let index = 0; index < fields.length; index++) {
        const field = fields[index]!;
        text += index === 0 ? copyValue(field.value(record), field.kind) : `\t${copyValue(field.value(record), field.kind)}`;
      }
      text += '\n';
      if (text.length >= CHUNK_LENGTH) {
        yield text;
        text = '';
      }
    }
  }
  if (text !== '') yield text;
}
