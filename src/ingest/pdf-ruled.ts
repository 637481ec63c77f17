/**
 * Tables drawn with borders, as word processors and spreadsheets with printed grid lines
 * export them. Vertical borders give the columns and horizontal borders the rows, so wrapped
 * text and cells of different heights need no guessing.
 */
import type { PageContent, PositionedText, RuleSegment } from './pdf-document.ts';
import type { TextLine } from './pdf-lines.ts';
import { lineCells, type PendingRow } from './pdf-rows.ts';
import { appendAll, maxOf, minOf } from './arrays.ts';

export interface RuledTable {
  page: number;
  top: number;
  bottom: number;
  /** x of every vertical border, left to right: the table's outer edges and the lines between columns. */
  edges: number[];
  /** Horizontal borders that end on a vertical border, so underlines are left out. */
  separators: RuleSegment[];
  /** The vertical borders, joined where collinear, which show where a cell spans columns. */
  verticals: RuleSegment[];
}

/** Points within which two border positions count as the same. */
const SAME_POSITION = 2;
/** Points within which a horizontal border must reach a column edge, half the narrowest column. */
const EDGE_REACH = 3;
/** Maximum gap in points between two pieces of one vertical border. */
const MAX_BORDER_BREAK = 3;
/** Narrowest column in points. Borders closer than this are one border drawn twice. */
const MIN_COLUMN_WIDTH = 6;
/** Share of a column's width a horizontal border must cover to close that column's cell. */
const MIN_CELL_COVER = 0.5;

/** Finds the tables on a page that have at least two columns drawn with vertical borders. */
export function findRuledTables(page: PageContent): RuledTable[] {
  const borders = mergeVerticalBorders(page.verticalRules);
  return groupOverlapping(borders).flatMap((group) => {
    const edges = clusterPositions(group.map((border) => border.x0));
    if (edges.length < 3) {
      return [];
    }
    const top = minOf(group.map((border) => border.y0));
    const bottom = maxOf(group.map((border) => border.y1));
    const separators = page.horizontalRules.filter(
      (rule) =>
        rule.y0 >= top - SAME_POSITION &&
        rule.y1 <= bottom + SAME_POSITION &&
        edges.some((edge) => Math.abs(rule.x0 - edge) <= EDGE_REACH || Math.abs(rule.x1 - edge) <= EDGE_REACH) &&
        !isUnderline(rule, page.texts),
    );
    return [{ page: page.page, top, bottom, edges, separators, verticals: group }];
  });
}

/** Share of the font size below a baseline where an underline sits. */
const UNDERLINE_DEPTH = 0.3;

/**
 * Tells whether a horizontal line is an underline, as under a link: it lies just below a
 * baseline and no wider than the text above it. Row borders run past the text to the cell
 * edges. Only text over the line counts, because a header row's labels in other columns may
 * sit on the same baseline close above the border.
 */
function isUnderline(rule: RuleSegment, texts: readonly PositionedText[]): boolean {
  const y = (rule.y0 + rule.y1) / 2;
  const above = texts.filter(
    (text) =>
      y >= text.y &&
      y <= text.y + UNDERLINE_DEPTH * text.fontSize &&
      text.x < rule.x1 &&
      text.x + text.width > rule.x0,
  );
  if (above.length === 0) {
    return false;
  }
  const left = minOf(above.map((text) => text.x));
  const right = maxOf(above.map((text) => text.x + text.width));
  return rule.x0 >= left - SAME_POSITION && rule.x1 <= right + SAME_POSITION;
}

/** Tells whether a text item sits inside the table's outer borders. */
export function isInsideTable(table: RuledTable, text: PositionedText): boolean {
  const left = table.edges[0]!;
  const right = table.edges.at(-1)!;
  return text.x >= left - 1 && text.x < right && text.y > table.top && text.y < table.bottom + 1;
}

/** Joins collinear pieces of vertical borders into continuous lines. */
function mergeVerticalBorders(rules: readonly RuleSegment[]): RuleSegment[] {
  const sorted = rules
    .map((rule) => ({ ...rule, x0: (rule.x0 + rule.x1) / 2, x1: (rule.x0 + rule.x1) / 2 }))
    .sort((a, b) => a.x0 - b.x0 || a.y0 - b.y0);
  const merged: RuleSegment[] = [];
  for (const rule of sorted) {
    const last = merged.findLast((candidate) => Math.abs(candidate.x0 - rule.x0) <= SAME_POSITION / 2);
    if (last && rule.y0 <= last.y1 + MAX_BORDER_BREAK) {
      last.y1 = Math.max(last.y1, rule.y1);
    } else {
      merged.push(rule);
    }
  }
  return merged;
}

/** Groups vertical borders whose vertical extents overlap, so that each group is one table. */
function groupOverlapping(borders: readonly RuleSegment[]): RuleSegment[][] {
  const sorted = [...borders].sort((a, b) => a.y0 - b.y0);
  const groups: RuleSegment[][] = [];
  let groupBottom = -Infinity;
  for (const border of sorted) {
    if (border.y0 <= groupBottom + MAX_BORDER_BREAK && groups.length > 0) {
      groups.at(-1)!.push(border);
      groupBottom = Math.max(groupBottom, border.y1);
    } else {
      groups.push([border]);
      groupBottom = border.y1;
    }
  }
  return groups;
}

/**
 * Returns the distinct positions of vertical borders. Borders closer than the narrowest
 * column count as one, as with the double borders of tables that have cell spacing.
 */
function clusterPositions(values: readonly number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const clusters: number[][] = [];
  for (const value of sorted) {
    const last = clusters.at(-1);
    if (last && value - last.at(-1)! < MIN_COLUMN_WIDTH) {
      last.push(value);
    } else {
      clusters.push([value]);
    }
  }
  return clusters.map((cluster) => (cluster[0]! + cluster.at(-1)!) / 2);
}

/**
 * Builds the rows of one ruled table from its lines, top to bottom. Each horizontal border
 * starts a new row, and a line belongs to the row that its baseline falls in. A column that a
 * border does not cross continues a cell merged over several rows, so its text is repeated in
 * each of them and marked as merged from above.
 */
export function ruledTableRows(table: RuledTable, lines: readonly TextLine[]): PendingRow[] {
  const borders = rowBorders(table);
  const bands: { lines: TextLine[]; closedAbove: boolean[] }[] = [];
  let borderIndex = 0;
  let closed = table.edges.slice(1).map(() => false);
  for (const line of lines) {
    let crossed = false;
    while (borderIndex < borders.length && borders[borderIndex]!.y < line.y) {
      const covered = borders[borderIndex]!.closedColumns;
      closed = closed.map((isClosed, column) => isClosed || covered[column]!);
      crossed = true;
      borderIndex++;
    }
    if (crossed || bands.length === 0) {
      bands.push({ lines: [line], closedAbove: closed });
      closed = closed.map(() => false);
    } else {
      bands.at(-1)!.lines.push(line);
    }
  }
  const rows = bands.map((band) => bandRow(table, band.lines));
  spreadMergedCells(rows, bands.map((band) => band.closedAbove));
  return rows;
}

interface RowBorder {
  y: number;
  /** Per column, whether the border runs under that column's cell. */
  closedColumns: boolean[];
}

/** Groups the table's horizontal borders by height and notes which columns each one closes. */
function rowBorders(table: RuledTable): RowBorder[] {
  const sorted = [...table.separators].sort((a, b) => a.y0 - b.y0);
  const borders: { y: number; rules: RuleSegment[] }[] = [];
  for (const rule of sorted) {
    const y = (rule.y0 + rule.y1) / 2;
    const last = borders.at(-1);
    if (last && y - last.y <= SAME_POSITION) {
      last.rules.push(rule);
    } else {
      borders.push({ y, rules: [rule] });
    }
  }
  return borders.map(({ y, rules }) => ({
    y,
    closedColumns: table.edges.slice(0, -1).map((left, column) => {
      const right = table.edges[column + 1]!;
      return rules.some((rule) => Math.min(rule.x1, right) - Math.max(rule.x0, left) >= MIN_CELL_COVER * (right - left));
    }),
  }));
}

/**
 * Builds one row from the lines of a band. A cell that spans several columns, such as a
 * table title above the header, has no vertical border between those columns. Its text goes
 * into every column it covers, as a merged range's text does in a worksheet grid.
 */
function bandRow(table: RuledTable, lines: readonly TextLine[]): PendingRow {
  const columnCount = table.edges.length - 1;
  const spans = columnSpans(table, lines);
  const boundaries = spans.slice(1).map((span) => table.edges[span.first]!);
  const cells: string[][] = Array.from({ length: columnCount }, () => []);
  for (const line of lines) {
    for (const [index, text] of lineCells(line.texts, boundaries).entries()) {
      if (text === '') continue;
      const span = spans[index]!;
      for (let column = span.first; column <= span.last; column++) cells[column]!.push(text);
    }
  }
  return { page: lines[0]!.page, line: lines[0]!.number, cells };
}

interface ColumnSpan {
  first: number;
  last: number;
}

/** Share of the font size above the baseline where a line's glyphs are checked for a border beside them. */
const GLYPH_MIDDLE = 0.3;

/**
 * Returns the cells of a band as runs of columns: an interior edge with no vertical border
 * beside any of the band's lines joins the columns on both sides of it.
 */
function columnSpans(table: RuledTable, lines: readonly TextLine[]): ColumnSpan[] {
  const spans: ColumnSpan[] = [{ first: 0, last: 0 }];
  for (let column = 1; column < table.edges.length - 1; column++) {
    const edge = table.edges[column]!;
    const hasBorder = lines.some((line) => {
      const y = line.y - GLYPH_MIDDLE * line.fontSize;
      return table.verticals.some(
        (border) => Math.abs(border.x0 - edge) < MIN_COLUMN_WIDTH && border.y0 <= y && border.y1 >= y,
      );
    });
    if (hasBorder) spans.push({ first: column, last: column });
    else spans.at(-1)!.last = column;
  }
  return spans;
}

/** Copies the text of cells merged over several rows into every row they cover. */
function spreadMergedCells(rows: PendingRow[], closedAbove: readonly (readonly boolean[])[]): void {
  const columnCount = rows[0]?.cells.length ?? 0;
  for (let column = 0; column < columnCount; column++) {
    let start = 0;
    for (let index = 1; index <= rows.length; index++) {
      const isContinued = index < rows.length && closedAbove[index]![column] === false;
      if (isContinued) continue;
      if (index - start > 1) mergeColumn(rows, column, start, index);
      start = index;
    }
  }
}

function mergeColumn(rows: PendingRow[], column: number, start: number, end: number): void {
  const text = rows.slice(start, end).flatMap((row) => row.cells[column]!);
  for (let index = start; index < end; index++) {
    const row = rows[index]!;
    row.cells[column] = [...text];
    if (index > start) {
      row.mergedFromAbove = [...(row.mergedFromAbove ?? []), column];
    }
  }
}

export interface RuledTableRows {
  table: RuledTable;
  rows: PendingRow[];
}

/**
 * Joins tables that continue on the next page. A table continues when it is the last table on
 * its page and the next page starts with a table with the same column borders. On the new page
 * a repeated header row stays as a row. A first row with an empty first cell is the rest of a
 * row that the page break split, so its text is appended to the row before the break.
 */
export function joinContinuedTables(tables: readonly RuledTableRows[]): PendingRow[] {
  const rows: PendingRow[] = [];
  let header: PendingRow | undefined;
  for (const [index, current] of tables.entries()) {
    const previous = tables[index - 1];
    const continues = previous !== undefined && isContinuation(previous, current, tables);
    if (!continues) {
      header = current.rows[0];
      appendAll(rows, current.rows);
      continue;
    }
    const body = current.rows.filter((row) => !(header && rowKey(row) === rowKey(header)));
    const first = body[0];
    const before = previous.rows.at(-1);
    if (first && before && isRowRest(first)) {
      first.cells.forEach((lines, column) => appendAll(before.cells[column]!, lines));
      appendAll(rows, current.rows.filter((row) => row !== first));
    } else {
      appendAll(rows, current.rows);
    }
  }
  return rows;
}

function isContinuation(previous: RuledTableRows, current: RuledTableRows, tables: readonly RuledTableRows[]): boolean {
  const isLastOnPage = !tables.some((other) => other.table.page === previous.table.page && other.table.top > previous.table.top);
  const isFirstOnPage = !tables.some((other) => other.table.page === current.table.page && other.table.top < current.table.top);
  const sameEdges =
    previous.table.edges.length === current.table.edges.length &&
    previous.table.edges.every((edge, index) => Math.abs(edge - current.table.edges[index]!) <= 3);
  return current.table.page === previous.table.page + 1 && isLastOnPage && isFirstOnPage && sameEdges;
}

/**
 * Tells whether a row is the rest of a row that a page break split, by its empty first cell.
 * A rest whose first cell continues text stays a row of its own here, and the table reader
 * joins it when the table's rows open with item numbers and the rest does not.
 * NOTE: a row whose first cell is empty on purpose, at the top of a page, is joined to the row before.
 */
function isRowRest(row: PendingRow): boolean {
  return row.cells[0]!.length === 0 && row.cells.some((lines) => lines.length > 0);
}

function rowKey(row: PendingRow): string {
  return row.cells.map((lines) => lines.join(' ').toLowerCase()).join('|');
}
