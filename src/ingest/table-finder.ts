/**
 * Location of requirement tables in a grid: header rows found by scoring, with the columns
 * that the header leaves unnamed found by content.
 */

import { completeColumnsByContent, looksLikeId } from './content-columns.ts';
import { isRepeatedHeader, matchHeaderCell, readHeaderBlock, type ColumnMap } from './headers.ts';
import type { Grid, GridRow } from './model.ts';
import { cellAt } from './rows.ts';
import type { TableLocation } from './table-rows.ts';

/** Data rows below a header that are sampled to find columns by content. */
const CONTENT_SAMPLE_ROWS = 200;

/** Rows below a header searched for a better-scoring header before the data starts. */
const HEADER_LOOKAHEAD_ROWS = 3;

/**
 * Finds every requirement table in a grid. A header row that maps the same columns as the
 * table above it is a repeated header inside that table, and a header row with other
 * columns starts a new table.
 */
export function findTables(grid: Grid): TableLocation[] {
  const tables: TableLocation[] = [];
  for (let index = 0; index < grid.rows.length; index++) {
    const current = tables.at(-1);
    if (current && isRequirementLike(grid.rows[index]!, current.columns)) continue;
    const found = readTableHeader(grid, index);
    if (!found) continue;
    if (current && isRepeatedHeader(current.header.columns, found.header.columns)) continue;

    const best = findBetterHeaderBelow(grid, found) ?? found;
    if (current) current.end = best.header.first;
    tables.push(best);
    index = best.header.last;
  }
  return tables;
}

/** Reads a header at a grid row and completes its columns from the data below it. */
function readTableHeader(grid: Grid, index: number): TableLocation | null {
  const header = readHeaderBlock(grid.rows, index);
  if (!header) return null;
  const dataRows = grid.rows.slice(header.last + 1, header.last + 1 + CONTENT_SAMPLE_ROWS);
  const columns = completeColumnsByContent(header.columns, dataRows);
  if (!columns) return null;
  return { header, columns, start: header.last + 1, end: grid.rows.length };
}

/**
 * Returns a header with a higher score in the few rows below a found header, as when a
 * legend row with label words sits just above the real header. Stops at the first
 * requirement-like row.
 */
function findBetterHeaderBelow(grid: Grid, found: TableLocation): TableLocation | null {
  let best: TableLocation | null = null;
  const lastIndex = Math.min(grid.rows.length - 1, found.header.last + HEADER_LOOKAHEAD_ROWS);
  for (let index = found.header.last + 1; index <= lastIndex; index++) {
    if (isRequirementLike(grid.rows[index]!, found.columns)) break;
    const candidate = readTableHeader(grid, index);
    if (candidate && candidate.header.score > (best ?? found).header.score) best = candidate;
  }
  return best;
}

/**
 * Returns true when a row has an id and a requirement text in the current table's columns,
 * so that words in it that look like column labels cannot start a new table.
 */
function isRequirementLike(row: GridRow, columns: ColumnMap): boolean {
  const id = cellAt(row, columns.fields.id);
  const text = cellAt(row, columns.fields.text);
  return looksLikeId(id) && text !== '' && matchHeaderCell(text) === null;
}

