/**
 * Reads the cells of a worksheet part and the strings of the shared-string part: each cell's
 * text, row numbers and visibility, merged ranges and hyperlink addresses.
 */

import { formatDate, formatNumber, formatPercent } from './cell-text.ts';
import { MAX_GRID_COLUMNS } from './model.ts';
import { textForNumber, type NumberDisplay } from './number-formats.ts';
import type { XmlSource } from './xml-scan.ts';
import type { Relation } from './xlsx-package.ts';

export interface MergedRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export interface SheetRow {
  hidden: boolean;
  /**
   * Cell texts before cleaning, at index column - 1 for columns 1 to MAX_GRID_COLUMNS. A cell
   * without a value is a hole. A plain array per row takes a fraction of a Map's memory.
   */
  cells: string[];
  /** Cell texts of column 0 (a reference without letters) and of columns beyond MAX_GRID_COLUMNS, by column number. */
  outside?: Map<number, string>;
}

/** Returns the text of the cell at a 1-based column, or undefined when the cell has no value. */
export function cellOf(row: SheetRow, column: number): string | undefined {
  return column >= 1 && column <= MAX_GRID_COLUMNS ? row.cells[column - 1] : row.outside?.get(column);
}

function setCell(row: SheetRow, column: number, text: string): void {
  if (column >= 1 && column <= MAX_GRID_COLUMNS) row.cells[column - 1] = text;
  else (row.outside ??= new Map()).set(column, text);
}

export interface SheetCells {
  name: string;
  hidden: boolean;
  /** Rows by row number (1-based), for the rows that have at least one cell with a value. */
  rows: Map<number, SheetRow>;
  merges: MergedRange[];
  /** Cells with a formula but no saved result, which read as empty: how many, and the first one's row. */
  formulasWithoutResult?: { count: number; firstRow: number };
}

export const isTrue = (value: string | undefined) => value === '1' || value === 'true';

/** Excel writes characters that XML cannot hold as `_xHHHH_`. */
const decodeEscapes = (text: string) =>
  text.includes('_x') ? text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : text;

/** Reads the shared strings. Rich text runs are joined; phonetic guides are left out. */
export function readSharedStrings(source: XmlSource | null): string[] {
  if (source === null) return [];
  const strings: string[] = [];
  let current: string[] | null = null;
  let inText = false;
  let phoneticDepth = 0;
  source({
    open(name, _attributes, selfClosing) {
      if (name === 'si') current = [];
      else if (name === 'rPh' && !selfClosing) phoneticDepth += 1;
      else if (name === 't' && !selfClosing) inText = true;
    },
    close(name) {
      if (name === 'si' && current) {
        // Escapes are decoded after joining, because the scanner may pass one run in several calls.
        strings.push(decodeEscapes(current.join('')));
        current = null;
      } else if (name === 'rPh' && phoneticDepth > 0) phoneticDepth -= 1;
      else if (name === 't') inText = false;
    },
    text(text) {
      if (inText && phoneticDepth === 0 && current) current.push(text);
    },
  });
  return strings;
}

export interface SheetContext {
  sharedStrings: string[];
  /** Number displays by cell style index, for the styles that show a date or a percentage. */
  numberStyles: Map<number, NumberDisplay>;
  date1904: boolean;
  /** The worksheet's relationships, which give hyperlink addresses. */
  hyperlinks: Relation[];
}

interface PendingCell {
  column: number;
  type: string;
  style: number;
  value: string | null;
  inline: string[] | null;
  hasFormula: boolean;
}

/** The last row of an Excel worksheet. */
const MAX_SHEET_ROW = 1_048_576;

export function readWorksheet(source: XmlSource, context: SheetContext): Pick<SheetCells, 'rows' | 'merges' | 'formulasWithoutResult'> {
  const rows = new Map<number, SheetRow>();
  const merges: MergedRange[] = [];
  const links = new Map<string, string>();
  let row: (SheetRow & { number: number; hasCells: boolean }) | null = null;
  let lastRow = 0;
  let lastColumn = 0;
  let cell: PendingCell | null = null;
  let textTarget: 'value' | 'inline' | null = null;
  let phoneticDepth = 0;
  let unsaved: { count: number; firstRow: number } | undefined;

  const finishRow = () => {
    if (row && row.hasCells) rows.set(row.number, { hidden: row.hidden, cells: row.cells, outside: row.outside });
    row = null;
  };

  source({
    open(name, attributes, selfClosing) {
      switch (name) {
        case 'row':
          finishRow();
          lastRow = attributes.r ? Number(attributes.r) : lastRow + 1;
          // PostgreSQL stores row numbers as int, and Excel has no row past 1,048,576.
          if (!Number.isInteger(lastRow) || lastRow < 1 || lastRow > MAX_SHEET_ROW) {
            throw new Error(`row number ${attributes.r ?? lastRow} is outside Excel's rows 1 to ${MAX_SHEET_ROW.toLocaleString('en')}`);
          }
          lastColumn = 0;
          row = { number: lastRow, hidden: isTrue(attributes.hidden), cells: [], hasCells: false };
          break;
        case 'c': {
          const column = attributes.r ? columnOf(attributes.r) : lastColumn + 1;
          lastColumn = column;
          cell = { column, type: attributes.t ?? 'n', style: Number(attributes.s ?? 0), value: null, inline: null, hasFormula: false };
          if (selfClosing) cell = null;
          break;
        }
        case 'f':
          if (cell) cell.hasFormula = true;
          break;
        case 'v':
          if (cell && !selfClosing) {
            cell.value = '';
            textTarget = 'value';
          }
          break;
        case 'is':
          if (cell) cell.inline = [];
          break;
        case 'rPh':
          if (!selfClosing) phoneticDepth += 1;
          break;
        case 't':
          if (cell?.inline && !selfClosing) textTarget = 'inline';
          break;
        case 'mergeCell':
          if (attributes.ref) {
            const range = rangeOf(attributes.ref);
            if (range) merges.push(range);
          }
          break;
        case 'hyperlink':
          if (attributes.ref && attributes.id) {
            const target = context.hyperlinks.find((relation) => relation.id === attributes.id)?.target;
            if (target) links.set(attributes.ref, target);
          }
          break;
        default:
          break;
      }
    },
    close(name) {
      switch (name) {
        case 'c':
          if (cell && row) {
            if (cell.hasFormula && cell.value === null && cell.type !== 'inlineStr') {
              unsaved = unsaved ?? { count: 0, firstRow: row.number };
              unsaved.count += 1;
            }
            const text = cellText(cell, context);
            if (text !== null) {
              setCell(row, cell.column, text);
              row.hasCells = true;
            }
          }
          cell = null;
          break;
        case 'row':
          finishRow();
          break;
        case 'v':
        case 't':
          textTarget = null;
          break;
        case 'rPh':
          if (phoneticDepth > 0) phoneticDepth -= 1;
          break;
        default:
          break;
      }
    },
    text(text) {
      if (!cell || textTarget === null) return;
      if (textTarget === 'value') cell.value += text;
      else if (phoneticDepth === 0) cell.inline!.push(text);
    },
  });
  finishRow();

  for (const [reference, target] of links) {
    const address = addressOf(reference);
    const linked = address && rows.get(address.row);
    if (linked && cellOf(linked, address.column) === '') setCell(linked, address.column, target);
  }
  return unsaved ? { rows, merges, formulasWithoutResult: unsaved } : { rows, merges };
}

/** Returns a cell's text, or null when the cell has no value. */
function cellText(cell: PendingCell, context: SheetContext): string | null {
  if (cell.type === 'inlineStr') return cell.inline === null ? null : decodeEscapes(cell.inline.join(''));
  // A formula without a cached result has an empty value, which a spreadsheet shows as blank.
  if (cell.value === null) return cell.hasFormula ? '' : null;
  const value = cell.value;
  switch (cell.type) {
    case 's': {
      const index = Number.parseInt(value, 10);
      return context.sharedStrings[index] ?? '';
    }
    case 'str':
      return decodeEscapes(value);
    case 'b':
      return value === '1' || value.toLowerCase() === 'true' ? 'TRUE' : 'FALSE';
    case 'e':
      return value;
    case 'd':
      // An ISO 8601 date, with or without a time; the date part is what a cell shows.
      return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : value;
    default: {
      const number = Number.parseFloat(value);
      if (Number.isNaN(number)) return '';
      const display = context.numberStyles.get(cell.style);
      if (display?.kind === 'date') return formatDate(excelDate(number, context.date1904));
      if (display?.kind === 'percent') return formatPercent(number, display.decimals);
      if (display?.kind === 'text') return textForNumber(display, number);
      return formatNumber(number);
    }
  }
}

/**
 * Converts an Excel serial day number to a date at UTC. In the 1900 system Excel counts a 29
 * February 1900 that did not exist, so its serials below 61 are one day later than the calendar's.
 */
function excelDate(serial: number, date1904: boolean): Date {
  let days = serial;
  if (date1904) days += 1462;
  else if (serial < 61) days += 1;
  return new Date(Math.round((days - 25569) * 24 * 3600 * 1000));
}

/** Returns the 1-based column number of a cell reference such as `AB12`. */
function columnOf(reference: string): number {
  let column = 0;
  for (let index = 0; index < reference.length; index++) {
    const code = reference.charCodeAt(index) & ~0x20;
    if (code < 65 || code > 90) break;
    column = column * 26 + (code - 64);
  }
  return column;
}

function addressOf(reference: string): { row: number; column: number } | null {
  const match = /^\$?([A-Za-z]{1,3})\$?(\d+)$/.exec(reference);
  return match ? { column: columnOf(match[1]!), row: Number.parseInt(match[2]!, 10) } : null;
}

function rangeOf(reference: string): MergedRange | null {
  const [first, last] = reference.split(':');
  const start = first ? addressOf(first) : null;
  const end = last ? addressOf(last) : start;
  if (!start || !end) return null;
  return {
    top: Math.min(start.row, end.row),
    left: Math.min(start.column, end.column),
    bottom: Math.max(start.row, end.row),
    right: Math.max(start.column, end.column),
  };
}
