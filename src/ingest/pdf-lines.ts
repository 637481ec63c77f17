/**
 * Visual lines of a page: text items that share a baseline, numbered from the top,
 * and their split into segments at wide horizontal gaps.
 */
import { maxOf, minOf } from './arrays.ts';
import type { PageContent, PositionedText } from './pdf-document.ts';

export interface PlacedText extends PositionedText {
  page: number;
  /** 1-based number of the visual line on its page. */
  line: number;
}

export interface TextLine {
  page: number;
  /** 1-based line number on the page, counted from the top over all text, running headers included. */
  number: number;
  /** Baseline of the line's first item, from the top of the page. */
  y: number;
  fontSize: number;
  /** Items from left to right. */
  texts: PlacedText[];
}

/** A run of items on one line with no wide gap between them, such as one table cell's line. */
export interface Segment {
  x0: number;
  x1: number;
  texts: PlacedText[];
}

/** Share of the font size by which two baselines may differ and still be one line. */
const BASELINE_TOLERANCE = 0.3;
/** A gap wider than this share of the font size separates two segments: a tab, a cell border or a column. */
const SEGMENT_GAP = 0.9;
/** Runs of this many typed spaces separate segments inside one item, as in 'Leverantör   Acme AB'. */
const TYPED_GAP = /\s{3,}/;

/** Groups the page's text items into lines, top to bottom, and numbers them from 1. */
export function groupLines(page: PageContent): TextLine[] {
  const texts = page.texts.flatMap(splitAtTypedGaps).sort((a, b) => a.y - b.y || a.x - b.x);
  const groups: PositionedText[][] = [];
  for (const text of texts) {
    const current = groups.at(-1);
    const first = current?.[0];
    const tolerance = first ? Math.max(1, BASELINE_TOLERANCE * Math.min(first.fontSize, text.fontSize)) : 0;
    if (current && first && text.y - first.y <= tolerance) {
      current.push(text);
    } else {
      groups.push([text]);
    }
  }
  return groups.map((group, index) => {
    const number = index + 1;
    const placed = group
      .map((text) => ({ ...text, page: page.page, line: number }))
      .sort((a, b) => a.x - b.x);
    return {
      page: page.page,
      number,
      y: group[0]!.y,
      fontSize: maxOf(group.map((text) => text.fontSize)),
      texts: placed,
    };
  });
}

/** Splits an item at runs of typed spaces, estimating each part's position from its share of characters. */
function splitAtTypedGaps(text: PositionedText): PositionedText[] {
  const source = text.text.trim();
  if (!TYPED_GAP.test(source)) {
    // The untrimmed text keeps a trailing space, which marks for joinTexts where a word ends.
    return [text];
  }
  const parts: PositionedText[] = [];
  const characterWidth = text.width / Math.max(1, text.text.length);
  const pattern = /\S+(?:\s{1,2}\S+)*/g;
  const offset = text.text.indexOf(source);
  for (let match = pattern.exec(source); match; match = pattern.exec(source)) {
    parts.push({
      ...text,
      text: match[0],
      x: text.x + (offset + match.index) * characterWidth,
      width: match[0].length * characterWidth,
    });
  }
  return parts;
}

/**
 * Splits a line into segments wherever the gap between neighbouring items exceeds the segment
 * gap. A justified line of running text, whose words sit at even wide gaps, stays one segment.
 */
export function splitSegments(line: TextLine): Segment[] {
  const segments = splitAtWideGaps(line);
  return isJustifiedText(segments) ? [mergeSegments(segments)] : segments;
}

function splitAtWideGaps(line: TextLine): Segment[] {
  const segments: Segment[] = [];
  for (const text of line.texts) {
    const current = segments.at(-1);
    const gap = current ? text.x - current.x1 : Infinity;
    if (current && gap <= SEGMENT_GAP * Math.max(text.fontSize, line.fontSize * 0.5)) {
      current.texts.push(text);
      current.x1 = Math.max(current.x1, text.x + text.width);
    } else {
      segments.push({ x0: text.x, x1: text.x + text.width, texts: [text] });
    }
  }
  return segments;
}

/** Share of single words among the segments, and spread of the gaps, that mark a justified line. */
const JUSTIFIED_WORD_SHARE = 0.75;
const JUSTIFIED_GAP_SPREAD = 1.6;

function isJustifiedText(segments: readonly Segment[]): boolean {
  if (segments.length < 3) {
    return false;
  }
  const words = segments.filter((segment) => !/\s/.test(joinTexts(segment.texts)));
  const gaps = segments.slice(1).map((segment, index) => segment.x0 - segments[index]!.x1);
  const isEven = maxOf(gaps) <= JUSTIFIED_GAP_SPREAD * minOf(gaps);
  return isEven && words.length >= JUSTIFIED_WORD_SHARE * segments.length;
}

function mergeSegments(segments: readonly Segment[]): Segment {
  return {
    x0: segments[0]!.x0,
    x1: maxOf(segments.map((segment) => segment.x1)),
    texts: segments.flatMap((segment) => segment.texts),
  };
}

/** Joins items of one line into text, adding a space where the items do not touch. */
export function joinTexts(texts: readonly PositionedText[]): string {
  let result = '';
  let previousEnd = -Infinity;
  for (const text of texts) {
    const gap = text.x - previousEnd;
    const needsSpace = result !== '' && gap > 0.15 * text.fontSize && !/\s$/.test(result);
    result += (needsSpace ? ' ' : '') + text.text;
    previousEnd = Math.max(previousEnd, text.x + text.width);
  }
  return result.replace(/\s+/g, ' ').trim();
}
