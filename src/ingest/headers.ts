/**
 * Recognition of requirement-table header rows by scoring cells against column synonyms.
 * Nothing here depends on where a header sits: every row of a grid is a candidate.
 */

import { answerNamedByHeader } from './answers.ts';
import { findLabelledValues } from './cover.ts';
import type { Answer, GridRow } from './model.ts';
import { findTokenRun, labelTokens, normalizeLabel } from './text.ts';

export type Field = 'id' | 'text' | 'answer' | 'comment' | 'area' | 'attachment';

export const FIELDS: readonly Field[] = ['id', 'text', 'answer', 'comment', 'area', 'attachment'];

/** Header synonyms per field in Swedish, English and Dutch, as normalizeLabel writes them. */
const FIELD_SYNONYMS: Record<Field, readonly string[]> = {
  id: [
    'id',
    'nr',
    'nummer',
    'krav id',
    'kravid',
    'kravnr',
    'kravnummer',
    'req id',
    'requirement id',
    'question id',
    'ref id',
    '#',
  ],
  text: [
    'krav',
    'kravtext',
    'kravbeskrivning',
    'beskrivning',
    'fråga',
    'requirement',
    'requirements',
    'question',
    'questions',
    'description',
    'criteria',
    'criterion',
    'omschrijving',
    'eis',
    'vraag',
  ],
  answer: [
    'uppfyllt',
    'uppfylls',
    'kravet uppfylls',
    'uppfyller',
    'uppfyller kravet',
    'svar',
    'status',
    'compliant',
    'answer',
    'answers',
    'response',
    'conformance level',
    'supporting features',
    'antwoord',
  ],
  comment: [
    'kommentar',
    'kommentarer',
    'motivering',
    'åtgärdsplan',
    'comment',
    'comments',
    'notes',
    'remarks',
    'explanation',
    'additional information',
    'implementation description',
    'toelichting',
    'opmerking',
  ],
  area: ['område', 'kravområde', 'del', 'kategori', 'area', 'domain', 'section', 'category'],
  attachment: ['bilaga', 'bilagor', 'referens', 'attachment', 'attachments', 'evidence', 'reference'],
};

interface HeaderCellMatch {
  field: Field;
  exact: boolean;
  /** Ranks competing columns for one field: exact beats partial, longer synonyms beat shorter. */
  strength: number;
  /** True when the synonym is the label's last word, which is usually its head noun. */
  endsLabel: boolean;
}

/** A header cell longer than this is a sentence, not a column label. */
const MAX_HEADER_TOKENS = 8;
const MAX_HEADER_LENGTH = 80;

/**
 * Returns the field a header cell names, or null. Exact matches rank above partial ones.
 * A parenthesised note is ignored, so 'Uppfyllt (Ja/Nej)' is an exact match.
 */
export function matchHeaderCell(text: string): HeaderCellMatch | null {
  if (text.length > MAX_HEADER_LENGTH) return null;
  const withoutNotes = text.replace(/\([^)]*\)/g, ' ').trim();
  return matchLabel(withoutNotes === '' ? text : withoutNotes);
}

interface Synonym {
  field: Field;
  text: string;
  tokens: string[];
  compact: string;
}

const SYNONYMS: readonly Synonym[] = FIELDS.flatMap((field) =>
  FIELD_SYNONYMS[field].map((text) => ({ field, text, tokens: text.split(' '), compact: text.replaceAll(' ', '') })),
);

/**
 * Every token of every synonym, and every synonym without spaces. A label without any of these
 * tokens, and not equal to one of the compact forms, matches no synonym. That rules out most
 * cells of a large sheet before the loop over all synonyms.
 */
const SYNONYM_TOKENS = new Set(SYNONYMS.flatMap((synonym) => synonym.tokens));
const SYNONYM_COMPACTS = new Set(SYNONYMS.map((synonym) => synonym.compact));

function matchLabel(text: string): HeaderCellMatch | null {
  const tokens = labelTokens(text);
  if (tokens.length === 0 || tokens.length > MAX_HEADER_TOKENS) return null;

  const label = { tokens, joined: tokens.join(' '), compact: tokens.join('') };
  if (!tokens.some((token) => SYNONYM_TOKENS.has(token)) && !SYNONYM_COMPACTS.has(label.compact)) return null;
  let best: HeaderCellMatch | null = null;
  for (const synonym of SYNONYMS) {
    const match = matchSynonym(label, synonym);
    if (match && (!best || match.strength > best.strength)) best = match;
  }
  return best;
}

const EXACT_STRENGTH = 1000;
/** Added when the synonym ends the label: 'Requirement Area' is an area, not a requirement. */
const HEAD_NOUN_BONUS = 50;

function matchSynonym(
  label: { tokens: string[]; joined: string; compact: string },
  synonym: Synonym,
): HeaderCellMatch | null {
  const { field } = synonym;
  if (label.joined === synonym.text || label.compact === synonym.compact) {
    return { field, exact: true, strength: EXACT_STRENGTH + synonym.text.length, endsLabel: true };
  }

  const start = findTokenRun(label.tokens, synonym.tokens);
  if (start < 0) return null;
  const endsLabel = start + synonym.tokens.length === label.tokens.length;
  const extraTokens = label.tokens.length - synonym.tokens.length;
  const strength = 100 * synonym.tokens.length + (endsLabel ? HEAD_NOUN_BONUS : 0) - extraTokens;
  return { field, exact: false, strength, endsLabel };
}

/** A column whose header is an answer word, so that a mark in its cell gives that answer. */
export interface MarkColumn {
  column: number;
  answer: Answer;
  header: string;
}

export interface ColumnMap {
  /** Zero-based column index per field. */
  fields: Partial<Record<Field, number>>;
  /** Columns of X marks (Ja | Nej | Delvis ...), empty when answers are written out. */
  markColumns: MarkColumn[];
  /** The group label over `markColumns` when the header has several groups of X-mark columns. */
  markGroup: string | null;
  /**
   * X-mark columns of the other groups, such as the municipality's 'Ja | Nej' beside the supplier's.
   * The reader compares their marks with the answer it reads and never takes them.
   */
  otherMarkGroups: { label: string; markColumns: MarkColumn[] }[];
  /** Header text per field, as the report shows it. */
  headerTexts: Partial<Record<Field, string>>;
  /**
   * Answer columns besides the one in `fields.answer`, such as the municipality's answer beside the
   * supplier's. The reader compares their answers with the answer it reads and never takes them.
   */
  otherAnswerColumns: number[];
}

export interface HeaderBlock {
  /** Index in grid.rows of the first header row. */
  first: number;
  /** Index in grid.rows of the last header row, larger than `first` for two-level headers. */
  last: number;
  columns: ColumnMap;
  /** True when no header names the requirement text and the reader must find it by content. */
  textByContent: boolean;
  /** The header cell texts of every column, for recognising repeated header rows. */
  cellTexts: string[];
  /** Three points per exact label and two per partial one, to rank competing header rows. */
  score: number;
}

/** Rows below a group label that may hold the answer sub-labels of a two-level header. */
const SUB_LABEL_ROWS = 2;

/**
 * Returns the header block that starts at grid row `index`, or null when the row is not
 * a requirement-table header. A header needs a requirement-text column and an answer
 * column or several X-mark columns. A header without a text column is accepted, with
 * `textByContent` set, when it has an answer column and another known column.
 */
export function readHeaderBlock(rows: readonly GridRow[], index: number): HeaderBlock | null {
  const row = rows[index];
  if (!row) return null;
  const cellTexts = [...row.cells];
  const matches = row.cells.map((_, column) => matchLabelCell(row.cells, column));
  const numberColumn = findNumberLabelColumn(row.cells);
  if (numberColumn !== null) matches[numberColumn] = NUMBER_LABEL_MATCH;
  let last = index;
  let markGroups: MarkGroups = { markColumns: findMarkColumns(row.cells), markGroup: null, otherMarkGroups: [] };

  if (markGroups.markColumns.length === 0) {
    const subLabels = findSubLabelRow(rows, index, matches);
    if (subLabels) {
      last = subLabels.index;
      mergeSubLabels(rows[subLabels.index]!, matches, cellTexts, subLabels.markColumns);
      markGroups = splitMarkGroups(row.cells, subLabels.markColumns);
    }
  }
  return buildHeaderBlock(index, last, matches, markGroups, cellTexts);
}

type MarkGroups = Pick<ColumnMap, 'markColumns' | 'markGroup' | 'otherMarkGroups'>;

/**
 * Splits X-mark columns by the answer labels of the group row above them, as 'Leverantörens svar'
 * and 'Kommunens svar' each over their own 'Ja | Nej | Delvis'. The supplier's group gives the
 * answer, by the rule that chooseAnswerColumn applies to written answer columns. The columns stay
 * one group unless every one of them lies under an answer label and there are two labels or more.
 */
function splitMarkGroups(groupCells: readonly string[], markColumns: MarkColumn[]): MarkGroups {
  const single: MarkGroups = { markColumns, markGroup: null, otherMarkGroups: [] };
  const groups = new Map<string, { label: string; column: number; markColumns: MarkColumn[] }>();
  const labels = findGroupLabels(groupCells, markColumns);
  for (const [position, mark] of markColumns.entries()) {
    const label = labels[position]!;
    if (matchHeaderCell(label)?.field !== 'answer') return single;
    const key = normalizeLabel(label);
    const group = groups.get(key) ?? { label, column: mark.column, markColumns: [] };
    group.markColumns.push(mark);
    groups.set(key, group);
  }
  if (groups.size < 2) return single;

  const groupList = [...groups.values()];
  const labelCells = groupList.map((group) => group.label);
  const labelColumns = groupList.map((_, position) => position);
  const strongest = strongestAnswerLabel(labelCells);
  const chosen = groupList[chooseAnswerColumn(labelColumns, labelCells, strongest)]!;
  return {
    markColumns: chosen.markColumns,
    markGroup: chosen.label,
    otherMarkGroups: groupList
      .filter((group) => group !== chosen)
      .map((group) => ({ label: group.label, markColumns: group.markColumns })),
  };
}

/**
 * Returns the group label over each X-mark column. A label that is not merged across its group
 * is written over the group's first column only, so an empty cell takes the label of the X-mark
 * column just left of it. A group thus runs from its label up to the next label or to the first
 * column that is not an X-mark column.
 */
function findGroupLabels(groupCells: readonly string[], markColumns: readonly MarkColumn[]): string[] {
  const labels: string[] = [];
  markColumns.forEach((mark, position) => {
    const own = (groupCells[mark.column] ?? '').trim();
    const previous = markColumns[position - 1];
    const continuesGroup = own === '' && previous !== undefined && previous.column === mark.column - 1;
    labels.push(continuesGroup ? labels[position - 1]! : own);
  });
  return labels;
}

/** Returns the position of the strongest answer label, the leftmost on a tie. */
function strongestAnswerLabel(labels: readonly string[]): number {
  let best = 0;
  let bestStrength = -Infinity;
  labels.forEach((label, position) => {
    const strength = matchHeaderCell(label)?.strength ?? -Infinity;
    if (strength > bestStrength) {
      best = position;
      bestStrength = strength;
    }
  });
  return best;
}

/**
 * English labels of the number column that normalise to the answer word 'No'. The id synonyms
 * leave them out, because in 'Yes | No' they are answers.
 */
const AMBIGUOUS_NUMBER_LABELS = new Set(['no']);
const NUMBER_LABEL_MATCH: HeaderCellMatch = { field: 'id', exact: true, strength: EXACT_STRENGTH + 2, endsLabel: true };

/**
 * Returns the column of a 'No' or 'No.' label that names the number column, or null. Such a label
 * is the number column when it is the only answer word left of the requirement text label, as in
 * 'No | Requirement | Yes | No', and an answer everywhere else.
 */
function findNumberLabelColumn(cells: readonly string[]): number | null {
  if (!cells.some((text) => AMBIGUOUS_NUMBER_LABELS.has(normalizeLabel(text)))) return null;
  const answerWordColumns: number[] = [];
  for (const [column, text] of cells.entries()) {
    if (matchHeaderCell(text)?.field === 'text') {
      if (answerWordColumns.length !== 1) return null;
      const candidate = answerWordColumns[0]!;
      return AMBIGUOUS_NUMBER_LABELS.has(normalizeLabel(cells[candidate]!)) ? candidate : null;
    }
    if (answerNamedByHeader(text)) answerWordColumns.push(column);
  }
  return null;
}

/**
 * Matches one header cell. A partial match in a text that also fills a neighbouring cell is
 * dropped, because such a text is a title merged across columns ('Vendor Response') rather
 * than a column label.
 */
function matchLabelCell(cells: readonly string[], column: number): HeaderCellMatch | null {
  const text = cells[column] ?? '';
  const match = matchHeaderCell(text);
  if (!match || match.exact) return match;
  const spansColumns = cells[column - 1] === text || cells[column + 1] === text;
  return spansColumns ? null : match;
}

function buildHeaderBlock(
  first: number,
  last: number,
  matches: (HeaderCellMatch | null)[],
  markGroups: MarkGroups,
  cellTexts: string[],
): HeaderBlock | null {
  let { markColumns } = markGroups;
  const otherMarkColumns = markGroups.otherMarkGroups.flatMap((group) => group.markColumns);
  const markColumnSet = new Set([...markColumns, ...otherMarkColumns].map((mark) => mark.column));
  const fields = assignFields(matches, markColumnSet);
  const answerColumns = findAnswerLabelColumns(matches, markColumnSet);
  if (answerColumns.length > 1) fields.answer = chooseAnswerColumn(answerColumns, cellTexts, fields.answer!);
  const otherAnswerColumns = answerColumns.filter((column) => column !== fields.answer);
  const singleAnswerColumn = findSingleAnswerWordColumn(cellTexts, fields, markColumns);
  if (singleAnswerColumn) markColumns = [singleAnswerColumn];

  const hasAnswer = fields.answer !== undefined || markColumns.length > 0;
  if (!hasAnswer) return null;
  const otherFields = (['id', 'comment', 'area', 'attachment'] as const).filter((field) => fields[field] !== undefined);
  if (singleAnswerColumn && otherFields.length < 2) return null;

  const textByContent = fields.text === undefined;
  if (textByContent && !isConvincingWithoutText(matches, fields, otherFields)) return null;

  const headerTexts: Partial<Record<Field, string>> = {};
  let score = 0;
  for (const field of FIELDS) {
    const column = fields[field];
    if (column === undefined) continue;
    headerTexts[field] = cellTexts[column] ?? '';
    score += matches[column]?.exact ? 3 : 2;
  }
  if (markColumns.length > 0) {
    headerTexts.answer = markColumns.map((mark) => mark.header).join(' | ');
    score += 3;
  }
  const { markGroup, otherMarkGroups } = markGroups;
  const columns = { fields, markColumns, markGroup, otherMarkGroups, headerTexts, otherAnswerColumns };
  return { first, last, columns, textByContent, cellTexts, score };
}

/**
 * Accepts a header without a text column only when its answer label is exact or ends with
 * the answer word ('Vendor Answers') and another column label matches exactly, because
 * data rows can contain such words by chance.
 */
function isConvincingWithoutText(
  matches: (HeaderCellMatch | null)[],
  fields: Partial<Record<Field, number>>,
  otherFields: readonly Field[],
): boolean {
  const answerMatch = fields.answer === undefined ? null : matches[fields.answer];
  const answerIsLabel = answerMatch === null || answerMatch === undefined || answerMatch.exact || answerMatch.endsLabel;
  return answerIsLabel && otherFields.some((field) => matches[fields[field]!]?.exact);
}

/** Picks one column per field: the strongest match, the leftmost on a tie. */
function assignFields(matches: (HeaderCellMatch | null)[], markColumns: Set<number>): Partial<Record<Field, number>> {
  const fields: Partial<Record<Field, number>> = {};
  const bestStrength: Partial<Record<Field, number>> = {};
  matches.forEach((match, column) => {
    if (!match || markColumns.has(column)) return;
    const current = bestStrength[match.field];
    if (current === undefined || match.strength > current) {
      fields[match.field] = column;
      bestStrength[match.field] = match.strength;
    }
  });
  return fields;
}

/** Label words that name the supplier, as labelTokens writes them. */
const SUPPLIER_WORDS = new Set([
  'leverantör',
  'leverantörens',
  'leverantörs',
  'supplier',
  'suppliers',
  'vendor',
  'vendors',
  'leverancier',
]);

/** Returns the columns whose labels name the answer field, leaving out X-mark columns. */
function findAnswerLabelColumns(matches: readonly (HeaderCellMatch | null)[], markColumns: Set<number>): number[] {
  const columns: number[] = [];
  matches.forEach((match, column) => {
    if (match?.field === 'answer' && !markColumns.has(column)) columns.push(column);
  });
  return columns;
}

/**
 * Picks the answer column of a header with several, such as 'Leverantörens svar | Kommunens svar'.
 * The one column whose label names the supplier decides, because a declaration states what the
 * supplier's system does. Without exactly one such column, `strongest`, the column that the best
 * label match gives, decides.
 */
function chooseAnswerColumn(answerColumns: readonly number[], cellTexts: readonly string[], strongest: number): number {
  const supplierColumns = answerColumns.filter((column) =>
    labelTokens(cellTexts[column] ?? '').some((token) => SUPPLIER_WORDS.has(token)),
  );
  return supplierColumns.length === 1 ? supplierColumns[0]! : strongest;
}

/** Returns the columns whose headers are answer words, when they name at least two answers. */
export function findMarkColumns(cells: readonly string[]): MarkColumn[] {
  const numberColumn = findNumberLabelColumn(cells);
  const marks: MarkColumn[] = [];
  cells.forEach((text, column) => {
    if (column === numberColumn) return;
    const answer = answerNamedByHeader(text);
    if (answer && answer !== 'unanswered') marks.push({ column, answer, header: text.trim() });
  });
  const distinctAnswers = new Set(marks.map((mark) => mark.answer));
  return distinctAnswers.size >= 2 ? marks : [];
}

/**
 * Finds a lone answer-word header, such as 'Valid' or 'Uppfyllt', when no answer synonym
 * was found. Its cells may hold answer words, or marks that mean the header's answer.
 */
function findSingleAnswerWordColumn(
  cellTexts: readonly string[],
  fields: Partial<Record<Field, number>>,
  markColumns: readonly MarkColumn[],
): MarkColumn | null {
  if (fields.answer !== undefined || markColumns.length > 0) return null;
  const candidates: MarkColumn[] = [];
  cellTexts.forEach((text, column) => {
    if (column === fields.id) return;
    const answer = answerNamedByHeader(text);
    if (answer && answer !== 'unanswered') candidates.push({ column, answer, header: text.trim() });
  });
  return candidates.length === 1 ? candidates[0]! : null;
}

function findSubLabelRow(
  rows: readonly GridRow[],
  index: number,
  groupMatches: readonly (HeaderCellMatch | null)[],
): { index: number; markColumns: MarkColumn[] } | null {
  const start = rows[index]!;
  for (let offset = 1; offset <= SUB_LABEL_ROWS; offset++) {
    const candidate = rows[index + offset];
    if (!candidate || !isWithinRows(start, candidate, SUB_LABEL_ROWS)) return null;
    if (candidate.cells.some((text) => text.length > MAX_HEADER_LENGTH)) return null;
    // Sub-labels sit above the first requirement row, so a row of data ends the search. Answer
    // words under the requirement or comment label are data, such as a requirement text 'Ja'.
    if (fillsLabelledColumn(start.cells, groupMatches, candidate.cells)) return null;
    const markColumns = findMarkColumns(candidate.cells);
    if (markColumns.length === 0) continue;
    if (liesUnderSeparateAnswerLabels(start.cells, groupMatches, markColumns)) return null;
    // A line such as 'Svar | Markera med X' above 'Nr | Krav | Ja | Nej' is no group row, because
    // its label would hide the column label below it and the table would lose its id column.
    if (hidesColumnLabels(start.cells, groupMatches, candidate.cells, markColumns)) return null;
    // Cover lines above the answer labels belong to the cover, not to the header.
    const coverAbove = rows.slice(index, index + offset).some((row) => isCoverLine(row.cells));
    return coverAbove ? null : { index: index + offset, markColumns };
  }
  return null;
}

/**
 * Tells whether a row below a header row has text of its own under an id, text, comment, area or
 * attachment label, as a requirement row has. A row of sub-labels leaves those cells empty,
 * repeats the label of a cell merged down, or contains another column label.
 */
function fillsLabelledColumn(
  labels: readonly string[],
  labelMatches: readonly (HeaderCellMatch | null)[],
  cells: readonly string[],
): boolean {
  return cells.some((text, column) => {
    const field = labelMatches[column]?.field;
    if (text === '' || field === undefined || field === 'answer') return false;
    if (normalizeLabel(text) === normalizeLabel(labels[column] ?? '')) return false;
    return matchHeaderCell(text) === null;
  });
}

/**
 * Tells whether answer words lie under two or more different answer labels, as 'Ja' under
 * 'Leverantörens svar' and 'Nej' under 'Kommunens svar' do. Each such label heads an answer column
 * of its own, so the words are the answers of a requirement row, not the sub-labels of one group.
 */
function liesUnderSeparateAnswerLabels(
  labels: readonly string[],
  labelMatches: readonly (HeaderCellMatch | null)[],
  markColumns: readonly MarkColumn[],
): boolean {
  // Answer words under empty cells right of a label, as 'Ja | Nej | Delvis' under a 'Leverantörens
  // svar' that is written over the first of them only, are the sub-labels of that label's group.
  const groupLabels = findGroupLabels(labels, markColumns);
  const spansGroups = markColumns.some(
    (mark, position) => (labels[mark.column] ?? '').trim() === '' && groupLabels[position] !== '',
  );
  if (spansGroups) return false;
  const answerLabels = new Set(
    markColumns
      .filter((mark) => labelMatches[mark.column]?.field === 'answer')
      .map((mark) => normalizeLabel(labels[mark.column] ?? '')),
  );
  return answerLabels.size >= 2;
}

/**
 * Tells whether a row above a header row has a label of one field over a label of another field,
 * as 'Svar' over 'Nr' is. A group row leaves the cells above the column labels empty, repeats
 * them as a merged cell does, or spreads a group title over the X-mark columns and beyond them.
 */
function hidesColumnLabels(
  labels: readonly string[],
  labelMatches: readonly (HeaderCellMatch | null)[],
  cells: readonly string[],
  markColumns: readonly MarkColumn[],
): boolean {
  const markColumnSet = new Set(markColumns.map((mark) => mark.column));
  const groupTitles = new Set(markColumns.map((mark) => normalizeLabel(labels[mark.column] ?? '')));
  return cells.some((text, column) => {
    const upper = labelMatches[column];
    if (text === '' || !upper || markColumnSet.has(column)) return false;
    if (groupTitles.has(normalizeLabel(labels[column] ?? ''))) return false;
    const lower = matchHeaderCell(text);
    return lower !== null && lower.field !== upper.field;
  });
}

/**
 * Returns true when a row above an X-mark header is a cover line, such as 'Leverantör | Exempel AB',
 * rather than a group title of the header. Such a row has a cover label with a value and no
 * exact column label, so 'Nr | Krav | Uppfyllt | Datum | Ansvarig' stays a header row although
 * 'Datum' is a cover label.
 */
function isCoverLine(cells: readonly string[]): boolean {
  if (cells.some((text) => matchHeaderCell(text)?.exact)) return false;
  return findLabelledValues(cells, false).length > 0;
}

/** Checks the sheet row distance, because a sheet's grid leaves out blank rows. */
function isWithinRows(upper: GridRow, lower: GridRow, maxDistance: number): boolean {
  if (upper.source.kind === 'sheet' && lower.source.kind === 'sheet') {
    return lower.source.row - upper.source.row <= maxDistance;
  }
  return true;
}

/** Fills the columns that the group-label row leaves unnamed with the sub-label row's names. */
function mergeSubLabels(
  subRow: GridRow,
  matches: (HeaderCellMatch | null)[],
  cellTexts: string[],
  markColumns: readonly MarkColumn[],
): void {
  for (const mark of markColumns) {
    matches[mark.column] = null;
    cellTexts[mark.column] = mark.header;
  }
  subRow.cells.forEach((text, column) => {
    if (matches[column] || text === '' || markColumns.some((mark) => mark.column === column)) return;
    const match = matchHeaderCell(text);
    if (!match) return;
    matches[column] = match;
    cellTexts[column] = text;
  });
}

/**
 * Returns true when a row repeats the table's header, as at PDF page breaks or at the start
 * of each section in some templates: at least two non-empty cells equal the header cells
 * in the same columns.
 */
export function repeatsHeader(row: GridRow, header: HeaderBlock): boolean {
  let equalCells = 0;
  row.cells.forEach((text, column) => {
    if (text === '') return;
    const headerText = header.cellTexts[column];
    if (headerText && normalizeLabel(headerText) === normalizeLabel(text)) equalCells++;
  });
  return equalCells >= 2;
}

/**
 * Returns true when a header row restates the table's header: each field it names sits in
 * the same column as in the table's header, and the answer columns are the same. A restated
 * header may leave out a label, as when a section title takes the place of 'ID'.
 */
export function isRepeatedHeader(tableColumns: ColumnMap, candidate: ColumnMap): boolean {
  for (const field of FIELDS) {
    const column = candidate.fields[field];
    if (column !== undefined && tableColumns.fields[field] !== column) return false;
  }
  const marksA = tableColumns.markColumns.map((mark) => `${mark.column}:${mark.answer}`).join(',');
  const marksB = candidate.markColumns.map((mark) => `${mark.column}:${mark.answer}`).join(',');
  return marksA === marksB;
}
