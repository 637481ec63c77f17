/**
 * Classification of the rows below a table header: requirement, section heading,
 * instruction, summary, repeated header or blank.
 */

import { FAVOURABILITY, findRemarkQualifier, interpretAnswer, isMark } from './answers.ts';
import { looksLikeId } from './content-columns.ts';
import { matchHeaderCell, repeatsHeader, type ColumnMap, type HeaderBlock } from './headers.ts';
import type { Answer, GridRow } from './model.ts';
import { normalizeLabel } from './text.ts';

/** The cells of one requirement row, before areas and attachments are resolved. */
export interface RequirementCells {
  id: string;
  text: string;
  answer: Answer;
  answerRaw: string | null;
  /** Set when the answer text is not in any known vocabulary. */
  unknownAnswer: { column: number; text: string } | null;
  /** Set when the answer text names several answers without choosing one, as in 'Ja/Nej'. */
  choicePrompt: { column: number; text: string } | null;
  /** Set when the answer cell refers to another part of the document ('See section 4'). */
  answerReference: string | null;
  /**
   * Set when the answer is read as partly met from a remark that opens with a qualifier, as in
   * 'Inte helt klart', with the qualifier as normalizeLabel writes it.
   */
  partlyMetRemark: { column: number; text: string; qualifier: string } | null;
  /** Set when several X-mark columns of the row are marked. */
  conflictingMarks: string[] | null;
  /**
   * Answers in the table's other answer columns or X-mark groups that differ from the answer read,
   * such as the municipality's 'Nej' beside the supplier's 'Ja'. Empty cells and unrecognised texts
   * are left out. For an X-mark group, `text` lists the headers of the marked columns, `label` is the
   * group label, and `column` is the first marked column.
   */
  differingAnswers: { column: number; text: string; label?: string }[];
  comment: string;
  area: string;
  attachment: string;
}

export type RowClass =
  | { kind: 'blank' }
  | { kind: 'requirement'; cells: RequirementCells }
  | { kind: 'text-only'; text: string; column: number; spansColumns: boolean }
  | { kind: 'repeated-header'; sectionLabel: string | null }
  | { kind: 'heading'; label: string }
  | { kind: 'end' }
  | { kind: 'skip'; reason: string };

/** Summary rows open with one of these words: 'Summa', 'Totalt', 'Antal uppfyllda', 'Total'. */
const SUMMARY_PATTERN =
  /^(summa|delsumma|totalt?|totals?|antal|andel|sum|subtotal|count|number of|score|poäng|resultat|result|totaal|aantal)\b/iu;
const SUMMARY_MAX_LENGTH = 60;
/**
 * Copyright lines of a template: '© 2023 ...', '(c) 2023 ...', 'Copyright ...'. A '(c)' counts
 * only before a year, because '(c) Applications shall ...' is the third lettered item of a list.
 */
const FOOTER_PATTERN = /^(©|\(c\)\s*(\d{4}|copyright)\b|copyright\b)/iu;
/** The line that closes a questionnaire: 'End of Standard', 'Slut på frågorna'. */
const END_PATTERN = /^(end of (standard|document|questionnaire)\b|slut på)/iu;
const NUMERIC_PATTERN = /^-?\d+(?:[.,]\d+)?\s*%?$/;
/** An answer cell that marks its row as a heading: 'Heading cell – no response required'. */
const NO_ANSWER_NEEDED_PATTERN = /\b(no (response|answer) (is )?required|inget svar krävs|svar krävs (ej|inte))\b/iu;
/** An answer cell that points elsewhere for the answer: 'See WCAG 2.x section', 'Se bilaga 2'. */
const REFERENCE_PATTERN = /^(see|refer to|se|hänvisning till|zie)\s/iu;

/** Tells whether a text closes the questionnaire, so that no later row belongs to its table. */
export function isClosingLine(text: string): boolean {
  return END_PATTERN.test(text);
}

export function cellAt(row: GridRow, column: number | undefined): string {
  if (column === undefined) return '';
  return row.cells[column] ?? '';
}

/** Classifies one row below the header of a table. */
export function classifyRow(row: GridRow, header: HeaderBlock, columns: ColumnMap): RowClass {
  if (row.cells.every((text) => text === '')) return { kind: 'blank' };

  const ownCells = findOwnCells(row);
  if (ownCells.length === 0) return { kind: 'skip', reason: 'only cells merged from the row above' };
  if (repeatsHeader(row, header)) {
    return { kind: 'repeated-header', sectionLabel: findHeaderSectionLabel(row, header, columns) };
  }

  if (FOOTER_PATTERN.test(ownCells[0]!.text)) return { kind: 'skip', reason: 'footer row' };
  if (isClosingLine(ownCells[0]!.text)) return { kind: 'end' };
  if (spansOneText(ownCells)) return classifyTextOnlyRow(ownCells, columns);

  const cells = readRequirementCells(row, columns);
  if (isSummaryRow(ownCells, cells)) return { kind: 'skip', reason: 'summary row' };
  if (cells.text !== '' && cells.answerRaw !== null && NO_ANSWER_NEEDED_PATTERN.test(cells.answerRaw)) {
    return { kind: 'heading', label: cells.text };
  }

  const hasAnswer = cells.answerRaw !== null;
  const hasText = cells.text !== '';
  const hasId = cells.id !== '' && looksLikeId(cells.id);

  if (hasText && (hasId || hasAnswer || cells.comment !== '')) return { kind: 'requirement', cells };
  const otherCells = ownCells.filter((cell) => cell.column !== columns.fields.id);
  if (hasText && hasOtherContent(otherCells, cells.text)) return { kind: 'requirement', cells };
  if (hasId && hasAnswer) return { kind: 'requirement', cells };
  if (hasAnswer) return { kind: 'skip', reason: 'answer without requirement text or id' };
  if (hasId && !hasText) return { kind: 'skip', reason: 'id without requirement text or answer' };

  return classifyTextOnlyRow(ownCells, columns);
}

interface OwnCell {
  column: number;
  text: string;
}

/** Returns the non-empty cells whose text does not come from a range merged from above. */
function findOwnCells(row: GridRow): OwnCell[] {
  const mergedFromAbove = new Set(row.mergedFromAbove ?? []);
  const own: OwnCell[] = [];
  row.cells.forEach((text, column) => {
    if (text !== '' && !mergedFromAbove.has(column)) own.push({ column, text });
  });
  return own;
}

/** Returns true when one text fills several cells, as a title merged across columns does. */
function spansOneText(ownCells: OwnCell[]): boolean {
  return ownCells.length > 1 && ownCells.every((cell) => cell.text === ownCells[0]!.text);
}

/** Returns true when a cell other than the requirement text, or a copy of it, has content. */
function hasOtherContent(ownCells: OwnCell[], text: string): boolean {
  return ownCells.some((cell) => cell.text !== text);
}

function classifyTextOnlyRow(ownCells: OwnCell[], columns: ColumnMap): RowClass {
  const distinctTexts = new Set(ownCells.map((cell) => cell.text));
  if (distinctTexts.size > 1) return { kind: 'skip', reason: 'text without id or answer' };

  const textColumn = columns.fields.text;
  const inTextColumn = ownCells.find((cell) => cell.column === textColumn);
  const first = inTextColumn ?? ownCells[0]!;
  return { kind: 'text-only', text: first.text, column: first.column, spansColumns: ownCells.length > 1 };
}

export function readRequirementCells(row: GridRow, columns: ColumnMap): RequirementCells {
  const { fields } = columns;
  const answerText = cellAt(row, fields.answer);
  const cells: RequirementCells = {
    id: cellAt(row, fields.id),
    text: cellAt(row, fields.text),
    answer: 'unanswered',
    answerRaw: null,
    unknownAnswer: null,
    choicePrompt: null,
    answerReference: null,
    partlyMetRemark: null,
    conflictingMarks: null,
    differingAnswers: [],
    comment: cellAt(row, fields.comment),
    area: cellAt(row, fields.area),
    attachment: cellAt(row, fields.attachment),
  };

  const marked = columns.markColumns.filter((mark) => cellAt(row, mark.column) !== '');
  if (marked.length > 0) applyMarks(cells, row, columns, marked);
  else if (answerText !== '') applyAnswerText(cells, answerText, fields.answer!);
  cells.differingAnswers = [
    ...findDifferingAnswers(row, columns.otherAnswerColumns, cells.answer),
    ...findDifferingMarks(row, columns.otherMarkGroups, cells.answer),
  ];
  return cells;
}

/** Returns the other X-mark groups whose marks give another answer than `answer`. */
function findDifferingMarks(
  row: GridRow,
  otherMarkGroups: ColumnMap['otherMarkGroups'],
  answer: Answer,
): RequirementCells['differingAnswers'] {
  const differing: RequirementCells['differingAnswers'] = [];
  for (const group of otherMarkGroups) {
    const marked = group.markColumns.filter((mark) => cellAt(row, mark.column) !== '');
    if (marked.length === 0 || leastFavourable(marked).answer === answer) continue;
    const text = marked.map((mark) => mark.header).join(', ');
    differing.push({ column: marked[0]!.column, text, label: group.label });
  }
  return differing;
}

function leastFavourable(marked: ColumnMap['markColumns']): ColumnMap['markColumns'][number] {
  return [...marked].sort((a, b) => FAVOURABILITY[a.answer] - FAVOURABILITY[b.answer])[0]!;
}

function findDifferingAnswers(
  row: GridRow,
  otherAnswerColumns: readonly number[],
  answer: Answer,
): RequirementCells['differingAnswers'] {
  const differing: RequirementCells['differingAnswers'] = [];
  for (const column of otherAnswerColumns) {
    const text = cellAt(row, column);
    const otherAnswer = interpretAnswer(text);
    if (otherAnswer === null || otherAnswer === 'unanswered' || otherAnswer === answer) continue;
    differing.push({ column, text });
  }
  return differing;
}

/**
 * Reads the answer from X-mark columns, where any non-empty cell is a mark. A lone answer-word
 * column ('Valid') may also hold written answers, which are read as text. When several
 * columns are marked, the least favourable answer is kept and the conflict is reported.
 */
function applyMarks(cells: RequirementCells, row: GridRow, columns: ColumnMap, marked: ColumnMap['markColumns']): void {
  const first = marked[0]!;
  const firstText = cellAt(row, first.column);
  if (columns.markColumns.length === 1 && !isMark(firstText)) {
    applyAnswerText(cells, firstText, first.column);
    return;
  }
  cells.answer = leastFavourable(marked).answer;
  cells.answerRaw = marked.map((mark) => mark.header).join(', ');
  if (marked.length > 1) cells.conflictingMarks = marked.map((mark) => mark.header);
}

function applyAnswerText(cells: RequirementCells, text: string, column: number): void {
  cells.answerRaw = text;
  const answer = interpretAnswer(text);
  if (answer === null) {
    cells.answer = 'unanswered';
    if (REFERENCE_PATTERN.test(text.trim())) cells.answerReference = text;
    else cells.unknownAnswer = { column, text };
    return;
  }
  cells.answer = answer;
  if (answer === 'unanswered' && text.trim() !== '') cells.choicePrompt = { column, text };
  const qualifier = answer === 'partially-met' ? findRemarkQualifier(text) : null;
  if (qualifier !== null) cells.partlyMetRemark = { column, text, qualifier };
}

/**
 * A summary row opens with a summary word or contains a number where the answer goes, such as
 * a COUNTIF result. A row with a recognised answer or a valid id and no number is never one.
 */
function isSummaryRow(ownCells: OwnCell[], cells: RequirementCells): boolean {
  const answerIsNumber = cells.unknownAnswer !== null && NUMERIC_PATTERN.test(cells.unknownAnswer.text);
  const hasValidId = cells.id !== '' && looksLikeId(cells.id);
  if (hasValidId && !answerIsNumber) return false;
  if (cells.answerRaw !== null && cells.unknownAnswer === null) return false;

  const firstText = ownCells[0]?.text ?? '';
  if (firstText.length <= SUMMARY_MAX_LENGTH && SUMMARY_PATTERN.test(firstText)) return true;
  return answerIsNumber && !hasValidId;
}

/**
 * Returns the section name that a repeated header row carries in place of a column label,
 * as in templates that restate the header under each section title. Only cells in the
 * id, text and area columns count, and only when they are not column labels themselves.
 */
function findHeaderSectionLabel(row: GridRow, header: HeaderBlock, columns: ColumnMap): string | null {
  const candidates = [columns.fields.area, columns.fields.id, columns.fields.text];
  for (const column of candidates) {
    const text = cellAt(row, column);
    if (text === '' || column === undefined) continue;
    const headerText = header.cellTexts[column] ?? '';
    if (normalizeLabel(text) === normalizeLabel(headerText)) continue;
    if (matchHeaderCell(text)) continue;
    return text;
  }
  return null;
}

/** Returns the section name that a header row carries where a text column label would be. */
export function findFirstHeaderSectionLabel(header: HeaderBlock, columns: ColumnMap): string | null {
  if (!header.textByContent) return null;
  for (const column of [columns.fields.area, columns.fields.id, columns.fields.text]) {
    if (column === undefined) continue;
    const text = header.cellTexts[column] ?? '';
    if (text !== '' && !matchHeaderCell(text)) return text;
  }
  return null;
}
