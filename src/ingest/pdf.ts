/**
 * Rebuilds the rows of a PDF declaration from the positions of its text, so that the table
 * reader can read a PDF exactly like a worksheet. Every table row, and every line of text
 * outside tables, becomes one GridRow located by page and line.
 */
import { DeclarationFileError } from '../errors.ts';
import { buildVocabulary, joinCellLines, type Vocabulary } from './pdf-cells.ts';
import { readPdfPages, type PageContent } from './pdf-document.ts';
import { buildFlowRows } from './pdf-flow.ts';
import { findRunningLines } from './pdf-furniture.ts';
import { groupLines, type TextLine } from './pdf-lines.ts';
import {
  findRuledTables,
  isInsideTable,
  joinContinuedTables,
  ruledTableRows,
  type RuledTable,
  type RuledTableRows,
} from './pdf-ruled.ts';
import type { PendingRow } from './pdf-rows.ts';
import type { Grid, GridRow } from './model.ts';
import { appendAll } from './arrays.ts';

/**
 * Reads a PDF into one grid named 'PDF'. Running page headers, footers and page numbers are
 * left out. Raises DeclarationFileError when the file is damaged, truncated, password-protected,
 * past one of PDF_LIMITS or has no text layer.
 */
export async function pdfToGrid(bytes: Uint8Array, fileName: string): Promise<Grid> {
  const pages = await readPdfPages(bytes, fileName);
  if (pages.every((page) => page.texts.length === 0)) {
    throw new DeclarationFileError(
      'no-text-layer',
      `The PDF ${fileName} contains no text, so it looks like a scanned image. ` +
        'Upload a PDF exported from the original document, or the Excel file.',
    );
  }
  return pagesToGrid(pages);
}

/** Rebuilds the rows of a PDF's pages into one grid named 'PDF'. */
export function pagesToGrid(pages: readonly PageContent[]): Grid {
  const pageLines = pages.map((page) => ({ page: page.page, height: page.height, lines: groupLines(page) }));
  const running = findRunningLines(pageLines);
  const bodyLines = pageLines.map((entry) => entry.lines.filter((line) => !running.has(line)));

  const ruledTables: RuledTableRows[] = [];
  const flowLines: TextLine[] = [];
  for (const [index, page] of pages.entries()) {
    const split = splitByRuledTables(page, bodyLines[index]!);
    appendAll(ruledTables, split.tables);
    appendAll(flowLines, split.flowLines);
  }
  const pending = [...joinContinuedTables(ruledTables), ...buildFlowRows(flowLines)];
  const vocabulary = buildVocabulary(pending.flatMap((row) => row.cells.flat()));
  return { name: 'PDF', kind: 'pdf', rows: toGridRows(pending, vocabulary) };
}

/** Separates a page's lines into the rows of its bordered tables and the lines outside them. */
function splitByRuledTables(
  page: PageContent,
  lines: readonly TextLine[],
): { tables: RuledTableRows[]; flowLines: TextLine[] } {
  const tables = findRuledTables(page);
  const linesByTable = new Map<RuledTable, TextLine[]>(tables.map((table) => [table, []]));
  const flowLines: TextLine[] = [];
  for (const line of lines) {
    const outside = line.texts.filter((text) => !tables.some((table) => isInsideTable(table, text)));
    for (const table of tables) {
      const inside = line.texts.filter((text) => isInsideTable(table, text));
      if (inside.length > 0) linesByTable.get(table)!.push({ ...line, texts: inside });
    }
    if (outside.length > 0) flowLines.push({ ...line, texts: outside });
  }
  const withRows = tables
    .filter((table) => linesByTable.get(table)!.length > 0)
    .map((table) => ({ table, rows: ruledTableRows(table, linesByTable.get(table)!) }));
  return { tables: withRows, flowLines };
}

function toGridRows(pending: readonly PendingRow[], vocabulary: Vocabulary): GridRow[] {
  const ordered = [...pending].sort((a, b) => a.page - b.page || a.line - b.line);
  const rows: GridRow[] = [];
  for (const row of ordered) {
    const cells = row.cells.map((lines) => joinCellLines(lines, vocabulary));
    if (cells.every((cell) => cell === '')) continue;
    const gridRow: GridRow = { cells, source: { kind: 'page', page: row.page, line: row.line } };
    if (row.mergedFromAbove && row.mergedFromAbove.length > 0) {
      gridRow.mergedFromAbove = row.mergedFromAbove;
    }
    if (row.outsideTable) gridRow.outsideTable = true;
    rows.push(gridRow);
  }
  return rows;
}
