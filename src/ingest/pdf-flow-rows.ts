/**
 * Grouping the lines of a borderless table into logical rows.
 *
 * An anchor line starts a row: it has text in the identifier column or the answer column.
 * Identifiers are short texts with digits, and answers are short texts from a small set of
 * values. The other lines are wrapped cell text. Between two anchors, the lines belong to the
 * upper row, the lower row or both, depending on how the cells are aligned vertically:
 * top-aligned rows wrap downwards, bottom-aligned rows (the spreadsheet default) wrap upwards.
 * The split goes at the widest vertical gap, since rows are padded and lines inside a cell
 * are not. A table without anchors is split at gaps wider than the line spacing.
 */
import { appendAll, maxOf } from './arrays.ts';
import type { TextLine } from './pdf-lines.ts';

type Alignment = 'top' | 'middle' | 'bottom';

/** Maximum median length, in characters, of the texts in an identifier column. */
const MAX_IDENTIFIER_LENGTH = 16;
/** Maximum median length, in characters, of the texts in an answer column. */
const MAX_ANSWER_LENGTH = 24;
/** Maximum share of distinct texts in an answer column, whose cells repeat a few values. */
const MAX_DISTINCT_ANSWER_SHARE = 0.5;
/** Maximum number of columns whose cells start rows. */
const MAX_ANCHOR_COLUMNS = 2;
/** Share of the font size by which a gap must exceed the line spacing to separate two rows. */
const ROW_GAP_SLACK = 0.15;
/** Share of the font size within which two gaps count as equal. */
const GAP_TOLERANCE = 0.08;

/** Splits a borderless table's lines, in document order, into groups of lines that form one row each. */
export function groupTableLines(
  lines: readonly TextLine[],
  cellsByLine: ReadonlyMap<TextLine, readonly string[]>,
): TextLine[][] {
  const cellsOf = (line: TextLine): readonly string[] => cellsByLine.get(line)!;
  const repeatedHeaders = findRepeatedHeaders(lines, cellsOf);
  const body = lines.filter((line) => !repeatedHeaders.has(line));

  const anchorColumns = findAnchorColumns(body.map(cellsOf));
  const anchors = body.map((line, index) => isAnchor(body, index, anchorColumns, cellsOf));
  const groups = anchors.includes(true) ? splitAtAnchors(body, anchors) : splitAtWideGaps(body);

  // A repeated header row stays a row of its own and never takes wrapped lines of its neighbours.
  const headerGroups = [...repeatedHeaders].map((line) => [line]);
  return [...groups, ...headerGroups].sort((a, b) => byPosition(a[0]!, b[0]!));
}

/**
 * Returns the header lines that a table repeats at the top of later pages: the first table
 * line on a page whose cells, two or more of them filled, equal those of an earlier line.
 */
function findRepeatedHeaders(
  lines: readonly TextLine[],
  cellsOf: (line: TextLine) => readonly string[],
): Set<TextLine> {
  const seen = new Set<string>();
  const repeated = new Set<TextLine>();
  for (const [index, line] of lines.entries()) {
    const cells = cellsOf(line);
    if (cells.filter((cell) => cell !== '').length < 2) continue;
    const key = cells.map((cell) => cell.toLowerCase()).join('|');
    const startsPage = lines[index - 1]?.page !== line.page;
    if (seen.has(key) && startsPage && index > 0) {
      repeated.add(line);
    }
    seen.add(key);
  }
  return repeated;
}

/**
 * Returns the up to two leftmost columns that look like identifier or answer columns. Without
 * such columns, as in a key-value block, the leftmost column of short texts starts the rows.
 */
function findAnchorColumns(cellRows: readonly (readonly string[])[]): number[] {
  const columnCount = Math.max(0, maxOf(cellRows.map((cells) => cells.length)));
  const textsByColumn = Array.from({ length: columnCount }, (_, column) =>
    cellRows.map((cells) => cells[column] ?? '').filter((text) => text !== ''),
  );
  const anchorColumns = textsByColumn
    .flatMap((texts, column) => (isIdentifierColumn(texts) || isAnswerColumn(texts) ? [column] : []))
    .slice(0, MAX_ANCHOR_COLUMNS);
  if (anchorColumns.length > 0) {
    return anchorColumns;
  }
  const shortColumn = textsByColumn.findIndex(
    (texts) => texts.length >= 2 && medianLength(texts) <= MAX_ANSWER_LENGTH,
  );
  return shortColumn === -1 ? [] : [shortColumn];
}

function isIdentifierColumn(texts: readonly string[]): boolean {
  if (texts.length < 2) return false;
  const withDigits = texts.filter((text) => /\d/.test(text)).length;
  return medianLength(texts) <= MAX_IDENTIFIER_LENGTH && withDigits > texts.length / 2;
}

function isAnswerColumn(texts: readonly string[]): boolean {
  if (texts.length < 2) return false;
  const distinct = new Set(texts.map((text) => text.toLowerCase())).size;
  return medianLength(texts) <= MAX_ANSWER_LENGTH && distinct <= MAX_DISTINCT_ANSWER_SHARE * texts.length;
}

function medianLength(texts: readonly string[]): number {
  return median(texts.map((text) => text.length));
}

/**
 * Tells whether a line starts a row. Text in an anchor column that starts in lower case right
 * under text in the same column is that cell's second line, as in 'Delvis' / 'uppfyllt'.
 */
function isAnchor(
  lines: readonly TextLine[],
  index: number,
  anchorColumns: readonly number[],
  cellsOf: (line: TextLine) => readonly string[],
): boolean {
  const line = lines[index]!;
  const previous = lines[index - 1];
  return anchorColumns.some((column) => {
    const text = cellsOf(line)[column] ?? '';
    if (text === '') return false;
    const continuesAbove =
      /^\p{Ll}/u.test(text) &&
      previous !== undefined &&
      previous.page === line.page &&
      (cellsOf(previous)[column] ?? '') !== '';
    return !continuesAbove;
  });
}

function splitAtAnchors(lines: readonly TextLine[], anchors: readonly boolean[]): TextLine[][] {
  const anchorIndexes = anchors.flatMap((isAnchorLine, index) => (isAnchorLine ? [index] : []));
  const gaps = lineGaps(lines);
  const tolerance = GAP_TOLERANCE * median(lines.map((line) => line.fontSize));
  const alignment = guessAlignment(anchorIndexes, gaps, tolerance);

  const groups: TextLine[][] = anchorIndexes.map(() => []);
  // Lines above the first anchor wrap into the first row, lines below the last into the last row.
  for (let index = 0; index < anchorIndexes[0]!; index++) {
    groups[0]!.push(lines[index]!);
  }
  for (const [k, anchor] of anchorIndexes.entries()) {
    groups[k]!.push(lines[anchor]!);
    const next = anchorIndexes[k + 1];
    if (next === undefined) {
      appendAll(groups[k]!, lines.slice(anchor + 1));
      break;
    }
    const split = anchor + 1 + chooseSplit(gaps, anchor, next, alignment, tolerance);
    appendAll(groups[k]!, lines.slice(anchor + 1, split));
    appendAll(groups[k + 1]!, lines.slice(split, next));
  }
  return groups;
}

/**
 * Splits lines into rows where the gap to the line above is wider than the line spacing,
 * for a table without identifier or answer columns. The line spacing is the narrowest common
 * gap, taken as the 20th percentile of the gaps. When no gap is wider, as in a key-value
 * block, nothing shows which lines wrap, so every line is a row of its own.
 */
function splitAtWideGaps(lines: readonly TextLine[]): TextLine[][] {
  const gaps = lineGaps(lines);
  const sorted = gaps.slice(1).sort((a, b) => a - b);
  const lineSpacing = sorted[Math.floor(sorted.length * 0.2)] ?? 0;
  const isWide = gaps.map(
    (gap, index) => index > 0 && gap > lineSpacing + Math.max(1.5, ROW_GAP_SLACK * lines[index]!.fontSize),
  );
  if (!isWide.includes(true)) {
    return lines.map((line) => [line]);
  }
  const groups: TextLine[][] = [];
  for (const [index, line] of lines.entries()) {
    if (index === 0 || isWide[index]) {
      groups.push([line]);
    } else {
      groups.at(-1)!.push(line);
    }
  }
  return groups;
}

function byPosition(a: TextLine, b: TextLine): number {
  return a.page - b.page || a.number - b.number;
}

/**
 * Returns, for each line, the vertical gap to the line before it. A page break counts as a
 * typical gap, so that it neither forces nor prevents a split.
 */
function lineGaps(lines: readonly TextLine[]): number[] {
  const raw = lines.map((line, index) => {
    const previous = lines[index - 1];
    return previous && previous.page === line.page ? line.y - previous.y : NaN;
  });
  const typical = median(raw.filter((gap) => !Number.isNaN(gap)));
  return raw.map((gap) => (Number.isNaN(gap) ? typical : gap));
}

/**
 * Returns how many of the lines strictly between two anchors belong to the upper anchor's row:
 * the lines above the widest gap. Ties go the way the table's cells are aligned.
 */
function chooseSplit(
  gaps: readonly number[],
  anchor: number,
  next: number,
  alignment: Alignment,
  tolerance: number,
): number {
  const runGaps = gaps.slice(anchor + 1, next + 1);
  const widest = maxOf(runGaps);
  const tied = runGaps.flatMap((gap, position) => (gap >= widest - tolerance ? [position] : []));
  if (alignment === 'top') return tied.at(-1)!;
  if (alignment === 'bottom') return tied[0]!;
  const centre = (runGaps.length - 1) / 2;
  return tied.reduce((best, position) => (Math.abs(position - centre) < Math.abs(best - centre) ? position : best));
}

/**
 * Guesses the vertical alignment of the table's cells from the runs of wrapped lines whose
 * widest gap is clear: after the run means top-aligned, before it bottom-aligned. Top wins ties.
 */
function guessAlignment(anchorIndexes: readonly number[], gaps: readonly number[], tolerance: number): Alignment {
  const votes = { top: 0, middle: 0, bottom: 0 };
  for (const [k, anchor] of anchorIndexes.entries()) {
    const next = anchorIndexes[k + 1];
    if (next === undefined || next === anchor + 1) continue;
    const runGaps = gaps.slice(anchor + 1, next + 1);
    const widest = maxOf(runGaps);
    const tied = runGaps.filter((gap) => gap >= widest - tolerance);
    if (tied.length !== 1) continue;
    const position = runGaps.indexOf(widest);
    if (position === runGaps.length - 1) votes.top++;
    else if (position === 0) votes.bottom++;
    else votes.middle++;
  }
  if (votes.bottom > votes.top && votes.bottom >= votes.middle) return 'bottom';
  if (votes.middle > votes.top && votes.middle > votes.bottom) return 'middle';
  return 'top';
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
