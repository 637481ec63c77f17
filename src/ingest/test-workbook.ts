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
 * unlike a record, can give two entries the same name. For the entries named in
 * `zip64OriginalSizes`, the central directory gives the unpacked size as 0xFFFFFFFF and the
 * stated size in a ZIP64 extended information extra field, with no ZIP64 end record.
 */
export function buildStoredZip(
  entries: Record<string, string> | readonly (readonly [string, string])[],
  encoding: BufferEncoding = 'utf8',
  zip64OriginalSizes: Record<string, number> = {},
): Uint8Array {
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

    const zip64Size = zip64OriginalSizes[name];
    const extra = Buffer.alloc(zip64Size === undefined ? 0 : 12);
    if (zip64Size !== undefined) {
      extra.writeUInt16LE(0x0001, 0);
      extra.writeUInt16LE(8, 2);
      extra.writeBigUInt64LE(BigInt(zip64Size), 4);
    }

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(zip64Size === undefined ? data.length : 0xffffffff, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(offset, 42);
    centralParts.push(central, nameBytes, extra);

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

/**
 * Adds a ZIP64 end-of-central-directory record and its locator before the end record of an
 * archive without a comment, and points the end record at them as a ZIP64 archive does.
 */
export function addZip64EndRecord(archive: Uint8Array): Uint8Array {
  const bytes = Buffer.from(archive);
  const endOffset = bytes.length - 22;
  const entryCount = bytes.readUInt16LE(endOffset + 10);
  const directorySize = bytes.readUInt32LE(endOffset + 12);
  const directoryOffset = bytes.readUInt32LE(endOffset + 16);

  const zip64End = Buffer.alloc(56);
  zip64End.writeUInt32LE(0x06064b50, 0);
  zip64End.writeBigUInt64LE(44n, 4);
  zip64End.writeUInt16LE(45, 12);
  zip64End.writeUInt16LE(45, 14);
  zip64End.writeBigUInt64LE(BigInt(entryCount), 24);
  zip64End.writeBigUInt64LE(BigInt(entryCount), 32);
  zip64End.writeBigUInt64LE(BigInt(directorySize), 40);
  zip64End.writeBigUInt64LE(BigInt(directoryOffset), 48);

  const locator = Buffer.alloc(20);
  locator.writeUInt32LE(0x07064b50, 0);
  locator.writeBigUInt64LE(BigInt(endOffset), 8);
  locator.writeUInt32LE(1, 16);

  const end = Buffer.from(bytes.subarray(endOffset));
  end.writeUInt16LE(0xffff, 8);
  end.writeUInt16LE(0xffff, 10);
  end.writeUInt32LE(0xffffffff, 12);
  end.writeUInt32LE(0xffffffff, 16);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, endOffset), zip64End, locator, end]));
}
