/**
 * The normalised model that every parser produces, whatever the file's layout.
 * Parsers turn a file into grids, the table reader turns grids into a ParsedDeclaration.
 */

/** The answer to one requirement after normalisation of every vocabulary. */
export type Answer = 'met' | 'not-met' | 'partially-met' | 'not-applicable' | 'unanswered';

export const ANSWERS: readonly Answer[] = [
  'met',
  'not-met',
  'partially-met',
  'not-applicable',
  'unanswered',
];

/** The location of a row in the original file, so that a person can find it. */
export type SourceLocation =
  | { kind: 'sheet'; sheet: string; row: number }
  | { kind: 'page'; page: number; line: number };

/**
 * One row of a grid: the text of each cell, left to right, with '' for an empty cell.
 * A cell inside a merged range carries the merged range's text in every cell it covers
 * and is listed in `merged` by its zero-based column index.
 */
export interface GridRow {
  cells: string[];
  source: SourceLocation;
  /** Zero-based column indexes whose text comes from a merged range that starts in an earlier row. */
  mergedFromAbove?: number[];
  /** True when the row is hidden in the workbook. */
  hidden?: boolean;
  /** True for a PDF line outside every table, such as a heading or a paragraph between tables. */
  outsideTable?: boolean;
}

/**
 * The last column a grid takes. A declaration's table is a few dozen columns wide; a value in
 * column XFD would make every row 16,384 cells long.
 */
export const MAX_GRID_COLUMNS = 1_024;

/** Excel's maximum number of characters in a cell. A longer text read from a workbook is cut to it. */
export const MAX_CELL_CHARACTERS = 32_767;

/**
 * Maximum number of requirement rows read from one declaration. A self-declaration has tens to
 * hundreds of requirements, and the benchmark's stress workbook has 50,000.
 */
export const MAX_REQUIREMENT_ROWS = 100_000;

/**
 * Maximum number of rows with values read from one workbook, over all its sheets. It leaves room
 * for MAX_REQUIREMENT_ROWS requirements, a report sheet that repeats them and the rows around
 * them. Reading stops past it, so that memory stays bounded before the tables are read.
 */
export const MAX_WORKBOOK_ROWS = 250_000;

/** A two-dimensional view of one worksheet, or of all pages of a PDF. */
export interface Grid {
  /** The sheet name, or 'PDF' for a PDF document. */
  name: string;
  kind: 'sheet' | 'pdf';
  hidden?: boolean;
  rows: GridRow[];
  /** How many cells with a value lay beyond the last column a grid takes, and were left out. */
  ignoredCells?: number;
  /** Cells with a formula but no saved result, which read as empty: how many, and the first one's row. */
  formulasWithoutResult?: { count: number; firstRow: number };
  /** Rows and cells of a malformed sheet that were left out or read as empty. */
  anomalies?: SheetAnomalies;
}

/** Maximum number of places, such as cells, that one warning names. */
export const MAX_LISTED_PLACES = 5;

/** Places in a sheet that one warning is about. */
export interface SheetPlaces {
  /** How many times the anomaly occurred. */
  count: number;
  /** The first MAX_LISTED_PLACES distinct places, as cell references such as `C14` or as row numbers. */
  first: string[];
}

/** Rows and cells of a malformed sheet that the reader left out or read as empty, by kind. */
export interface SheetAnomalies {
  /** Rows whose number an earlier row with values has. The later rows are left out. */
  duplicateRows?: SheetPlaces;
  /** Cells whose reference an earlier cell of their row has. The later cells are left out. */
  duplicateCells?: SheetPlaces;
  /** Cells of type `s` whose shared-string index is not in the shared-string table. They read as empty. */
  missingSharedStrings?: SheetPlaces;
  /** Cells whose text is longer than Excel's 32,767 characters. They read as their first 32,767. */
  truncatedCells?: SheetPlaces;
}

/** Facts about the declaring party, read from a cover sheet or a key-value block. */
export interface CoverFacts {
  supplier: string | null;
  organisationNumber: string | null;
  system: string | null;
  version: string | null;
  municipality: string | null;
  /**
   * ISO 8601 date (YYYY-MM-DD) when the cell held a date or a parseable date text from
   * 2000-01-01 to one year after the day of parsing.
   */
  date: string | null;
  contact: { name: string | null; phone: string | null; email: string | null };
}

export interface RequirementRow {
  requirementId: string | null;
  /** The area as the document states it: a column, a merged cell, a sheet name or a section heading. */
  areaHint: string | null;
  text: string;
  answer: Answer;
  /** The answer as written, or the header of the column that holds the X mark. */
  answerRaw: string | null;
  comment: string | null;
  /** File names, links or references to screenshots and logs mentioned in the row. */
  attachments: string[];
  source: SourceLocation;
}

/** The tables the parser read and the rows it skipped, for the declaration's parse report. */
export interface ParseReport {
  tables: {
    grid: string;
    headerRow: SourceLocation;
    /** Field name to the header text it was matched from. */
    columns: Record<string, string>;
    rows: number;
  }[];
  skipped: { source: SourceLocation; reason: string }[];
  warnings: string[];
  /** Sheets that were not read as requirement tables, with the reason (no table, or hidden). */
  skippedGrids?: { grid: string; reason: string }[];
}

export interface ParsedDeclaration {
  format: 'xlsx' | 'pdf';
  cover: CoverFacts;
  rows: RequirementRow[];
  report: ParseReport;
}

export function emptyCover(): CoverFacts {
  return {
    supplier: null,
    organisationNumber: null,
    system: null,
    version: null,
    municipality: null,
    date: null,
    contact: { name: null, phone: null, email: null },
  };
}
