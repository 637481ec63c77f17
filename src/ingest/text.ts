/** Text helpers shared by the header, answer and cover matchers. */

import type { SourceLocation } from './model.ts';

/**
 * Lower-cases a label and turns every run of characters other than letters, digits and '#'
 * into one space, so that 'Krav-ID', 'krav id' and ' KRAV_ID: ' compare equal.
 */
export function normalizeLabel(text: string): string {
  let normalized = labelCache.get(text);
  if (normalized === undefined) {
    if (labelCache.size >= LABEL_CACHE_SIZE) labelCache.clear();
    normalized = computeLabel(text);
    labelCache.set(text, normalized);
  }
  return normalized;
}

/** Labels already normalised: the table reader asks for the same cell's label several times per row. */
const labelCache = new Map<string, string>();
const LABEL_CACHE_SIZE = 20_000;

function computeLabel(text: string): string {
  return text
    .normalize('NFC')
    // Swedish has no locale-specific case rules, and the locale-aware call costs ten times more.
    .toLowerCase()
    .replace(/[^\p{L}\p{N}#]+/gu, ' ')
    .trim();
}

export function labelTokens(text: string): string[] {
  const normalized = normalizeLabel(text);
  return normalized === '' ? [] : normalized.split(' ');
}

/** Returns the index where `needle` starts as a contiguous run inside `haystack`, or -1. */
export function findTokenRun(haystack: readonly string[], needle: readonly string[]): number {
  if (needle.length === 0 || needle.length > haystack.length) return -1;
  for (let start = 0; start + needle.length <= haystack.length; start++) {
    let matches = true;
    for (let offset = 0; offset < needle.length; offset++) {
      if (haystack[start + offset] !== needle[offset]) {
        matches = false;
        break;
      }
    }
    if (matches) return start;
  }
  return -1;
}

/** Converts a zero-based column index to an Excel column name: 0 is 'A', 26 is 'AA'. */
export function columnName(index: number): string {
  let name = '';
  let remaining = index + 1;
  while (remaining > 0) {
    const digit = (remaining - 1) % 26;
    name = String.fromCharCode(65 + digit) + name;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return name;
}

/** Describes a location for a person: "sheet 'Krav' cell C12" or "page 3 line 14". */
export function describeLocation(source: SourceLocation, column?: number): string {
  if (source.kind === 'page') return `page ${source.page} line ${source.line}`;
  if (column === undefined) return `sheet '${source.sheet}' row ${source.row}`;
  return `sheet '${source.sheet}' cell ${columnName(column)}${source.row}`;
}

/** Shortens text for a message, cutting at `maxLength` characters and adding an ellipsis. */
export function truncate(text: string, maxLength: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= maxLength ? flat : `${flat.slice(0, maxLength - 1)}…`;
}

/** Matches any text that cleanCellText would change. */
const NEEDS_CLEANING = /[\u0000-\u001f\u007f\u00a0]|  |^\s|\s$/;

/**
 * Collapses runs of spaces and tabs and trims, keeping line breaks inside the text. Control
 * characters go: PostgreSQL rejects NUL in text, and escape sequences could rewrite a terminal.
 */
export function cleanCellText(text: string): string {
  // Most cells are already clean, and the test costs far less than the five replacements.
  if (!NEEDS_CLEANING.test(text)) return text;
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .trim();
}

/**
 * Tells whether two names of a supplier, system or municipality are the same, ignoring case,
 * surrounding space and how a letter such as å is composed, as cover values are read in NFC.
 */
export function sameName(a: string, b: string): boolean {
  return a.normalize('NFC').trim().toLowerCase() === b.normalize('NFC').trim().toLowerCase();
}
