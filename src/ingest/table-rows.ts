/**
 * Reading of the rows of one requirement table into requirement rows, with section
 * headings, numbered sub-items and the rows skipped on the way.
 */

import { findAttachmentReferences, mergeAttachments, splitAttachmentCell } from './attachments.ts';
import { interpretAnswer } from './answers.ts';
import { appendContinuation, continuesPreviousRow, opensWithItemNumber } from './continuation.ts';
import { isFormulaError } from './formula-errors.ts';
import type { ColumnMap, HeaderBlock } from './headers.ts';
import type { Grid, GridRow, RequirementRow, SourceLocation } from './model.ts';
import {
  classifyRow,
  findFirstHeaderSectionLabel,
  isClosingLine,
  readRequirementCells,
  type RequirementCells,
} from './rows.ts';
import { describeLocation, truncate } from './text.ts';
import type { ParseWarning } from './warnings.ts';

/** One table found in a grid: its header and the grid rows [start, end) below it. */
export interface TableLocation {
  header: HeaderBlock;
  columns: ColumnMap;
  start: number;
  end: number;
}

export interface TableRowsResult {
  rows: RequirementRow[];
  skipped: { source: SourceLocation; reason: string }[];
  /** Warnings with a kind such as 'unknown-answer', for a WarningLog. */
  warnings: ParseWarning[];
  /** True when the table has more than the maximum rows asked for, after which reading stopped. */
  exceedsMaximum: boolean;
}

/** 'Fyll i ...', 'Please select ...', 'Notes: ...': rows that tell the reader what to do. */
const INSTRUCTION_PATTERN =
  /^(fyll i|fyll|ange|markera|välj|svara|besvara|instruktion(er)?|anvisning(ar)?|observera|obs|please|fill in|complete the|select|mark|enter|answer each|notes?|instructions?|vul|gebruik)\b/iu;
const INSTRUCTION_MIN_LENGTH = 120;
const SPANNING_INSTRUCTION_MIN_LENGTH = 60;
const HEADING_MAX_LENGTH = 60;
const HEADING_MAX_WORDS = 8;
/** '1. Business impact analyse', '2) Loggning', 'a) Behörighet'. */
const NUMBERED_ITEM_PATTERN = /^(?:(\d{1,2})[.)]|([a-z])\))\s+\S/u;
/** Requirement rows with item numbers needed before a row without one may be the rest of a split row. */
const MIN_NUMBERED_ROWS = 3;
const NUMBERED_ROW_SHARE = 0.9;

interface ParentItem {
  id: string | null;
  areaHint: string | null;
  nextNumber: number;
}

/**
 * Reads the requirement rows of one table. `sheetArea` is the area hint of last resort. Reading
 * stops as soon as the table has more than `maxRows` requirement rows.
 */
export function readTableRows(grid: Grid, table: TableLocation, sheetArea: string | null, maxRows: number): TableRowsResult {
  const reader = new TableRowReader(grid, table, sheetArea);
  for (let index = table.start; index < table.end; index++) {
    reader.read(grid.rows[index]!);
    if (reader.rows.length > maxRows) {
      return { rows: reader.rows, skipped: reader.skipped, warnings: reader.warnings, exceedsMaximum: true };
    }
  }
  reader.finish();
  return { rows: reader.rows, skipped: reader.skipped, warnings: reader.warnings, exceedsMaximum: reader.rows.length > maxRows };
}

class TableRowReader {
  readonly rows: RequirementRow[] = [];
  readonly skipped: { source: SourceLocation; reason: string }[] = [];
  readonly warnings: ParseWarning[] = [];
  private section: string | null;
  private lastRowWasRequirement = false;
  private parent: ParentItem | null = null;
  private previousSheetRow: number;
  private pendingBlanks: GridRow[] = [];
  private hiddenRows: number[] = [];
  /** The PDF requirement row that later rows may continue, until another kind of row comes. */
  private openPdfRow: RequirementRow | null = null;
  /** The page of the open PDF row's last part, which a continuation on a later page moves on. */
  private openPdfRowPage = 0;
  private crossedPageBreak = false;
  /** Set by a closing line such as 'End of Standard', after which no row belongs to the table. */
  private ended = false;
  /** True when the header row lies inside a PDF table, so that free text around it is no table row. */
  private readonly headerInsideTable: boolean;
  /** Requirement rows without an id column, counted by whether their text opens with an item number. */
  private readonly itemNumberCounts = { numbered: 0, unnumbered: 0 };

  constructor(
    private readonly grid: Grid,
    private readonly table: TableLocation,
    private readonly sheetArea: string | null,
  ) {
    this.section = findFirstHeaderSectionLabel(table.header, table.columns);
    const lastHeaderRow = grid.rows[table.header.last]!.source;
    this.previousSheetRow = lastHeaderRow.kind === 'sheet' ? lastHeaderRow.row : 0;
    this.headerInsideTable = grid.kind === 'pdf' && !grid.rows[table.header.first]!.outsideTable;
  }

  read(row: GridRow): void {
    this.noteSkippedSheetRows(row);
    if (this.ended) {
      if (row.cells.some((cell) => cell !== '')) this.skip(row.source, 'after the end of the questionnaire');
      return;
    }
    if (row.outsideTable && this.headerInsideTable) {
      this.flushBlanks();
      this.readOutsideText(row);
      return;
    }
    const rowClass = classifyRow(row, this.table.header, this.table.columns);
    if (rowClass.kind === 'blank') {
      this.pendingBlanks.push(row);
      return;
    }
    this.flushBlanks();

    switch (rowClass.kind) {
      case 'requirement':
        this.readRequirement(row, rowClass.cells);
        return;
      case 'text-only':
        this.readTextOnly(row, rowClass.text, rowClass.column, rowClass.spansColumns);
        return;
      case 'heading':
        this.startSection(row.source, rowClass.label, 'heading row that needs no answer');
        return;
      case 'end':
        this.endTable(row.source);
        return;
      case 'repeated-header':
        this.skipPageFurniture(row.source, 'repeated header row');
        this.crossedPageBreak = true;
        this.parent = null;
        if (rowClass.sectionLabel) this.section = rowClass.sectionLabel;
        return;
      case 'skip':
        if (rowClass.reason === 'footer row') this.skipPageFurniture(row.source, rowClass.reason);
        else this.skip(row.source, rowClass.reason);
    }
  }

  finish(): void {
    if (this.hiddenRows.length === 0) return;
    const count = this.hiddenRows.length;
    const listed = this.hiddenRows.slice(0, 10).join(', ');
    const more = count > 10 ? ` and ${count - 10} more` : '';
    const rows = count === 1 ? `1 requirement row (row ${listed})` : `${count} requirement rows (rows ${listed}${more})`;
    this.addWarning(
      'hidden-rows',
      `Sheet '${this.grid.name}' hides ${rows}. Hidden rows are read like visible rows.`,
    );
  }

  /** Reports the blank rows that the sheet left out of the grid between two rows. */
  private noteSkippedSheetRows(row: GridRow): void {
    if (row.source.kind !== 'sheet') return;
    const firstBlank = this.previousSheetRow + 1;
    const lastBlank = row.source.row - 1;
    this.previousSheetRow = row.source.row;
    if (lastBlank < firstBlank) return;
    const reason = lastBlank === firstBlank ? 'blank row' : `blank rows ${firstBlank}–${lastBlank}`;
    this.skip({ kind: 'sheet', sheet: row.source.sheet, row: firstBlank }, reason);
  }

  private flushBlanks(): void {
    for (const blank of this.pendingBlanks) this.skipPageFurniture(blank.source, 'blank row');
    this.pendingBlanks = [];
  }

  /**
   * Joins a PDF row to the open requirement row above when it continues it, and returns
   * whether it did.
   */
  private continuesPdfRow(row: GridRow, cells: RequirementCells): boolean {
    if (this.grid.kind !== 'pdf' || !this.openPdfRow) return false;
    const page = row.source.kind === 'page' ? row.source.page : 0;
    const context = {
      hasIdColumn: this.table.columns.fields.id !== undefined,
      crossedPageBreak: this.crossedPageBreak,
      startsNewPage: page > this.openPdfRowPage,
      rowsOpenWithItemNumbers: this.rowsOpenWithItemNumbers(),
    };
    if (!continuesPreviousRow(this.openPdfRow, cells, context)) return false;

    const hadAnswer = this.openPdfRow.answerRaw !== null;
    const answerBefore = this.openPdfRow.answer;
    appendContinuation(this.openPdfRow, cells);
    this.openPdfRowPage = page;
    if (!hadAnswer) {
      this.warnAboutAnswer(row.source, cells);
    } else if (answerBefore !== 'unanswered' && this.openPdfRow.answer === 'unanswered') {
      this.warnAboutJoinedAnswer(this.openPdfRow, row.source);
    }
    this.crossedPageBreak = false;
    return true;
  }

  private readRequirement(row: GridRow, cells: RequirementCells): void {
    if (this.continuesPdfRow(row, cells)) return;
    const itemNumber = cells.id === '' ? numberedItem(cells.text) : null;
    if (itemNumber !== null && this.continuesNumberedItems(itemNumber)) {
      this.addNumberedItem(row, cells, itemNumber);
      return;
    }
    this.parent = null;
    this.addRequirement(row, cells, this.readRequirementId(row.source, cells.id), this.resolveArea(cells.area));
  }

  /** Returns the id cell's text as the requirement id, or null for an empty cell or a formula error. */
  private readRequirementId(source: SourceLocation, idText: string): string | null {
    if (idText === '') return null;
    if (!isFormulaError(idText)) return idText;
    this.addWarning(
      'formula-error-id',
      `The requirement id in ${describeLocation(source, this.table.columns.fields.id)} is the formula error ` +
        `'${idText}', so the requirement is read without an id.`,
    );
    return null;
  }

  private readTextOnly(row: GridRow, text: string, column: number, spansColumns: boolean): void {
    const { fields } = this.table.columns;
    const inTextColumn = column === fields.text && !spansColumns;

    if (!spansColumns && this.continuesPdfRow(row, readRequirementCells(row, this.table.columns))) return;
    const itemNumber = inTextColumn ? numberedItem(text) : null;
    if (itemNumber !== null && this.continuesNumberedItems(itemNumber)) {
      this.addNumberedItem(row, readRequirementCells(row, this.table.columns), itemNumber);
      return;
    }
    if (isInstruction(text, spansColumns, inTextColumn)) {
      this.skip(row.source, 'instruction row');
      return;
    }
    if (inTextColumn && !isShortHeading(text)) {
      this.parent = null;
      this.addRequirement(row, readRequirementCells(row, this.table.columns), null, this.resolveArea(''));
      return;
    }
    this.startSection(row.source, text);
  }

  /**
   * Reads a line of free text between the PDF tables of one requirement table, such as a
   * chapter title or a note. It can name the section of the rows below it, but it is never a
   * requirement, because the table's rows all lie inside its borders or columns.
   */
  private readOutsideText(row: GridRow): void {
    const text = row.cells.filter((cell) => cell !== '').join(' ');
    if (isClosingLine(text)) {
      this.endTable(row.source);
    } else if (isInstruction(text, false, false)) {
      this.skip(row.source, 'instruction row');
    } else if (isShortHeading(text)) {
      this.startSection(row.source, text);
    } else {
      this.skip(row.source, 'text outside the table');
    }
  }

  private endTable(source: SourceLocation): void {
    this.skip(source, 'end of the questionnaire');
    this.ended = true;
  }

  private startSection(source: SourceLocation, label: string, reason = 'section heading'): void {
    this.skip(source, reason);
    this.section = label;
    this.parent = null;
  }

  private skip(source: SourceLocation, reason: string): void {
    this.skipped.push({ source, reason });
    this.lastRowWasRequirement = false;
    this.openPdfRow = null;
  }

  /** Skips a row that a page break brings, keeping the PDF row above open for continuation. */
  private skipPageFurniture(source: SourceLocation, reason: string): void {
    const open = this.openPdfRow;
    this.skip(source, reason);
    this.openPdfRow = open;
  }

  /**
   * Decides whether a numbered row is the next item of a list: either item 1 right below an
   * unanswered requirement with an id, which then becomes the list's heading, or the item
   * after the previous one.
   */
  private continuesNumberedItems(itemNumber: number): boolean {
    if (this.parent) return itemNumber === this.parent.nextNumber;
    if (itemNumber !== 1 || !this.lastRowWasRequirement) return false;
    const heading = this.rows.at(-1);
    if (!heading || heading.answer !== 'unanswered' || heading.answerRaw !== null || !heading.requirementId) return false;

    this.rows.pop();
    this.skipped.push({ source: heading.source, reason: 'heading of the numbered items below' });
    this.parent = { id: heading.requirementId, areaHint: heading.areaHint, nextNumber: 1 };
    return true;
  }

  private addNumberedItem(row: GridRow, cells: RequirementCells, itemNumber: number): void {
    const parent = this.parent!;
    parent.nextNumber = itemNumber + 1;
    const id = parent.id === null ? null : `${parent.id}.${itemNumber}`;
    this.addRequirement(row, cells, id, cells.area !== '' ? cells.area : parent.areaHint);
  }

  /** Tells whether nearly every requirement row so far opened with an item number such as '1.2.3' or '(a)'. */
  private rowsOpenWithItemNumbers(): boolean {
    const { numbered, unnumbered } = this.itemNumberCounts;
    return numbered >= MIN_NUMBERED_ROWS && numbered >= NUMBERED_ROW_SHARE * (numbered + unnumbered);
  }

  private addRequirement(row: GridRow, cells: RequirementCells, id: string | null, areaHint: string | null): void {
    if (this.table.columns.fields.id === undefined) {
      if (opensWithItemNumber(cells.text)) this.itemNumberCounts.numbered++;
      else this.itemNumberCounts.unnumbered++;
    }
    const attachments = mergeAttachments(
      splitAttachmentCell(cells.attachment),
      findAttachmentReferences(cells.comment),
    );
    this.rows.push({
      requirementId: id,
      areaHint,
      text: cells.text,
      answer: cells.answer,
      answerRaw: cells.answerRaw,
      comment: cells.comment === '' ? null : cells.comment,
      attachments,
      source: row.source,
    });
    this.lastRowWasRequirement = true;
    this.openPdfRow = this.rows.at(-1)!;
    this.openPdfRowPage = row.source.kind === 'page' ? row.source.page : 0;
    this.crossedPageBreak = false;
    if (row.hidden && row.source.kind === 'sheet') this.hiddenRows.push(row.source.row);
    this.warnAboutAnswer(row.source, cells);
  }

  private warnAboutAnswer(source: SourceLocation, cells: RequirementCells): void {
    if (cells.unknownAnswer) {
      const { column, text } = cells.unknownAnswer;
      this.addWarning(
        'unknown-answer',
        `Unrecognised answer '${truncate(text, 60)}' in ${describeLocation(source, column)}; ` +
          'the requirement is read as unanswered.',
      );
    }
    if (cells.choicePrompt) {
      const { column, text } = cells.choicePrompt;
      this.addWarning('choice-prompt', describeChoicePrompt(text, describeLocation(source, column)));
    }
    if (cells.answerReference) {
      this.addWarning(
        'answer-reference',
        `The answer in ${describeLocation(source)} refers elsewhere ('${truncate(cells.answerReference, 60)}'); ` +
          'the requirement is read as unanswered.',
      );
    }
    if (cells.conflictingMarks) {
      this.addWarning(
        'conflicting-marks',
        `Several answers are marked in ${describeLocation(source)} (${cells.conflictingMarks.join(', ')}); ` +
          `the least favourable, '${cells.answer}', is used.`,
      );
    }
    if (cells.partlyMetRemark) {
      const { column, text, qualifier } = cells.partlyMetRemark;
      this.addWarning(
        'partly-met-remark',
        `The answer '${truncate(text, 60)}' in ${describeLocation(source, column)} is a remark that opens with ` +
          `'${qualifier}', so the requirement is read as partly met. ` +
          'Check whether it is met in full, in part or not at all.',
      );
    }
    for (const differing of cells.differingAnswers) {
      this.addWarning('differing-answers', this.describeDifferingAnswer(source, cells, differing));
    }
  }

  /** Describes an answer in another answer column that differs from the answer read from the row. */
  private describeDifferingAnswer(
    source: SourceLocation,
    cells: RequirementCells,
    differing: RequirementCells['differingAnswers'][number],
  ): string {
    const labels = this.table.header.cellTexts;
    const answerColumn = this.table.columns.fields.answer;
    const other = `${describeLocation(source, differing.column)} (${differing.label ?? labels[differing.column]})`;
    const markGroup = this.table.columns.markGroup;
    let read = describeLocation(source);
    let readFrom = markGroup === null ? 'the X-mark columns' : `the X-mark columns under '${markGroup}'`;
    if (answerColumn !== undefined) {
      read = `${describeLocation(source, answerColumn)} (${labels[answerColumn]})`;
      readFrom = `the column '${labels[answerColumn]}'`;
    }
    const readAnswer =
      cells.answerRaw === null ? `the answer in ${read}, which is empty` : `'${truncate(cells.answerRaw, 60)}' in ${read}`;
    return (
      `The answer '${truncate(differing.text, 60)}' in ${other} differs from ${readAnswer}. ` +
      `The requirement is read as '${cells.answer}' from ${readFrom}.`
    );
  }

  /**
   * Warns about the answer of a row split over two lines or pages, when the joined answer text
   * reads as unanswered although the part above gave an answer, as 'Ja /' and 'Nej' do.
   */
  private warnAboutJoinedAnswer(joined: RequirementRow, continuation: SourceLocation): void {
    const text = joined.answerRaw ?? '';
    const location = `${describeLocation(joined.source)} and ${describeLocation(continuation)}`;
    if (interpretAnswer(text) === 'unanswered') {
      this.addWarning('choice-prompt', describeChoicePrompt(text, location));
      return;
    }
    this.addWarning(
      'unknown-answer',
      `Unrecognised answer '${truncate(text, 60)}' in ${location}; the requirement is read as unanswered.`,
    );
  }

  private addWarning(kind: string, message: string): void {
    this.warnings.push({ kind, message });
  }

  private resolveArea(areaCell: string): string | null {
    // NOTE: a borderless PDF table carries no merge information, so an area cell merged down a
    // group of rows gives its text to one row only and the others fall back to the section or null.
    if (areaCell !== '') return areaCell;
    return this.section ?? this.sheetArea;
  }
}

function describeChoicePrompt(text: string, location: string): string {
  return (
    `The answer '${truncate(text, 60)}' in ${location} names more than one answer, either a choice left unfilled ` +
    'or answers that contradict each other, so the requirement is read as unanswered.'
  );
}

function numberedItem(text: string): number | null {
  const match = text.match(NUMBERED_ITEM_PATTERN);
  if (!match) return null;
  if (match[1]) return Number(match[1]);
  return match[2]!.charCodeAt(0) - 'a'.charCodeAt(0) + 1;
}

/**
 * Returns true for an instruction row: it opens with an instruction verb, ends with a colon,
 * spans merged columns with a sentence, or puts a long text outside the requirement-text column.
 */
function isInstruction(text: string, spansColumns: boolean, inTextColumn: boolean): boolean {
  if (INSTRUCTION_PATTERN.test(text) || text.endsWith(':')) return true;
  if (spansColumns) return text.length >= SPANNING_INSTRUCTION_MIN_LENGTH;
  return !inTextColumn && text.length >= INSTRUCTION_MIN_LENGTH;
}

function isShortHeading(text: string): boolean {
  if (text.length > HEADING_MAX_LENGTH || text.includes('\n')) return false;
  if (text.split(/\s+/).length > HEADING_MAX_WORDS) return false;
  return !/[.?!]$/.test(text);
}
