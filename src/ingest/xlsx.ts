/** Reading of .xlsx workbooks into grids, one grid per worksheet. */

import ExcelJS from 'exceljs';
import { DeclarationFileError } from '../errors.ts';
import { cellValueToText } from './cell-text.ts';
import type { Grid, GridRow } from './model.ts';

/**
 * Reads every worksheet of an .xlsx workbook into a grid of cell texts.
 * A grid holds only the rows that contain text, so the row numbers in `source` may skip
 * blank rows. Throws DeclarationFileError 'truncated-file' or 'corrupt-file' when exceljs
 * cannot read the file.
 */
export async function workbookToGrids(bytes: Uint8Array, fileName: string): Promise<Grid[]> {
  const workbook = await loadWorkbook(bytes, fileName);
  if (workbook.worksheets.length === 0) {
    throw new DeclarationFileError(
      'corrupt-file',
      `The workbook '${fileName}' contains no worksheets, so parts of the file are missing. ` +
        'Open it in Excel, save it again as .xlsx and upload it again.',
    );
  }
  return workbook.worksheets.map(worksheetToGrid);
}

async function loadWorkbook(bytes: Uint8Array, fileName: string): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  try {
    // exceljs 4.4 declares load(buffer: Buffer) with its own global `Buffer extends ArrayBuffer`,
    // which the Node Buffer type of @types/node 20 does not satisfy, although it works at run time.
    await workbook.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw loadError(error, fileName);
  }
  return workbook;
}

function loadError(error: unknown, fileName: string): DeclarationFileError {
  const reason = error instanceof Error ? error.message : String(error);
  if (/end of central directory|end of data|unexpected end/i.test(reason)) {
    return new DeclarationFileError(
      'truncated-file',
      `The workbook '${fileName}' is incomplete (${reason}). ` +
        'The upload or download was probably interrupted. Upload the complete file again.',
      { cause: error },
    );
  }
  return new DeclarationFileError(
    'corrupt-file',
    `The workbook '${fileName}' is damaged and cannot be read (${reason}). ` +
      'Open it in Excel, save it again as .xlsx and upload it again.',
    { cause: error },
  );
}

function worksheetToGrid(worksheet: ExcelJS.Worksheet): Grid {
  const masterTexts = new Map<string, string>();
  const rows: GridRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const gridRow = readRow(worksheet.name, row, rowNumber, masterTexts);
    if (gridRow) rows.push(gridRow);
  });

  const grid: Grid = { name: worksheet.name, kind: 'sheet', rows };
  if (worksheet.state !== 'visible') grid.hidden = true;
  return grid;
}

/** Returns the row's cell texts, or null when no cell of the row contains text. */
function readRow(
  sheet: string,
  row: ExcelJS.Row,
  rowNumber: number,
  masterTexts: Map<string, string>,
): GridRow | null {
  const cells: string[] = [];
  const mergedFromAbove: number[] = [];
  let hasText = false;

  row.eachCell({ includeEmpty: false }, (cell, columnNumber) => {
    const column = columnNumber - 1;
    const master = cell.master;
    const text = master === cell ? cellValueToText(cell.value) : mergedText(master, masterTexts);
    cells[column] = text;
    if (text === '') return;
    hasText = true;
    if (master !== cell && Number(master.row) < rowNumber) mergedFromAbove.push(column);
  });
  if (!hasText) return null;

  const gridRow: GridRow = {
    cells: Array.from(cells, (text) => text ?? ''),
    source: { kind: 'sheet', sheet, row: rowNumber },
  };
  if (mergedFromAbove.length > 0) gridRow.mergedFromAbove = mergedFromAbove;
  if (row.hidden) gridRow.hidden = true;
  return gridRow;
}

/** Returns the text of a merged range's master cell, converted once per range. */
function mergedText(master: ExcelJS.Cell, masterTexts: Map<string, string>): string {
  const cached = masterTexts.get(master.address);
  if (cached !== undefined) return cached;
  const text = cellValueToText(master.value);
  masterTexts.set(master.address, text);
  return text;
}
