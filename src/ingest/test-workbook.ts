/**
 * Test support: builds small .xlsx workbooks in memory with exceljs, so that parser tests
 * describe each layout next to their assertions instead of relying on fixture files.
 */

import { crc32 } from 'node:zlib';
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

/**
 * Builds a ZIP archive with stored (uncompressed) entries. A list of name and content pairs,
 * unlike a record, can give two entries the same name.
 */
export function buildStoredZip(entries: Record<string, string> | readonly (readonly [string, string])[], encoding: BufferEncoding = 'utf8'): Uint8Array {
  const entryList = Array.isArray(entries) ? entries : Object.entries(entries);
  const localParts: Buffer[] = [];
  const centralParts: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entryList) {
    const nameBytes = Buffer.from(name, 'utf8');
    const data = Buffer.from(content, encoding);
    const checksum = crc32(data);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    localParts.push(local, nameBytes, data);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, nameBytes);

    offset += local.length + nameBytes.length + data.length;
  }
  const centralDirectory = Buffer.concat(centralParts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entryList.length, 8);
  end.writeUInt16LE(entryList.length, 10);
  end.writeUInt32LE(centralDirectory.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...localParts, centralDirectory, end]));
}
