/**
 * Reads the cells of a worksheet part and the strings of the shared-string part: each cell's
 * text, row numbers and visibility, merged ranges and hyperlink addresses.
 */

import { formatDate, formatNumber, formatPercent } from './cell-text.ts';
import { MAX_CELL_CHARACTERS, MAX_GRID_COLUMNS, MAX_LISTED_PLACES, MAX_WORKBOOK_ROWS, type SheetAnomalies } from './model.ts';
import { textForNumber, type NumberDisplay } from './number-formats.ts';
import { columnName } from './text.ts';
import type { XmlHandler, XmlSource } from './xml-scan.ts';
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
  /** Rows and cells of a malformed sheet that were left out or read as empty. */
  anomalies?: SheetAnomalies;
}

export const isTrue = (value: string | undefined) => value === '1' || value === 'true';

/** Excel writes characters that XML cannot hold as `_xHHHH_`. */
const decodeEscapes = (text: string) =>
  text.includes('_x') ? text.replace(/_x([0-9A-F]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))) : text;

/**
 * Maximum number of characters kept of one cell's or shared string's text as written in the
 * part. An `_xHHHH_` escape takes seven characters for one, so this keeps enough to give
 * MAX_CELL_CHARACTERS after decoding, however many escapes the text has.
 */
const MAX_RAW_CELL_CHARACTERS = 7 * MAX_CELL_CHARACTERS;

/** Returns the start of `text` that fits in `room` characters. */
const keptPart = (text: string, room: number) => (text.length <= room ? text : text.slice(0, Math.max(0, room)));

/** Cuts a text to MAX_CELL_CHARACTERS, one fewer when the cut would split a surrogate pair. */
function cutToCellLimit(text: string): string {
  if (text.length <= MAX_CELL_CHARACTERS) return text;
  const last = text.charCodeAt(MAX_CELL_CHARACTERS - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_CELL_CHARACTERS - 1 : MAX_CELL_CHARACTERS);
}

/** The shared-string table, and the indexes of the strings cut to MAX_CELL_CHARACTERS. */
export interface SharedStrings {
  strings: string[];
  truncated: Set<number>;
}

/**
 * Maximum number of strings read from a shared-string table: four texts of their own for each
 * of the MAX_WORKBOOK_ROWS rows that a workbook may have. A declaration of a few hundred
 * requirements has a few thousand, because cells with the same text share one string. The
 * table is read before any row is counted, so this bounds its memory where MAX_WORKBOOK_ROWS
 * cannot. MAX_WORKBOOK_ROWS times MAX_GRID_COLUMNS, 256 million, would bound nothing.
 */
export const MAX_SHARED_STRINGS = 4 * MAX_WORKBOOK_ROWS;

/**
 * Maximum number of characters over all strings of a shared-string table, counted after each
 * string is cut to MAX_CELL_CHARACTERS: 500 for each of the 100,000 requirement rows that a
 * declaration may have. V8 keeps a character in one or two bytes.
 */
export const MAX_SHARED_STRING_CHARACTERS = 50_000_000;

/** The maximum that a shared-string table passed. */
export type SharedStringLimit = 'strings' | 'characters';

/**
 * Reads the shared strings. Rich text runs are joined, and phonetic guides are left out. Stops
 * at the first string past MAX_SHARED_STRINGS or MAX_SHARED_STRING_CHARACTERS and throws the
 * error that `limitError` builds for the maximum passed.
 */
export function readSharedStrings(source: XmlSource | null, limitError: (limit: SharedStringLimit) => Error): SharedStrings {
  const shared: SharedStrings = { strings: [], truncated: new Set() };
  if (source === null) return shared;
  let characters = 0;
  let current: string[] | null = null;
  let currentLength = 0;
  let overflowed = false;
  let inText = false;
  let phoneticDepth = 0;
  source({
    open(name, _attributes, selfClosing) {
      if (name === 'si') {
        current = [];
        currentLength = 0;
        overflowed = false;
      } else if (name === 'rPh' && !selfClosing) phoneticDepth += 1;
      else if (name === 't' && !selfClosing) inText = true;
    },
    close(name) {
      if (name === 'si' && current) {
        // Escapes are decoded after joining, because the scanner may pass one run in several calls.
        const decoded = decodeEscapes(current.join(''));
        const text = cutToCellLimit(decoded);
        if (shared.strings.length === MAX_SHARED_STRINGS) throw limitError('strings');
        characters += text.length;
        if (characters > MAX_SHARED_STRING_CHARACTERS) throw limitError('characters');
        if (overflowed || decoded.length > MAX_CELL_CHARACTERS) shared.truncated.add(shared.strings.length);
        shared.strings.push(text);
        current = null;
      } else if (name === 'rPh' && phoneticDepth > 0) phoneticDepth -= 1;
      else if (name === 't') inText = false;
    },
    text(text) {
      if (!inText || phoneticDepth > 0 || !current) return;
      const kept = keptPart(text, MAX_RAW_CELL_CHARACTERS - currentLength);
      if (kept.length < text.length) overflowed = true;
      currentLength += kept.length;
      current.push(kept);
    },
  });
  return shared;
}

export interface SheetContext {
  sharedStrings: SharedStrings;
  /** Number displays by cell style index, for the styles that show a date or a percentage. */
  numberStyles: Map<number, NumberDisplay>;
  date1904: boolean;
  /** The worksheet's relationships, which give hyperlink addresses. */
  hyperlinks: Relation[];
  /** Called for each row with values before it is stored, so that the workbook's rows can be counted and bounded. */
  countRow: () => void;
}

interface PendingCell {
  column: number;
  type: string;
  style: number;
  value: string | null;
  inline: string[] | null;
  hasFormula: boolean;
  /** Characters kept of the value or inline string, which MAX_RAW_CELL_CHARACTERS bounds. */
  rawLength: number;
  /** True once text beyond MAX_RAW_CELL_CHARACTERS was dropped. */
  overflowed: boolean;
}

/** The last row of an Excel worksheet. */
const MAX_SHEET_ROW = 1_048_576;

type SheetContent = Pick<SheetCells, 'rows' | 'merges' | 'formulasWithoutResult' | 'anomalies'>;

/** Reads a worksheet part's rows, cells, merged ranges and hyperlinks. */
export function readWorksheet(source: XmlSource, context: SheetContext): SheetContent {
  const reader = new WorksheetReader(context);
  source(reader);
  return reader.finish();
}

/** A row while its cells are read. */
interface OpenRow extends SheetRow {
  number: number;
  hasCells: boolean;
}

/** The handler that collects a worksheet's cell texts as the scanner reads the part. */
class WorksheetReader implements XmlHandler {
  private readonly rows = new Map<number, SheetRow>();
  private readonly merges: MergedRange[] = [];
  private readonly links = new Map<string, string>();
  private readonly anomalies: SheetAnomalies = {};
  /** The row being read, or null outside rows and in a row that is left out. */
  private row: OpenRow | null = null;
  private lastRow = 0;
  private lastColumn = 0;
  private cell: PendingCell | null = null;
  private textTarget: 'value' | 'inline' | null = null;
  private phoneticDepth = 0;
  private unsaved: { count: number; firstRow: number } | undefined;

  constructor(private readonly context: SheetContext) {}

  open(name: string, attributes: Record<string, string>, selfClosing: boolean): void {
    switch (name) {
      case 'row':
        this.openRow(attributes);
        break;
      case 'c': {
        const column = attributes.r ? columnOf(attributes.r) : this.lastColumn + 1;
        this.lastColumn = column;
        const cell = {
          column,
          type: attributes.t ?? 'n',
          style: Number(attributes.s ?? 0),
          value: null,
          inline: null,
          hasFormula: false,
          rawLength: 0,
          overflowed: false,
        };
        this.cell = selfClosing ? null : cell;
        break;
      }
      case 'f':
        if (this.cell) this.cell.hasFormula = true;
        break;
      case 'v':
        if (this.cell && !selfClosing) {
          this.cell.value = '';
          this.textTarget = 'value';
        }
        break;
      case 'is':
        if (this.cell) this.cell.inline = [];
        break;
      case 'rPh':
        if (!selfClosing) this.phoneticDepth += 1;
        break;
      case 't':
        if (this.cell?.inline && !selfClosing) this.textTarget = 'inline';
        break;
      case 'mergeCell':
        if (attributes.ref) {
          const range = rangeOf(attributes.ref);
          if (range) this.merges.push(range);
        }
        break;
      case 'hyperlink':
        if (attributes.ref && attributes.id) {
          const target = this.context.hyperlinks.find((relation) => relation.id === attributes.id)?.target;
          if (target) this.links.set(attributes.ref, target);
        }
        break;
      default:
        break;
    }
  }

  close(name: string): void {
    switch (name) {
      case 'c':
        if (this.cell && this.row) this.finishCell(this.cell, this.row);
        this.cell = null;
        break;
      case 'row':
        this.finishRow();
        break;
      case 'v':
      case 't':
        this.textTarget = null;
        break;
      case 'rPh':
        if (this.phoneticDepth > 0) this.phoneticDepth -= 1;
        break;
      default:
        break;
    }
  }

  text(text: string): void {
    const cell = this.cell;
    if (!cell || this.textTarget === null) return;
    if (this.textTarget === 'inline' && this.phoneticDepth > 0) return;
    const kept = keptPart(text, MAX_RAW_CELL_CHARACTERS - cell.rawLength);
    if (kept.length < text.length) cell.overflowed = true;
    cell.rawLength += kept.length;
    if (this.textTarget === 'value') cell.value += kept;
    else cell.inline!.push(kept);
  }

  /** Sets the hyperlink addresses of blank cells and returns what was read. */
  finish(): SheetContent {
    this.finishRow();
    for (const [reference, target] of this.links) {
      const address = addressOf(reference);
      const linked = address && this.rows.get(address.row);
      if (linked && cellOf(linked, address.column) === '') {
        if (target.length > MAX_CELL_CHARACTERS) notePlace(this.anomalies, 'truncatedCells', reference);
        setCell(linked, address.column, cutToCellLimit(target));
      }
    }
    const content: SheetContent = { rows: this.rows, merges: this.merges };
    if (this.unsaved) content.formulasWithoutResult = this.unsaved;
    if (Object.keys(this.anomalies).length > 0) content.anomalies = this.anomalies;
    return content;
  }

  /** Starts a row, unless a row with values had its number before: such a later row is left out. */
  private openRow(attributes: Record<string, string>): void {
    this.finishRow();
    const number = attributes.r ? Number(attributes.r) : this.lastRow + 1;
    // PostgreSQL stores row numbers as int, and Excel has no row past 1,048,576.
    if (!Number.isInteger(number) || number < 1 || number > MAX_SHEET_ROW) {
      throw new Error(`row number ${attributes.r ?? number} is outside Excel's rows 1 to ${MAX_SHEET_ROW.toLocaleString('en')}`);
    }
    this.lastRow = number;
    this.lastColumn = 0;
    if (this.rows.has(number)) {
      notePlace(this.anomalies, 'duplicateRows', String(number));
      return;
    }
    this.row = { number, hidden: isTrue(attributes.hidden), cells: [], hasCells: false };
  }

  private finishRow(): void {
    const row = this.row;
    if (row && row.hasCells) {
      this.context.countRow();
      this.rows.set(row.number, { hidden: row.hidden, cells: row.cells, outside: row.outside });
    }
    this.row = null;
  }

  /** Stores a cell's text in its row, unless an earlier cell of the row has the same column. */
  private finishCell(cell: PendingCell, row: OpenRow): void {
    if (cell.hasFormula && cell.value === null && cell.type !== 'inlineStr') {
      this.unsaved ??= { count: 0, firstRow: row.number };
      this.unsaved.count += 1;
    }
    let text = cell.type === 's' && cell.value !== null ? this.sharedString(cell.value, cell, row) : cellText(cell, this.context);
    if (text === null) return;
    if (cellOf(row, cell.column) !== undefined) {
      notePlace(this.anomalies, 'duplicateCells', placeOf(cell, row));
      return;
    }
    if (cell.overflowed || text.length > MAX_CELL_CHARACTERS) {
      notePlace(this.anomalies, 'truncatedCells', placeOf(cell, row));
      text = cutToCellLimit(text);
    }
    setCell(row, cell.column, text);
    row.hasCells = true;
  }

  /** Returns the shared string at an index, or '' with a warning when the table has no such string. */
  private sharedString(value: string, cell: PendingCell, row: OpenRow): string {
    const index = Number.parseInt(value, 10);
    const text = this.context.sharedStrings.strings[index];
    if (text === undefined) {
      notePlace(this.anomalies, 'missingSharedStrings', placeOf(cell, row));
      return '';
    }
    if (this.context.sharedStrings.truncated.has(index)) notePlace(this.anomalies, 'truncatedCells', placeOf(cell, row));
    return text;
  }
}

/** Counts an anomaly and lists its place among the first MAX_LISTED_PLACES distinct ones. */
function notePlace(anomalies: SheetAnomalies, kind: keyof SheetAnomalies, place: string): void {
  const places = (anomalies[kind] ??= { count: 0, first: [] });
  places.count += 1;
  if (places.first.length < MAX_LISTED_PLACES && !places.first.includes(place)) places.first.push(place);
}

/** Returns a cell's reference, such as `C14`, or its row's number for a reference without letters. */
function placeOf(cell: PendingCell, row: OpenRow): string {
  return cell.column >= 1 ? `${columnName(cell.column - 1)}${row.number}` : `row ${row.number}`;
}

/** Returns the text of a cell of any type but a shared string, or null when the cell has no value. */
function cellText(cell: PendingCell, context: SheetContext): string | null {
  if (cell.type === 'inlineStr') return cell.inline === null ? null : decodeEscapes(cell.inline.join(''));
  // A formula without a cached result has an empty value, which a spreadsheet shows as blank.
  if (cell.value === null) return cell.hasFormula ? '' : null;
  const value = cell.value;
  switch (cell.type) {
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
