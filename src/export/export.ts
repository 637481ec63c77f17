/**
 * Exports the deviations an actor may see as CSV or XLSX. Rows are read in pages through the
 * actor's scope and written as they are read, so an export of any size keeps one page in memory.
 */
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { Prisma, PrismaClient } from '../generated/prisma/client.ts';
import { DEVIATION_ORDER, deviationWhere } from '../api/deviation-reads.ts';
import type { Actor } from '../workflow/actor.ts';
import { csvField, neutraliseFormula } from './cells.ts';
import type { DeviationFilterQuery } from './filters.ts';
import { EXPORT_COLUMNS, EXPORT_SELECT, exportRow, type Cell, type ExportRecord } from './rows.ts';

import type { ExportFormat } from './formats.ts';

export { EXPORT_FORMATS, type ExportFormat } from './formats.ts';

export const MEDIA_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Excel's limit on the characters in one cell; longer text is cut so that the file opens without repair. */
const XLSX_MAX_CELL_LENGTH = 32_767;

export interface ExportRequest {
  actor: Actor;
  query: DeviationFilterQuery;
  /** The Swedish date, YYYY-MM-DD, that decides the overdue filter and column. */
  today: string;
  format: ExportFormat;
  /** Deviations read per query; 1000 by default. */
  pageSize?: number;
}

/** An export request with the condition that selects its rows. */
export interface PreparedExport {
  request: ExportRequest;
  where: Prisma.DeviationWhereInput;
}

/**
 * Builds the condition of the export's rows, exactly as GET /api/deviations does. It raises the
 * list's errors, such as 400 `search-too-broad`, before anything is written.
 */
export async function prepareExport(prisma: PrismaClient, request: ExportRequest): Promise<PreparedExport> {
  return { request, where: await deviationWhere(prisma, request.actor, request.query, request.today) };
}

/**
 * Writes every deviation the actor may see that matches the query to `output`, in the order of
 * GET /api/deviations, waits until `output` has finished, and returns the number of deviations.
 */
export async function exportDeviations(prisma: PrismaClient, request: ExportRequest, output: Writable): Promise<number> {
  return writeExport(prisma, await prepareExport(prisma, request), output);
}

/** Writes the rows of a prepared export to `output` as exportDeviations does, and returns their number. */
export async function writeExport(prisma: PrismaClient, prepared: PreparedExport, output: Writable): Promise<number> {
  const { request } = prepared;
  const pages = readPages(prisma, prepared);
  const count = request.format === 'csv' ? await writeCsv(pages, request, output) : await writeXlsx(pages, request, output);
  await finished(output);
  return count;
}

async function* readPages(prisma: PrismaClient, { request, where }: PreparedExport): AsyncGenerator<ExportRecord[]> {
  const pageSize = request.pageSize ?? 1000;
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.deviation.findMany({
      where,
      select: EXPORT_SELECT,
      orderBy: DEVIATION_ORDER,
      take: pageSize,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    if (page.length > 0) yield page;
    if (page.length < pageSize) return;
    cursor = page[page.length - 1]!.id;
  }
}

/** Writes RFC 4180 CSV: comma-separated, CRLF line ends, with a byte order mark so that Excel reads UTF-8. */
async function writeCsv(pages: AsyncIterable<ExportRecord[]>, request: ExportRequest, output: Writable): Promise<number> {
  const line = (cells: readonly Cell[]) => `${cells.map(csvField).join(',')}\r\n`;
  let count = 0;
  await write(output, `\uFEFF${line(EXPORT_COLUMNS)}`);
  for await (const page of pages) {
    await write(output, page.map((record) => line(exportRow(record, request.actor, request.today))).join(''));
    count += page.length;
  }
  output.end();
  return count;
}

/**
 * Writes one worksheet with ExcelJS's streaming writer. Text goes into inline rich-text cells, a
 * string cell type that spreadsheet programs never evaluate, and is neutralised as in CSV too.
 */
async function writeXlsx(pages: AsyncIterable<ExportRecord[]>, request: ExportRequest, output: Writable): Promise<number> {
  // Loaded on the first XLSX export: exceljs adds about 27 MB to a process (measured on Node.js 20),
  // and workers never export.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: output, useStyles: false, useSharedStrings: false });
  const sheet = workbook.addWorksheet('Deviations');
  sheet.addRow(EXPORT_COLUMNS.map(xlsxCell)).commit();
  let count = 0;
  for await (const page of pages) {
    for (const record of page) sheet.addRow(exportRow(record, request.actor, request.today).map(xlsxCell)).commit();
    count += page.length;
    // ExcelJS does not wait for a slow reader, so wait here before reading the next page.
    if (output.writableNeedDrain) await once(output, 'drain');
  }
  sheet.commit();
  await workbook.commit();
  return count;
}

function xlsxCell(value: Cell): ExcelJS.CellValue {
  if (typeof value !== 'string') return value;
  const text = neutraliseFormula(value);
  const cut = text.length > XLSX_MAX_CELL_LENGTH ? `${text.slice(0, XLSX_MAX_CELL_LENGTH - 1)}…` : text;
  return { richText: [{ text: cut }] };
}

async function write(output: Writable, chunk: string): Promise<void> {
  if (!output.write(chunk)) await once(output, 'drain');
}
