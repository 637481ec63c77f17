/**
 * The table reader: finds requirement tables in grids by scoring header rows, reads their
 * rows and the cover facts around them, and builds the normalised declaration.
 */

import { DeclarationFileError } from '../errors.ts';
import { readCoverFacts, type CoverRegion } from './cover.ts';
import type { DeclarationFormat } from './detect.ts';
import { FIELDS, type ColumnMap } from './headers.ts';
import { MAX_GRID_COLUMNS, MAX_LISTED_PLACES, MAX_REQUIREMENT_ROWS, type Grid, type ParsedDeclaration, type ParseReport, type RequirementRow, type SourceLocation } from './model.ts';
import { findTables } from './table-finder.ts';
import { readTableRows, type TableLocation } from './table-rows.ts';
import { describeLocation, normalizeLabel, truncate } from './text.ts';
import { describeSheetAnomalies } from './sheet-warnings.ts';
import { WarningLog, type ParseWarning } from './warnings.ts';
import { appendAll } from './arrays.ts';

/**
 * Reads the requirement tables of all grids into a declaration.
 * Hidden sheets are read only when no visible sheet has a table with requirement rows.
 * Throws DeclarationFileError 'no-requirement-table' when no grid has a table, or when no
 * requirement row follows any table's header, as in a blank template.
 */
export function readDeclaration(grids: Grid[], format: DeclarationFormat, fileName: string): ParsedDeclaration {
  const replacedByGrid = new Map(grids.map((grid) => [grid, replaceLoneSurrogates(grid)]));
  const visibleTables = new Map(grids.filter((grid) => !grid.hidden).map((grid) => [grid, findTables(grid)]));
  const visibleHasTable = [...visibleTables.values()].some((tables) => tables.length > 0);
  const builder = buildDeclaration(grids, visibleTables, replacedByGrid, visibleHasTable, fileName);
  if (!builder.hasTables()) throw noTableError(fileName);
  if (builder.hasRequirementRows()) return builder.build(format);

  // An empty template sheet does not keep a filled hidden sheet from being read.
  const withHidden = visibleHasTable && grids.some((grid) => grid.hidden) ? buildDeclaration(grids, visibleTables, replacedByGrid, false, fileName) : builder;
  if (!withHidden.hasRequirementRows()) throw noRequirementRowsError(fileName, withHidden.keptTableHeaders());
  return withHidden.build(format);
}

/** Adds the tables of every grid to a new builder, leaving hidden grids out when `skipHidden` is set. */
function buildDeclaration(
  grids: Grid[],
  visibleTables: Map<Grid, TableLocation[]>,
  replacedByGrid: Map<Grid, ReturnType<typeof replaceLoneSurrogates>>,
  skipHidden: boolean,
  fileName: string,
): DeclarationBuilder {
  const builder = new DeclarationBuilder(fileName);
  for (const grid of grids) {
    const replaced = replacedByGrid.get(grid)!;
    if (replaced.length > 0) builder.noteReplacedCharacters(replaced);
    if (grid.ignoredCells) builder.noteIgnoredCells(grid);
    if (grid.anomalies) builder.noteWarnings(describeSheetAnomalies(grid.name, grid.anomalies));
    // Only a sheet with a requirement table matters: a summary sheet's formulas are not read.
    const hasTable = (visibleTables.get(grid)?.length ?? 0) > 0;
    if (grid.formulasWithoutResult && hasTable) builder.noteFormulasWithoutResult(grid.name, grid.formulasWithoutResult);
    if (grid.hidden && skipHidden) {
      builder.addGridWithoutTable(grid, 'hidden sheet, not read because visible sheets contain requirement tables');
      continue;
    }
    const tables = visibleTables.get(grid) ?? findTables(grid);
    if (tables.length > 0) builder.addGridTables(grid, tables);
    else builder.addGridWithoutTable(grid, grid.hidden ? 'hidden sheet without a requirement table' : 'no requirement table');
  }
  return builder;
}

/** The location of a table's header row and the texts of its cells. */
interface TableHeader {
  source: SourceLocation;
  cellTexts: readonly string[];
}

/** Collects rows, report entries and cover regions grid by grid. */
class DeclarationBuilder {
  private readonly rows: RequirementRow[] = [];
  private readonly report: ParseReport = { tables: [], skipped: [], warnings: [], skippedGrids: [] };
  private readonly warnings = new WarningLog();
  private readonly coverRegions: CoverRegion[] = [];
  /** Requirement key to the sheet that first listed it, for finding repeated tables. */
  private readonly seenRequirements = new Map<string, string>();
  /**
   * The tables, as ranges of `rows`, whose requirements are not in seenRequirements yet. They
   * are added when a later table is checked, so that a declaration with one table builds no keys.
   */
  private readonly unseenTables: { start: number; end: number; grid: string }[] = [];
  /** The header of every table whose rows were kept, for the error about a blank template. */
  private readonly tableHeaders: TableHeader[] = [];
  private foundTables = 0;

  constructor(private readonly fileName: string) {}

  addGridWithoutTable(grid: Grid, reason: string): void {
    this.report.skippedGrids!.push({ grid: grid.name, reason });
    if (!grid.hidden) this.coverRegions.push({ rows: grid.rows, firstColumn: 0, exactLabels: false });
  }

  noteReplacedCharacters(places: readonly string[]): void {
    const listed = places.slice(0, MAX_LISTED_PLACES).join(', ');
    const more = places.length > MAX_LISTED_PLACES ? ` and ${places.length - MAX_LISTED_PLACES} more` : '';
    this.warnings.add(
      'invalid-characters',
      `Read half of a UTF-16 character pair, which no text may hold alone, as U+FFFD (\uFFFD) in ${listed}${more}.`,
    );
  }

  noteWarnings(warnings: readonly ParseWarning[]): void {
    for (const warning of warnings) this.warnings.add(warning.kind, warning.message);
  }

  noteIgnoredCells(grid: Grid): void {
    this.warnings.add(
      'ignored-columns',
      `Sheet '${grid.name}': ${grid.ignoredCells} cells with a value beyond column ${MAX_GRID_COLUMNS.toLocaleString('en')} were not read.`,
    );
  }

  noteFormulasWithoutResult(sheet: string, unsaved: { count: number; firstRow: number }): void {
    const cells = unsaved.count === 1 ? 'One cell holds a formula' : `${unsaved.count} cells hold formulas`;
    this.warnings.add(
      'formula-without-result',
      `Sheet '${sheet}': ${cells} without a saved result, first in row ${unsaved.firstRow}, read as empty. ` +
        'Open the file in Excel or LibreOffice and save it again, so that the results are stored, then send it again.',
    );
  }

  /** Returns true once a table was found, even if its rows were all skipped. */
  hasTables(): boolean {
    return this.foundTables > 0;
  }

  hasRequirementRows(): boolean {
    return this.rows.length > 0;
  }

  keptTableHeaders(): readonly TableHeader[] {
    return this.tableHeaders;
  }

  addGridTables(grid: Grid, tables: readonly TableLocation[]): void {
    this.foundTables += tables.length;
    appendAll(this.coverRegions, coverRegionsAroundTables(grid, tables));
    const sheetArea = grid.kind === 'sheet' && !isGenericSheetName(grid.name) ? grid.name : null;
    tables.forEach((table, index) => {
      const isLastInGrid = index === tables.length - 1;
      this.addTable(grid, table, sheetArea, isLastInGrid);
    });
  }

  build(format: DeclarationFormat): ParsedDeclaration {
    const cover = readCoverFacts(this.coverRegions, this.warnings);
    this.report.warnings = this.warnings.list();
    return { format, cover, rows: this.rows, report: this.report };
  }

  private addTable(grid: Grid, table: TableLocation, sheetArea: string | null, isLastInGrid: boolean): void {
    const headerRow = grid.rows[table.header.first]!.source;
    const result = readTableRows(grid, table, sheetArea, MAX_REQUIREMENT_ROWS);
    if (result.exceedsMaximum) throw tooManyRequirementsError(this.fileName);

    const repeatedGrid = findRepeatedTable(result.rows, this.knownRequirements());
    if (repeatedGrid !== null) {
      this.report.skipped.push({ source: headerRow, reason: `table repeats the requirements of sheet '${repeatedGrid}'` });
      return;
    }
    if (!isLastInGrid && isAnswerLegend(result.rows)) {
      this.report.skipped.push({ source: headerRow, reason: 'answer legend above the requirement table' });
      return;
    }

    if (this.rows.length + result.rows.length > MAX_REQUIREMENT_ROWS) throw tooManyRequirementsError(this.fileName);
    this.unseenTables.push({ start: this.rows.length, end: this.rows.length + result.rows.length, grid: grid.name });
    appendAll(this.rows, result.rows);
    appendAll(this.report.skipped, result.skipped);
    this.noteWarnings(result.warnings);
    this.report.tables.push({ grid: grid.name, headerRow, columns: describeColumns(table.columns), rows: result.rows.length });
    this.tableHeaders.push({ source: headerRow, cellTexts: table.header.cellTexts });
  }

  /** Returns seenRequirements after adding the requirements of the tables not added yet. */
  private knownRequirements(): Map<string, string> {
    for (const { start, end, grid } of this.unseenTables) rememberRequirements(this.rows.slice(start, end), grid, this.seenRequirements);
    this.unseenTables.length = 0;
    return this.seenRequirements;
  }
}

/** A legend lists at most this many answers. */
const MAX_LEGEND_ROWS = 6;

/**
 * Returns true for a small table that explains each answer once ('Ja | Kravet uppfylls helt'),
 * which templates put above the real table: no ids and a different answer on every row.
 */
function isAnswerLegend(rows: readonly RequirementRow[]): boolean {
  if (rows.length < 2 || rows.length > MAX_LEGEND_ROWS) return false;
  if (rows.some((row) => row.requirementId !== null || row.answer === 'unanswered')) return false;
  return new Set(rows.map((row) => row.answer)).size === rows.length;
}

/** Share of a table's rows seen in earlier tables above which the table is a copy. */
const REPEATED_TABLE_SHARE = 0.8;

/**
 * Returns the sheet whose requirements a table repeats, or null. Report and analyst sheets
 * often restate the questionnaire with the answers looked up from it.
 */
function findRepeatedTable(rows: readonly RequirementRow[], seen: Map<string, string>): string | null {
  if (rows.length === 0 || seen.size === 0) return null;
  const sheets = rows.map((row) => seen.get(requirementKey(row))).filter((sheet) => sheet !== undefined);
  return sheets.length >= rows.length * REPEATED_TABLE_SHARE ? sheets[0]! : null;
}

function rememberRequirements(rows: readonly RequirementRow[], gridName: string, seen: Map<string, string>): void {
  for (const row of rows) {
    const key = requirementKey(row);
    if (!seen.has(key)) seen.set(key, gridName);
  }
}

function requirementKey(row: RequirementRow): string {
  return `${row.requirementId ?? ''}\u0000${normalizeLabel(row.text)}`;
}

/**
 * Returns the regions that may contain cover facts in a grid with tables: every row above
 * the first table, and the cells right of each table's last known column. Only whole labels
 * count right of a table, because those cells may belong to the table.
 */
function coverRegionsAroundTables(grid: Grid, tables: readonly TableLocation[]): CoverRegion[] {
  const first = tables[0]!;
  const regions: CoverRegion[] = [{ rows: grid.rows.slice(0, first.header.first), firstColumn: 0, exactLabels: false }];
  for (const table of tables) {
    regions.push({
      rows: grid.rows.slice(table.header.first, table.end),
      firstColumn: lastKnownColumn(table.columns) + 1,
      exactLabels: true,
    });
  }
  return regions;
}

function lastKnownColumn(columns: ColumnMap): number {
  const indexes = [
    ...Object.values(columns.fields).filter((column): column is number => column !== undefined),
    ...columns.markColumns.map((mark) => mark.column),
    ...columns.otherMarkGroups.flatMap((group) => group.markColumns.map((mark) => mark.column)),
    ...columns.otherAnswerColumns,
  ];
  return Math.max(...indexes);
}

function describeColumns(columns: ColumnMap): Record<string, string> {
  const described: Record<string, string> = {};
  for (const field of FIELDS) {
    const text = columns.headerTexts[field];
    if (text !== undefined) described[field] = text;
  }
  return described;
}

/** Sheet names that name no area: 'Blad1', 'Sheet1', 'Krav', 'Kravlista'. */
const GENERIC_SHEET_NAME =
  /^(blad|sheet|ark|tabell|table|sida|page|flik|tab)\s*\d*$|^(krav|kravlista|kravspecifikation|krav och svar|requirements?|questions?|questionnaire|frågor|svar|answers?|deklaration|självdeklaration|declaration|self declaration|data|checklist|checklista|pdf)$/u;

export function isGenericSheetName(name: string): boolean {
  return GENERIC_SHEET_NAME.test(normalizeLabel(name));
}

function noTableError(fileName: string): DeclarationFileError {
  return new DeclarationFileError(
    'no-requirement-table',
    `No requirement table was found in '${fileName}'. The reader looks for a header row with a ` +
      "requirement column (such as 'Krav', 'Kravtext' or 'Requirement') and an answer column " +
      "(such as 'Uppfyllt', 'Svar' or 'Answer'), or answer columns marked with X ('Ja', 'Nej', " +
      "'Delvis'). Add these headers above the requirements and upload the file again.",
  );
}

/** Maximum length of the header text that the error about a blank template quotes per table. */
const MAX_QUOTED_HEADER_LENGTH = 100;

/**
 * Builds the error for a declaration whose tables have a header but no requirement rows, as
 * an unfilled template has. It names each header, so that the supplier can find it.
 */
function noRequirementRowsError(fileName: string, headers: readonly TableHeader[]): DeclarationFileError {
  if (headers.length === 0) return noTableError(fileName);
  const listed = headers.slice(0, MAX_LISTED_PLACES).map((header) => {
    const labels = header.cellTexts.filter((text) => text !== '').join(' | ');
    return `${describeLocation(header.source)} (${truncate(labels, MAX_QUOTED_HEADER_LENGTH)})`;
  });
  const more = headers.length - listed.length;
  if (more > 0) listed.push(`${more} more`);
  const places = listed.length === 1 ? listed[0]! : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)!}`;
  const found =
    headers.length === 1
      ? `the header of a requirement table at ${places}, but no requirement rows follow it`
      : `the headers of requirement tables at ${places}, but no requirement rows follow them`;
  return new DeclarationFileError(
    'no-requirement-table',
    `The declaration '${fileName}' has ${found}, as in a template that is not filled in. ` +
      'Fill in the declaration with one requirement per row below the header, each with its requirement ' +
      'text and answer, and upload it again.',
  );
}

function tooManyRequirementsError(fileName: string): DeclarationFileError {
  const limit = MAX_REQUIREMENT_ROWS.toLocaleString('en');
  return new DeclarationFileError(
    'too-many-requirements',
    `The declaration '${fileName}' contains more than ${limit} requirement rows, the maximum that Avvik reads ` +
      'from one declaration, while a self-declaration has tens to hundreds. Remove the rows and sheets that are ' +
      `not part of the declaration, or split it into files of at most ${limit} requirements, and upload it again.`,
  );
}

/** Matches half of a UTF-16 surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replaces each lone surrogate in the grid's name and cells with U+FFFD, as a UTF-8 encoder
 * must, and returns where it did. A workbook can hold one as an escape such as `_xD800_`, and
 * PostgreSQL rejects the whole declaration's JSON because of it.
 */
function replaceLoneSurrogates(grid: Grid): string[] {
  const places: string[] = [];
  const hasLoneSurrogate = (text: string) => {
    LONE_SURROGATE.lastIndex = 0;
    return LONE_SURROGATE.test(text);
  };
  if (hasLoneSurrogate(grid.name)) {
    grid.name = grid.name.replace(LONE_SURROGATE, '\uFFFD');
    places.push(`the name of sheet '${grid.name}'`);
  }
  for (const row of grid.rows) {
    if (row.source.kind === 'sheet' && hasLoneSurrogate(row.source.sheet)) {
      row.source = { ...row.source, sheet: row.source.sheet.replace(LONE_SURROGATE, '\uFFFD') };
    }
    row.cells.forEach((text, column) => {
      if (!hasLoneSurrogate(text)) return;
      row.cells[column] = text.replace(LONE_SURROGATE, '\uFFFD');
      places.push(describeLocation(row.source, column));
    });
  }
  return places;
}
