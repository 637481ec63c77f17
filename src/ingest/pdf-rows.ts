/**
 * The row shape shared by the ruled-table, borderless-table and free-text builders,
 * and the placement of a line's items into columns.
 */
import { joinTexts, type PlacedText, type TextLine } from './pdf-lines.ts';

/** One logical row before its cell lines are joined into text. */
export interface PendingRow {
  page: number;
  /** Line number on the page of the row's first line. */
  line: number;
  /** Per column, the text of each visual line of the cell, top to bottom. */
  cells: string[][];
  mergedFromAbove?: number[];
  /** True for a line of free text outside every bordered and borderless table. */
  outsideTable?: boolean;
}

/** Slack in points when comparing an item's left edge with a column boundary. */
const BOUNDARY_SLACK = 1;

/**
 * Returns the zero-based column of a left edge. `boundaries` contains the left edges of the
 * second and later columns, in increasing order.
 */
export function columnOf(x: number, boundaries: readonly number[]): number {
  let column = 0;
  while (column < boundaries.length && x + BOUNDARY_SLACK >= boundaries[column]!) {
    column++;
  }
  return column;
}

/** Splits one line's items into per-column texts, '' where the line has nothing in a column. */
export function lineCells(texts: readonly PlacedText[], boundaries: readonly number[]): string[] {
  const perColumn: PlacedText[][] = Array.from({ length: boundaries.length + 1 }, () => []);
  for (const text of texts) {
    perColumn[columnOf(text.x, boundaries)]!.push(text);
  }
  return perColumn.map(joinTexts);
}

/** Creates an empty pending row with one empty cell per column. */
export function emptyRow(first: TextLine, columnCount: number): PendingRow {
  return {
    page: first.page,
    line: first.number,
    cells: Array.from({ length: columnCount }, () => []),
  };
}

/** Appends each non-empty cell text of a line to the row's cells. */
export function appendCells(row: PendingRow, cells: readonly string[]): void {
  for (const [column, text] of cells.entries()) {
    if (text !== '') {
      row.cells[column]!.push(text);
    }
  }
}
