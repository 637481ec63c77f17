/**
 * Test support: builds small .xlsx workbooks in memory with exceljs, so that parser tests
 * describe each layout next to their assertions instead of relying on fixture files.
 */

import ExcelJS from 'exceljs';

export interface SheetSpec {
  name: string;
  /** Rows from `firstRow` down. An undefined or null value leaves a cell empty, and [] a row. */
  rows: (ExcelJS.CellValue | undefined)[][];
  /** Excel row number of rows[0], 1 when left out. */
  firstRow?: number;
  /** Ranges such as 'A2:A5', merged after the values are written. */
  merges?: string[];
  hidden?: boolean;
  /** Excel row numbers to hide. */
  hiddenRows?: number[];
}

/** Writes the sheets to .xlsx bytes. */
export async function buildWorkbook(sheets: readonly SheetSpec[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const spec of sheets) addSheet(workbook, spec);
  const buffer = await workbook.xlsx.writeBuffer();
  return new Uint8Array(buffer as ArrayBuffer);
}

function addSheet(workbook: ExcelJS.Workbook, spec: SheetSpec): void {
  const worksheet = workbook.addWorksheet(spec.name, { state: spec.hidden ? 'hidden' : 'visible' });
  const firstRow = spec.firstRow ?? 1;
  spec.rows.forEach((values, offset) => {
    const row = worksheet.getRow(firstRow + offset);
    values.forEach((value, column) => {
      if (value !== undefined && value !== null) row.getCell(column + 1).value = value;
    });
  });
  for (const range of spec.merges ?? []) worksheet.mergeCells(range);
  for (const rowNumber of spec.hiddenRows ?? []) worksheet.getRow(rowNumber).hidden = true;
}
