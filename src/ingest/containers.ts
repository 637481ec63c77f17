/**
 * Just enough of the ZIP and Compound File Binary (OLE) layouts to tell an .xlsx from other
 * ZIP files and a password-protected workbook from an old .xls, without unpacking anything.
 */

const ZIP_END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY = 0x06064b50;
const ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR = 0x07064b50;
const ZIP_CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** The header id of the ZIP64 extended information extra field. */
const ZIP64_EXTRA_FIELD_ID = 0x0001;
/** The value of a 32-bit size or offset field whose real value is in a ZIP64 field. */
export const ZIP64_MARKER = 0xffffffff;
const ZIP_END_RECORD_MIN_SIZE = 22;
const ZIP_MAX_COMMENT_SIZE = 0xffff;

export type ZipListing =
  | { kind: 'listed'; names: string[] }
  | { kind: 'no-end-record' }
  | { kind: 'central-directory-out-of-range' };

/**
 * Lists the entry names from a ZIP file's central directory.
 * The end-of-central-directory record sits in the last 22 to 65,557 bytes, so a file cut short
 * in transfer loses it and yields 'no-end-record'.
 */
export function listZipEntries(bytes: Uint8Array): ZipListing {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const endOffset = findEndOfCentralDirectory(view);
  if (endOffset < 0) return { kind: 'no-end-record' };

  const entryCount = view.getUint16(endOffset + 10, true);
  const directorySize = view.getUint32(endOffset + 12, true);
  const directoryOffset = view.getUint32(endOffset + 16, true);
  if (directoryOffset === 0xffffffff || entryCount === 0xffff) {
    // ZIP64 archives keep the real values elsewhere, so searching for the well-known names is enough here.
    return { kind: 'listed', names: findNamesBySearch(bytes) };
  }
  if (directoryOffset + directorySize > endOffset) return { kind: 'central-directory-out-of-range' };

  return { kind: 'listed', names: readCentralDirectoryNames(view, directoryOffset, entryCount) };
}

/** Tells whether a ZIP file still has its end-of-central-directory record, which a cut-short transfer loses. */
export function hasZipEndRecord(bytes: Uint8Array): boolean {
  return findEndOfCentralDirectory(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) >= 0;
}

/**
 * Returns the unpacked size of the central directory entry at `entryIndex` (0-based, in
 * directory order), or null when the directory or the entry cannot be read. A 32-bit size of
 * 0xFFFFFFFF means that the size is in the entry's ZIP64 extended information extra field, whose
 * first 8 bytes then contain it.
 */
export function readZipEntryOriginalSize(bytes: Uint8Array, entryIndex: number): number | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = findCentralDirectoryStart(view);
  if (offset < 0) return null;
  for (let entry = 0; entry <= entryIndex; entry++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== ZIP_CENTRAL_DIRECTORY_ENTRY) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    if (entry === entryIndex) {
      const size = view.getUint32(offset + 24, true);
      if (size !== ZIP64_MARKER) return size;
      return readZip64OriginalSize(view, offset + 46 + nameLength, extraLength);
    }
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return null;
}

/** Returns the offset of the central directory, taken from the ZIP64 end record when the archive has one, or -1. */
function findCentralDirectoryStart(view: DataView): number {
  const endOffset = findEndOfCentralDirectory(view);
  if (endOffset < 0) return -1;
  const locator = endOffset - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_END_OF_CENTRAL_DIRECTORY_LOCATOR) {
    const zip64End = Number(view.getBigUint64(locator + 8, true));
    if (zip64End + 56 <= view.byteLength && view.getUint32(zip64End, true) === ZIP64_END_OF_CENTRAL_DIRECTORY) {
      return Number(view.getBigUint64(zip64End + 48, true));
    }
  }
  return view.getUint32(endOffset + 16, true);
}

/** Reads the original size from the ZIP64 extra field among the extra fields at `start`, or returns null. */
function readZip64OriginalSize(view: DataView, start: number, length: number): number | null {
  const end = Math.min(start + length, view.byteLength);
  for (let offset = start; offset + 4 <= end; offset += 4 + view.getUint16(offset + 2, true)) {
    if (view.getUint16(offset, true) !== ZIP64_EXTRA_FIELD_ID) continue;
    if (view.getUint16(offset + 2, true) < 8 || offset + 12 > end) return null;
    return Number(view.getBigUint64(offset + 4, true));
  }
  return null;
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - ZIP_END_RECORD_MIN_SIZE - ZIP_MAX_COMMENT_SIZE);
  for (let offset = view.byteLength - ZIP_END_RECORD_MIN_SIZE; offset >= lowest; offset--) {
    if (view.getUint32(offset, true) === ZIP_END_OF_CENTRAL_DIRECTORY) return offset;
  }
  return -1;
}

function readCentralDirectoryNames(view: DataView, start: number, entryCount: number): string[] {
  const decoder = new TextDecoder('utf-8');
  const names: string[] = [];
  let offset = start;
  for (let entry = 0; entry < entryCount; entry++) {
    if (offset + 46 > view.byteLength) break;
    if (view.getUint32(offset, true) !== ZIP_CENTRAL_DIRECTORY_ENTRY) break;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const nameBytes = new Uint8Array(view.buffer, view.byteOffset + offset + 46, nameLength);
    names.push(decoder.decode(nameBytes));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

const WELL_KNOWN_PART_NAMES = [
  'xl/workbook.xml',
  'xl/workbook.bin',
  'word/document.xml',
  'ppt/presentation.xml',
  'content.xml',
];

function findNamesBySearch(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  return WELL_KNOWN_PART_NAMES.filter((name) => text.includes(name));
}

const CFB_HEADER_SIZE = 512;
const CFB_DIRECTORY_ENTRY_SIZE = 128;
const CFB_STREAM_OBJECT = 2;

/**
 * Returns the names of the streams in a Compound File Binary container.
 * It scans every 128-byte slot after the 512-byte header for a well-formed directory entry
 * instead of following the sector chains, which is enough to find the streams that mark
 * an encrypted Office document ('EncryptionInfo', 'EncryptedPackage').
 */
export function findCompoundFileStreamNames(bytes: Uint8Array): Set<string> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const names = new Set<string>();
  for (let offset = CFB_HEADER_SIZE; offset + CFB_DIRECTORY_ENTRY_SIZE <= bytes.byteLength; offset += CFB_DIRECTORY_ENTRY_SIZE) {
    const name = readDirectoryEntryName(view, offset);
    if (name !== null) names.add(name);
  }
  return names;
}

function readDirectoryEntryName(view: DataView, offset: number): string | null {
  const nameByteLength = view.getUint16(offset + 64, true);
  const objectType = view.getUint8(offset + 66);
  if (objectType !== CFB_STREAM_OBJECT) return null;
  if (nameByteLength < 4 || nameByteLength > 64 || nameByteLength % 2 !== 0) return null;

  let name = '';
  for (let index = 0; index < nameByteLength / 2 - 1; index++) {
    const code = view.getUint16(offset + index * 2, true);
    if (code < 0x20) return null;
    name += String.fromCharCode(code);
  }
  if (view.getUint16(offset + nameByteLength - 2, true) !== 0) return null;
  return name;
}
