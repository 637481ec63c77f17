/** Reading of .xlsx workbooks into grids, one grid per worksheet. */

import { DeclarationFileError } from '../errors.ts';
import { MAX_GRID_COLUMNS, type Grid, type GridRow } from './model.ts';
import { cleanCellText } from './text.ts';
import { readWorkbookCells } from './xlsx-package.ts';
import { cellOf, type SheetCells, type SheetRow } from './xlsx-sheet.ts';

/**
 * Reads every worksheet of an .xlsx workbook into a grid of cell texts.
 * A grid holds only the rows that contain text, so the row numbers in `source` may skip
 * blank rows. Throws DeclarationFileError 'truncated-file' or 'corrupt-file' when the file
 * cannot be read.
 */
export async function workbookToGrids(bytes: Uint8Array, fileName: string): Promise<Grid[]> {
  const sheets = readWorkbookCells(bytes, fileName);
  if (sheets.length === 0) {
    throw new DeclarationFileError(
      'corrupt-file',
      `The workbook '${fileName}' contains no worksheets, so parts of the file are missing. ` +
        'Open it in Excel, save it again as .xlsx and upload it again.',
    );
  }
  return sheets.map(sheetToGrid);
}

/** A cell inside a merged range, other than the range's top-left cell, which contains the text. */
interface MergedCell {
  masterRow: number;
  text: string;
}

function sheetToGrid(sheet: SheetCells): Grid {
  const used = usedArea(sheet);
  const merged = mergedCells(sheet, used);
  const rowNumbers = merged.size === 0 ? [...sheet.rows.keys()] : [...new Set([...sheet.rows.keys(), ...merged.keys()])];
  if (!isAscending(rowNumbers)) rowNumbers.sort((a, b) => a - b);
  const rows: GridRow[] = [];
  for (const rowNumber of rowNumbers) {
    const gridRow = readRow(sheet, rowNumber, merged.get(rowNumber));
    if (gridRow) rows.push(gridRow);
  }
  const grid: Grid = { name: sheet.name, kind: 'sheet', rows };
  if (sheet.hidden) grid.hidden = true;
  if (used.ignoredCells > 0) grid.ignoredCells = used.ignoredCells;
  if (sheet.formulasWithoutResult) grid.formulasWithoutResult = sheet.formulasWithoutResult;
  if (sheet.anomalies) grid.anomalies = sheet.anomalies;
  return grid;
}

function isAscending(numbers: readonly number[]): boolean {
  for (let index = 1; index < numbers.length; index++) {
    if (numbers[index - 1]! > numbers[index]!) return false;
  }
  return true;
}

/** Finds the last row and column that have a value within MAX_GRID_COLUMNS, and counts the cells beyond it. */
function usedArea(sheet: SheetCells) {
  let lastRow = 0;
  let lastColumn = 0;
  let ignoredCells = 0;
  for (const [number, row] of sheet.rows) {
    // Each stored row has at least one cell, in `cells` or in `outside`.
    if (row.cells.length > 0) {
      lastRow = Math.max(lastRow, number);
      lastColumn = Math.max(lastColumn, row.cells.length);
    }
    for (const [column, text] of row.outside ?? []) {
      if (column > MAX_GRID_COLUMNS) {
        if (text !== '') ignoredCells += 1;
        continue;
      }
      lastRow = Math.max(lastRow, number);
    }
  }
  return { lastRow, lastColumn, ignoredCells };
}

/**
 * Maps each merged cell other than a range's top-left one to the range's text, by row and column.
 * Ranges are cut to the used area: beyond it they would only repeat their text into cells that
 * nothing else fills, and a range such as A1:XFD1048576 would make billions of them.
 */
function mergedCells(sheet: SheetCells, used: { lastRow: number; lastColumn: number }): Map<number, Map<number, MergedCell>> {
  const byRow = new Map<number, Map<number, MergedCell>>();
  for (const range of sheet.merges) {
    const { top, left } = range;
    const bottom = Math.min(range.bottom, used.lastRow);
    const right = Math.min(range.right, used.lastColumn);
    const topRow = sheet.rows.get(top);
    const text = cleanCellText((topRow && cellOf(topRow, left)) ?? '');
    for (let row = top; row <= bottom; row++) {
      for (let column = left; column <= right; column++) {
        if (row === top && column === left) continue;
        let cells = byRow.get(row);
        if (!cells) byRow.set(row, (cells = new Map()));
        cells.set(column, { masterRow: top, text });
      }
    }
  }
  return byRow;
}

/**
 * Returns the row's cell texts, or null when no cell of the row contains text. A row without
 * merged cells gets its texts cleaned in place in the sheet's cell array, which becomes the
 * grid row's array, so that the sheet's cells are not copied.
 */
function readRow(sheet: SheetCells, rowNumber: number, merged: Map<number, MergedCell> | undefined): GridRow | null {
  const row = sheet.rows.get(rowNumber);
  const readCells = merged ? readMergedRow(row, rowNumber, merged) : readPlainRow(row!);
  if (!readCells) return null;

  const gridRow: GridRow = { cells: readCells.cells, source: { kind: 'sheet', sheet: sheet.name, row: rowNumber } };
  if (readCells.mergedFromAbove.length > 0) gridRow.mergedFromAbove = readCells.mergedFromAbove;
  if (row?.hidden) gridRow.hidden = true;
  return gridRow;
}

const NO_COLUMNS: number[] = [];

function readPlainRow(row: SheetRow): { cells: string[]; mergedFromAbove: number[] } | null {
  const cells = row.cells;
  // A cell in column 0 counts as text although a grid row has no place for it.
  let hasText = row.outside?.has(0) === true && cleanCellText(row.outside.get(0)!) !== '';
  for (let column = 0; column < cells.length; column++) {
    const raw = cells[column];
    const text = raw === undefined ? '' : cleanCellText(raw);
    cells[column] = text;
    if (text !== '') hasText = true;
  }
  return hasText ? { cells, mergedFromAbove: NO_COLUMNS } : null;
}

function readMergedRow(
  row: SheetRow | undefined,
  rowNumber: number,
  merged: Map<number, MergedCell>,
): { cells: string[]; mergedFromAbove: number[] } | null {
  const columns = new Set<number>();
  row?.cells.forEach((_, index) => columns.add(index + 1));
  if (row?.outside?.has(0)) columns.add(0);
  for (const column of merged.keys()) if (column <= MAX_GRID_COLUMNS) columns.add(column);
  const cells: string[] = [];
  const mergedFromAbove: number[] = [];
  let hasText = false;

  for (const columnNumber of [...columns].sort((a, b) => a - b)) {
    const column = columnNumber - 1;
    const mergedCell = merged.get(columnNumber);
    const text = mergedCell ? mergedCell.text : cleanCellText(cellOf(row!, columnNumber)!);
    if (column >= 0) cells[column] = text;
    if (text === '') continue;
    hasText = true;
    if (mergedCell && mergedCell.masterRow < rowNumber) mergedFromAbove.push(column);
  }
  if (!hasText) return null;
  return { cells: Array.from(cells, (text) => text ?? ''), mergedFromAbove };
}
