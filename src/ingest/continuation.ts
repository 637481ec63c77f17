/**
 * Joining of PDF table rows that continue the row above: a cell wrapped onto more lines than
 * its neighbours, or a table row split by a page break.
 */

import { findAttachmentReferences, mergeAttachments } from './attachments.ts';
import type { RequirementRow } from './model.ts';
import type { RequirementCells } from './rows.ts';

/** A new row usually opens with its number: '1.1.1 ...', '(a) ...', 'Section 1194.21', '§ 4'. */
const NEW_ITEM_PATTERN = /^(?:\(?[\p{L}\d]{1,3}[.)]\s|\d+(?:\.\d+)+\s|section\s+\d|§\s*\d)/iu;
/** Text that starts in lower case or with a bullet continues a sentence or a list. */
const CONTINUING_START = /^[\p{Ll}●•▪◦–-]/u;
/** Text that ends like this is unfinished, so the next line belongs to it. */
const UNFINISHED_END = /(?:[,;:(–-]|\b(?:and|or|och|eller|samt))$/iu;
const FINISHED_END = /[.?!]$/u;

export interface ContinuationContext {
  /** True when the table has an id column, so that a row without an id cannot be a new requirement. */
  hasIdColumn: boolean;
  /** True when a page break, with its repeated header, lies between the two rows. */
  crossedPageBreak: boolean;
}

/** Returns true when a PDF row continues the requirement row above it. */
export function continuesPreviousRow(
  previous: RequirementRow,
  cells: RequirementCells,
  context: ContinuationContext,
): boolean {
  if (cells.id !== '') return false;
  if (cells.text === '') return cells.comment !== '' || cells.answerRaw !== null;
  if (cells.answerRaw !== null && previous.answerRaw !== null) return false;
  if (!context.hasIdColumn && NEW_ITEM_PATTERN.test(cells.text)) return false;

  if (CONTINUING_START.test(cells.text) || UNFINISHED_END.test(previous.text)) return true;
  return context.crossedPageBreak && !FINISHED_END.test(previous.text);
}

/** Appends a continuation row's text and comment, and takes its answer if the row above has none. */
export function appendContinuation(previous: RequirementRow, cells: RequirementCells): void {
  if (cells.text !== '') previous.text = joinText(previous.text, cells.text);
  if (cells.comment !== '') {
    previous.comment = joinText(previous.comment ?? '', cells.comment);
    previous.attachments = mergeAttachments(previous.attachments, findAttachmentReferences(previous.comment));
  }
  if (previous.answerRaw === null && cells.answerRaw !== null) {
    previous.answer = cells.answer;
    previous.answerRaw = cells.answerRaw;
  }
}

function joinText(first: string, second: string): string {
  if (first === '') return second;
  // A word hyphenated at the line end joins without a space: 'Configura-' + 'tion'.
  if (/\p{L}-$/u.test(first) && /^\p{Ll}/u.test(second)) return `${first.slice(0, -1)}${second}`;
  return `${first} ${second}`;
}
