/**
 * Detection of running page headers and footers: page numbers and lines that repeat
 * at the same place on several pages. These lines are not part of the declaration.
 */
import { joinTexts, splitSegments, type TextLine } from './pdf-lines.ts';

export interface PageLines {
  page: number;
  height: number;
  lines: TextLine[];
}

/** Share of the page height, at the top and at the bottom, where running headers and footers sit. */
const MARGIN_BAND = 0.12;
/** Maximum difference in points between the positions of one running line on two pages. */
const SAME_PLACE = 4;
/** A repeated line counts as running when it is on at least this share of the pages (and on two or more). */
const MIN_PAGE_SHARE = 0.4;
/** A line this close to its neighbour towards the page body, in font sizes, belongs to the body. */
const BODY_SPACING = 1.6;

const PAGE_NUMBER_PATTERNS = [
  /^(sida|page|s\.|p\.)\s*\d+(\s*(av|of|\/)\s*\d+)?$/i,
  /^\d+\s*(\/|av|of)\s*\d+$/i,
  /^[-–—]?\s*\d{1,4}\s*[-–—]?$/,
];

/** Returns the lines that are page numbers, running headers or running footers. */
export function findRunningLines(pages: readonly PageLines[]): Set<TextLine> {
  const running = new Set<TextLine>();
  const candidates = pages.map((page) =>
    marginLines(page).map((line) => ({ line, text: joinTexts(line.texts) })),
  );
  for (const [index, lines] of candidates.entries()) {
    for (const candidate of lines) {
      if (isPageNumber(candidate.text) || isRepeated(candidate, index, candidates, pages.length)) {
        running.add(candidate.line);
      }
    }
  }
  return running;
}

interface MarginLine {
  line: TextLine;
  text: string;
}

/** Returns the lines in the top and bottom bands that do not sit tight against the page body. */
function marginLines(page: PageLines): TextLine[] {
  const result: TextLine[] = [];
  const { lines, height } = page;
  for (const [index, line] of lines.entries()) {
    const inTopBand = line.y < height * MARGIN_BAND;
    const inBottomBand = line.y > height * (1 - MARGIN_BAND);
    if (!inTopBand && !inBottomBand) {
      continue;
    }
    const neighbour = inTopBand ? lines[index + 1] : lines[index - 1];
    const spacing = neighbour ? Math.abs(neighbour.y - line.y) : Infinity;
    const isTightToBody = neighbour !== undefined && !isInBand(neighbour, height) && spacing < BODY_SPACING * line.fontSize;
    if (!isTightToBody) {
      result.push(line);
    }
  }
  return result;
}

function isInBand(line: TextLine, height: number): boolean {
  return line.y < height * MARGIN_BAND || line.y > height * (1 - MARGIN_BAND);
}

function isPageNumber(text: string): boolean {
  return PAGE_NUMBER_PATTERNS.some((pattern) => pattern.test(text));
}

/** Tells whether a line with the same text, digits aside, sits at the same place on enough other pages. */
function isRepeated(
  candidate: MarginLine,
  pageIndex: number,
  candidates: readonly MarginLine[][],
  pageCount: number,
): boolean {
  // A line of three or more separate cells is more likely a repeated table header than a page header.
  if (splitSegments(candidate.line).length >= 3) {
    return false;
  }
  const key = normalise(candidate.text);
  let pagesWithLine = 1;
  for (const [index, lines] of candidates.entries()) {
    if (index === pageIndex) continue;
    const matches = lines.some(
      (other) => Math.abs(other.line.y - candidate.line.y) <= SAME_PLACE && normalise(other.text) === key,
    );
    if (matches) pagesWithLine++;
  }
  return pagesWithLine >= 2 && pagesWithLine >= MIN_PAGE_SHARE * pageCount;
}

/** Lower-cases a line's text and replaces numbers, so that 'Sida 2' and 'Sida 3' compare equal. */
function normalise(text: string): string {
  return text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');
}
