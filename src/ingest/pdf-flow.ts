/**
 * Rows of text that is not inside a bordered table: borderless tables, found as runs of
 * lines with several aligned segments, and free text such as titles and cover blocks.
 */
import { findGutters, fitsColumns } from './pdf-gutters.ts';
import { splitSegments, joinTexts, type Segment, type TextLine } from './pdf-lines.ts';
import { groupTableLines } from './pdf-flow-rows.ts';
import { appendCells, emptyRow, lineCells, type PendingRow } from './pdf-rows.ts';
import { appendAll } from './arrays.ts';

/** Minimum number of lines with two or more segments in a borderless table: a header and two rows. */
const MIN_TABLE_LINES = 3;
/** Maximum number of single-segment lines between two multi-segment lines of one table. */
const MAX_SINGLE_LINES_BETWEEN = 8;

interface FlowLine {
  line: TextLine;
  segments: Segment[];
}

/** Builds rows from the lines outside bordered tables, in document order. */
export function buildFlowRows(lines: readonly TextLine[]): PendingRow[] {
  const flow = lines.map((line) => ({ line, segments: splitSegments(line) }));
  const rows: PendingRow[] = [];
  let boundaries: number[] | null = null;
  let index = 0;
  while (index < flow.length) {
    const table = findTableAt(flow, index, boundaries);
    if (table) {
      boundaries = table.boundaries;
      appendAll(rows, tableRows(table.lines, table.boundaries));
      index = table.end;
    } else {
      rows.push(freeTextRow(flow[index]!));
      index++;
    }
  }
  return rows;
}

/** Turns a free line into one row with a cell per segment, so 'Leverantör   Acme AB' gives two cells. */
function freeTextRow(flowLine: FlowLine): PendingRow {
  const { line, segments } = flowLine;
  return {
    page: line.page,
    line: line.number,
    cells: segments.map((segment) => [joinTexts(segment.texts)]),
    outsideTable: true,
  };
}

interface FoundTable {
  lines: TextLine[];
  boundaries: number[];
  /** Index of the first flow line after the table. */
  end: number;
}

/**
 * Finds a borderless table that starts at `start`: a line with two or more segments followed by
 * more such lines, with at most a few single-segment lines (wrapped cell text) between them.
 * The column boundaries of the previous table are kept when the new lines fit them, so that a
 * table keeps its columns across a page break or an interrupting line.
 */
function findTableAt(
  flow: readonly FlowLine[],
  start: number,
  previousBoundaries: readonly number[] | null,
): FoundTable | null {
  if (flow[start]!.segments.length < 2) {
    return null;
  }
  const multiLines = [start];
  for (let index = start + 1; index < flow.length; index++) {
    if (index - multiLines.at(-1)! > MAX_SINGLE_LINES_BETWEEN + 1) break;
    if (flow[index]!.segments.length >= 2) multiLines.push(index);
  }
  if (multiLines.length < MIN_TABLE_LINES) {
    return null;
  }
  const candidates = multiLines.map((index) => flow[index]!);
  const boundaries =
    previousBoundaries && candidates.every((candidate) => fitsColumns(candidate.segments, previousBoundaries))
      ? [...previousBoundaries]
      : findGutters(candidates.map((candidate) => candidate.segments));
  if (boundaries.length === 0) {
    return null;
  }
  const end = tableEnd(flow, start, multiLines.at(-1)!, boundaries);
  if (multiLines.filter((index) => index < end).length < MIN_TABLE_LINES) {
    return null;
  }
  return { lines: flow.slice(start, end).map((flowLine) => flowLine.line), boundaries, end };
}

/**
 * Returns the index after the table's last line. The table stops before a single-segment line
 * that crosses a column boundary, since that is running text, and takes in the wrapped lines
 * that follow its last multi-segment line.
 */
function tableEnd(
  flow: readonly FlowLine[],
  start: number,
  lastMulti: number,
  boundaries: readonly number[],
): number {
  for (let index = start + 1; index <= lastMulti; index++) {
    const { segments } = flow[index]!;
    if (segments.length === 1 && !fitsColumns(segments, boundaries)) {
      return index;
    }
  }
  let end = lastMulti + 1;
  while (end < flow.length && isTrailingWrap(flow[end - 1]!.line, flow[end]!, boundaries)) {
    end++;
  }
  return end;
}

function isTrailingWrap(previous: TextLine, candidate: FlowLine, boundaries: readonly number[]): boolean {
  const { line, segments } = candidate;
  const closeBelow = line.page === previous.page && line.y - previous.y <= 1.6 * previous.fontSize;
  return closeBelow && segments.length === 1 && fitsColumns(segments, boundaries);
}

function tableRows(lines: readonly TextLine[], boundaries: readonly number[]): PendingRow[] {
  const columnCount = boundaries.length + 1;
  const cellsByLine = new Map(lines.map((line) => [line, lineCells(line.texts, boundaries)]));
  return groupTableLines(lines, cellsByLine).map((group) => {
    const row = emptyRow(group[0]!, columnCount);
    for (const line of group) {
      appendCells(row, cellsByLine.get(line)!);
    }
    return row;
  });
}
