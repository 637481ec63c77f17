/**
 * Joining of PDF table rows that continue the row above: a cell wrapped onto more lines than
 * its neighbours, or a table row split by a page break.
 */

import { FAVOURABILITY, interpretAnswer } from './answers.ts';
import { findAttachmentReferences, mergeAttachments } from './attachments.ts';
import type { RequirementRow } from './model.ts';
import type { RequirementCells } from './rows.ts';

/** A new row usually opens with its number: '1.1.1 ...', '(a) ...', '(k)(4) ...', 'Section 1194.21', '§ 4'. */
const NEW_ITEM_PATTERN = /^(?:(?:\(?[\p{L}\d]{1,3}[.)])+\s|\d+(?:\.\d+)+\s|section\s+\d|§\s*\d)/iu;
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
  /** True when the row starts on a later page than the last part of the row above. */
  startsNewPage: boolean;
  /** True when nearly every requirement row of the table so far opened with an item number. */
  rowsOpenWithItemNumbers: boolean;
}

/** Tells whether a text opens with an item number, as a new requirement row usually does. */
export function opensWithItemNumber(text: string): boolean {
  return NEW_ITEM_PATTERN.test(text);
}

/** Returns true when a PDF row continues the requirement row above it. */
export function continuesPreviousRow(
  previous: RequirementRow,
  cells: RequirementCells,
  context: ContinuationContext,
): boolean {
  if (cells.id !== '') return false;
  if (cells.text === '') return cells.comment !== '' || cells.answerRaw !== null;
  // At the top of a page, in a table whose rows all open with an item number, a row without
  // one is the rest of the row that the page break split, even when each part has an answer
  // ('Web: Supports' above the break, 'Authoring Tool: Supports' below it).
  // NOTE: in a table without item numbers, a rest that opens in upper case and has its own
  // answer stays a requirement of its own.
  if (context.startsNewPage && context.rowsOpenWithItemNumbers && !opensWithItemNumber(cells.text)) return true;
  if (cells.answerRaw !== null && previous.answerRaw !== null) return false;
  if (!context.hasIdColumn && NEW_ITEM_PATTERN.test(cells.text)) return false;

  if (CONTINUING_START.test(cells.text) || UNFINISHED_END.test(previous.text)) return true;
  return context.crossedPageBreak && !FINISHED_END.test(previous.text);
}

/**
 * Appends a continuation row's text, comment and answer. When both parts have an answer,
 * the joined answer text is read again, as in 'Web: Supports' and 'Authoring Tool: Supports'.
 */
export function appendContinuation(previous: RequirementRow, cells: RequirementCells): void {
  if (cells.text !== '') previous.text = joinText(previous.text, cells.text);
  if (cells.comment !== '') {
    previous.comment = joinText(previous.comment ?? '', cells.comment);
    previous.attachments = mergeAttachments(previous.attachments, findAttachmentReferences(previous.comment));
  }
  if (cells.answerRaw === null) return;
  if (previous.answerRaw === null) {
    previous.answer = cells.answer;
    previous.answerRaw = cells.answerRaw;
    return;
  }
  const joined = `${previous.answerRaw} ${cells.answerRaw}`;
  const leastFavourable = FAVOURABILITY[cells.answer] < FAVOURABILITY[previous.answer] ? cells.answer : previous.answer;
  previous.answerRaw = joined;
  previous.answer = interpretAnswer(joined) ?? leastFavourable;
}

function joinText(first: string, second: string): string {
  if (first === '') return second;
  // A word hyphenated at the line end joins without a space: 'Configura-' + 'tion'.
  if (/\p{L}-$/u.test(first) && /^\p{Ll}/u.test(second)) return `${first.slice(0, -1)}${second}`;
  return `${first} ${second}`;
}
