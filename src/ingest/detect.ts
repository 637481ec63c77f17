/**
 * Format detection from a file's content. The file name is used only in messages, because
 * uploads often carry a wrong or missing extension.
 */

import { unzipSync } from 'fflate';
import { DeclarationFileError } from '../errors.ts';
import { findCompoundFileStreamNames, listZipEntries } from './containers.ts';

export type DeclarationFormat = 'xlsx' | 'pdf';

const ZIP_LOCAL_FILE_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE_SIGNATURE = [0x50, 0x4b, 0x05, 0x06];
const CFB_SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const PDF_SIGNATURE = [0x25, 0x50, 0x44, 0x46, 0x2d];
/** PDF readers accept the '%PDF-' line anywhere in the first 1024 bytes. */
const PDF_SIGNATURE_SEARCH_LENGTH = 1024;
const ENCRYPTED_PACKAGE_STREAMS = ['EncryptionInfo', 'EncryptedPackage'];

/**
 * Returns the format of a declaration file from its bytes.
 * Throws DeclarationFileError for an empty, truncated, encrypted, legacy or unknown file.
 */
export function detectFormat(bytes: Uint8Array, fileName: string): DeclarationFormat {
  if (bytes.byteLength === 0) {
    throw new DeclarationFileError(
      'empty-file',
      `The file '${fileName}' is empty (0 bytes). Upload the completed declaration again.`,
    );
  }
  if (startsWith(bytes, ZIP_LOCAL_FILE_SIGNATURE) || startsWith(bytes, ZIP_EMPTY_ARCHIVE_SIGNATURE)) {
    return detectZipFormat(bytes, fileName);
  }
  if (startsWith(bytes, CFB_SIGNATURE)) throw compoundFileError(bytes, fileName);
  if (containsPdfSignature(bytes)) return 'pdf';

  throw new DeclarationFileError(
    'unsupported-format',
    `The file '${fileName}' is neither an Excel workbook (.xlsx) nor a PDF. ` +
      'Save the declaration as .xlsx or PDF and upload it again.',
  );
}

function detectZipFormat(bytes: Uint8Array, fileName: string): DeclarationFormat {
  const listing = listZipEntries(bytes);
  if (listing.kind !== 'listed') {
    throw new DeclarationFileError(
      'truncated-file',
      `The file '${fileName}' is incomplete: its ZIP directory is missing or cut short, ` +
        'which usually means the upload or download was interrupted. Upload the complete file again.',
    );
  }
  const names = new Set(listing.names);
  if (names.has('xl/workbook.xml') || declaresWorkbook(bytes)) return 'xlsx';

  throw new DeclarationFileError('unsupported-format', describeOtherZip(names, fileName));
}

/** Content types of a workbook's main part: a workbook, a template, or either with macros. */
const WORKBOOK_CONTENT_TYPE = /application\/vnd\.(?:openxmlformats-officedocument\.spreadsheetml\.(?:sheet|template)|ms-excel\.(?:sheet|template)\.macroEnabled)\.main\+xml/;

/**
 * Tells whether the package's `[Content_Types].xml` declares a workbook part. This finds workbooks
 * whose main part is not at the usual `xl/workbook.xml`, which the reader then reaches through
 * the package's relationships.
 */
function declaresWorkbook(bytes: Uint8Array): boolean {
  try {
    const parts = unzipSync(bytes, { filter: (file) => file.name === '[Content_Types].xml' && file.originalSize <= 1024 * 1024 });
    const contentTypes = parts['[Content_Types].xml'];
    return contentTypes !== undefined && WORKBOOK_CONTENT_TYPE.test(new TextDecoder().decode(contentTypes));
  } catch {
    return false;
  }
}

function describeOtherZip(names: Set<string>, fileName: string): string {
  if (names.has('xl/workbook.bin')) {
    return (
      `The file '${fileName}' is an Excel binary workbook (.xlsb), which is not supported. ` +
      'Open it in Excel, save it as Excel Workbook (.xlsx) and upload it again.'
    );
  }
  if (names.has('word/document.xml')) {
    return (
      `The file '${fileName}' is a Word document, not a workbook. ` +
      'Save it as PDF, or fill in the Excel declaration, and upload it again.'
    );
  }
  if (names.has('content.xml')) {
    return (
      `The file '${fileName}' is an OpenDocument file, which is not supported. ` +
      'Save it as Excel Workbook (.xlsx) and upload it again.'
    );
  }
  return (
    `The file '${fileName}' is a ZIP archive without an Excel workbook inside. ` +
    'Upload the declaration itself as .xlsx or PDF, not an archive.'
  );
}

function compoundFileError(bytes: Uint8Array, fileName: string): DeclarationFileError {
  const streams = findCompoundFileStreamNames(bytes);
  if (ENCRYPTED_PACKAGE_STREAMS.some((name) => streams.has(name))) {
    return new DeclarationFileError(
      'encrypted-workbook',
      `The workbook '${fileName}' is protected with a password, so it cannot be read. ` +
        'Save the workbook without a password and upload it again.',
    );
  }
  return new DeclarationFileError(
    'legacy-xls',
    `The file '${fileName}' is an old Excel 97-2003 workbook (.xls), which is not supported. ` +
      'Open it in Excel, save it as Excel Workbook (.xlsx) and upload it again.',
  );
}

function startsWith(bytes: Uint8Array, signature: readonly number[]): boolean {
  if (bytes.byteLength < signature.length) return false;
  return signature.every((byte, index) => bytes[index] === byte);
}

function containsPdfSignature(bytes: Uint8Array): boolean {
  const limit = Math.min(bytes.byteLength, PDF_SIGNATURE_SEARCH_LENGTH) - PDF_SIGNATURE.length;
  for (let offset = 0; offset <= limit; offset++) {
    if (PDF_SIGNATURE.every((byte, index) => bytes[offset + index] === byte)) return true;
  }
  return false;
}
