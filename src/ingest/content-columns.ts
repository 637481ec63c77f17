/**
 * Recognition of columns by what their cells contain, for the columns that a header leaves
 * unnamed: the requirement text, the requirement id and an area column of merged cells.
 */

import type { ColumnMap, Field } from './headers.ts';
import type { GridRow } from './model.ts';
import { columnName } from './text.ts';

/** Rows sampled below the header: enough to see a pattern, and cheap on a 50,000-row sheet. */
const SAMPLE_ROWS = 200;
/** Minimum mean length of a column of requirement texts, in characters. */
const MIN_TEXT_MEAN_LENGTH = 15;
/** Minimum share of non-empty cells in a column of requirement texts. */
const MIN_TEXT_FILL = 0.3;
/** Minimum share of id-like values among the non-empty cells of an id column. */
const MIN_ID_SHARE = 0.5;

/**
 * An id is up to six segments separated by '-', '_', '.', ' ' or '/', with at least one digit,
 * such as '12', '3.1.2', 'K4', 'Krav 7', 'A&A-01.1', 'COMP-01' or 'SSBTEK-FK-001'. A segment
 * may open with up to four letters or up to ten capitals, so '2. Bastjänster' is not an id.
 */
const ID_SEGMENT = /^(?:\p{Lu}[\p{Lu}&]{0,9}|\p{L}{1,4})?\d{0,4}[a-z]?$/u;
const ID_MAX_LENGTH = 20;
const ID_MAX_SEGMENTS = 6;

export function looksLikeId(text: string): boolean {
  const trimmed = text.trim().replace(/[.:)]$/, '');
  if (trimmed === '' || trimmed.length > ID_MAX_LENGTH || !/\d/.test(trimmed)) return false;
  const segments = trimmed.split(/[-_. /]+/);
  if (segments.length > ID_MAX_SEGMENTS) return false;
  return segments.every((segment) => segment !== '' && ID_SEGMENT.test(segment));
}

/**
 * Completes a column map from the data rows below the header. Returns null when the header
 * names no requirement-text column and no column of the data looks like one.
 */
export function completeColumnsByContent(columns: ColumnMap, dataRows: readonly GridRow[]): ColumnMap | null {
  const sample = dataRows.slice(0, SAMPLE_ROWS);
  const fields = { ...columns.fields };
  const headerTexts = { ...columns.headerTexts };
  const used = new Set<number>([
    ...Object.values(fields).filter((column): column is number => column !== undefined),
    ...columns.markColumns.map((mark) => mark.column),
    ...columns.otherMarkGroups.flatMap((group) => group.markColumns.map((mark) => mark.column)),
    ...columns.otherAnswerColumns,
  ]);

  const assign = (field: Field, column: number | null): void => {
    if (column === null) return;
    fields[field] = column;
    headerTexts[field] = `column ${columnName(column)} (by content)`;
    used.add(column);
  };

  if (fields.text === undefined) {
    const answerColumn = fields.answer ?? columns.markColumns[0]?.column ?? Number.MAX_SAFE_INTEGER;
    assign('text', findTextColumn(sample, used, answerColumn));
    if (fields.text === undefined) return null;
  }
  if (fields.id === undefined) assign('id', findIdColumn(sample, used, fields.text!));
  if (fields.area === undefined) assign('area', findMergedAreaColumn(sample, used, fields.text!));
  return { ...columns, fields, headerTexts };
}

interface ColumnStats {
  nonEmpty: number;
  totalLength: number;
  idLike: number;
  mergedFromAbove: number;
}

function collectStats(sample: readonly GridRow[]): Map<number, ColumnStats> {
  const stats = new Map<number, ColumnStats>();
  for (const row of sample) {
    row.cells.forEach((text, column) => {
      if (text === '') return;
      const entry = stats.get(column) ?? { nonEmpty: 0, totalLength: 0, idLike: 0, mergedFromAbove: 0 };
      entry.nonEmpty++;
      entry.totalLength += text.length;
      if (looksLikeId(text)) entry.idLike++;
      if (row.mergedFromAbove?.includes(column)) entry.mergedFromAbove++;
      stats.set(column, entry);
    });
  }
  return stats;
}

/**
 * Picks the column with the longest mean text, preferring columns left of the answer,
 * because questionnaires put the question before its answer and guidance after it.
 */
function findTextColumn(sample: readonly GridRow[], used: Set<number>, answerColumn: number): number | null {
  const stats = collectStats(sample);
  const qualifying = [...stats.entries()].filter(
    ([column, entry]) =>
      !used.has(column) &&
      entry.nonEmpty >= Math.max(1, sample.length * MIN_TEXT_FILL) &&
      entry.totalLength / entry.nonEmpty >= MIN_TEXT_MEAN_LENGTH,
  );
  const leftOfAnswer = qualifying.filter(([column]) => column < answerColumn);
  const pool = leftOfAnswer.length > 0 ? leftOfAnswer : qualifying;
  let best: number | null = null;
  let bestMean = 0;
  for (const [column, entry] of pool) {
    const mean = entry.totalLength / entry.nonEmpty;
    if (mean > bestMean) {
      best = column;
      bestMean = mean;
    }
  }
  return best;
}

/** Picks the column left of the text whose values look most like requirement ids. */
function findIdColumn(sample: readonly GridRow[], used: Set<number>, textColumn: number): number | null {
  const stats = collectStats(sample);
  let best: number | null = null;
  let bestShare = 0;
  for (const [column, entry] of stats) {
    if (used.has(column) || column >= textColumn || entry.idLike < 2) continue;
    const share = entry.idLike / entry.nonEmpty;
    if (share >= MIN_ID_SHARE && share > bestShare) {
      best = column;
      bestShare = share;
    }
  }
  return best;
}

/**
 * Picks the leftmost column left of the text that contains vertically merged cells over groups
 * of rows, such as an area name merged down the first column.
 */
function findMergedAreaColumn(sample: readonly GridRow[], used: Set<number>, textColumn: number): number | null {
  const stats = collectStats(sample);
  const candidates = [...stats.entries()]
    .filter(([column, entry]) => !used.has(column) && column < textColumn && entry.mergedFromAbove > 0)
    .filter(([, entry]) => entry.idLike < entry.nonEmpty / 2)
    .map(([column]) => column)
    .sort((a, b) => a - b);
  return candidates[0] ?? null;
}
