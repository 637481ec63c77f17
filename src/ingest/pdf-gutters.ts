/**
 * Column boundaries of a borderless table, found as vertical strips of white space
 * (gutters) that the table's lines leave free.
 */
import { maxOf, minOf } from './arrays.ts';
import type { Segment } from './pdf-lines.ts';

/** Share of lines that may cross a gutter, so that one overlong line does not merge two columns. */
const CROSSING_SHARE = 0.05;
/** Minimum gutter width in points. */
const MIN_GUTTER_WIDTH = 2;
/** Points by which a segment may run past a column boundary and still fit the column. */
const OVERRUN_SLACK = 2;

/**
 * Returns the left edges of the second and later columns: the x where each interior gutter
 * ends. Coverage is counted per segment, so that ordinary word spaces do not form a gutter.
 */
export function findGutters(lines: readonly (readonly Segment[])[]): number[] {
  const segments = lines.flat();
  if (segments.length === 0) {
    return [];
  }
  const left = Math.floor(minOf(segments.map((segment) => segment.x0)));
  const right = Math.ceil(maxOf(segments.map((segment) => segment.x1)));
  const coverage = countCoverage(lines, left, right);
  const limit = Math.floor(CROSSING_SHARE * lines.length);
  const boundaries: number[] = [];
  let gutterStart = -1;
  for (let bin = 0; bin < coverage.length; bin++) {
    const isFree = coverage[bin]! <= limit;
    if (isFree && gutterStart === -1) {
      gutterStart = bin;
    } else if (!isFree && gutterStart !== -1) {
      // A free strip that starts at the left edge is margin, not a gutter.
      if (gutterStart > 0 && bin - gutterStart >= MIN_GUTTER_WIDTH) {
        boundaries.push(left + bin);
      }
      gutterStart = -1;
    }
  }
  return boundaries;
}

/** Counts, per one-point strip from `left` to `right`, how many lines have text over it. */
function countCoverage(lines: readonly (readonly Segment[])[], left: number, right: number): Int32Array {
  const coverage = new Int32Array(right - left + 1);
  const covered = new Uint8Array(coverage.length);
  for (const segments of lines) {
    covered.fill(0);
    for (const segment of segments) {
      const from = Math.max(0, Math.floor(segment.x0) - left);
      const to = Math.min(coverage.length - 1, Math.ceil(segment.x1) - left - 1);
      for (let bin = from; bin <= to; bin++) covered[bin] = 1;
    }
    for (let bin = 0; bin < coverage.length; bin++) coverage[bin]! += covered[bin]!;
  }
  return coverage;
}

/** Tells whether no segment of a line runs across a column boundary. */
export function fitsColumns(segments: readonly Segment[], boundaries: readonly number[]): boolean {
  return segments.every((segment) =>
    boundaries.every(
      (boundary) => segment.x0 >= boundary - OVERRUN_SLACK || segment.x1 <= boundary + OVERRUN_SLACK,
    ),
  );
}
