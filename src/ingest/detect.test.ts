import { describe, expect, it } from 'vitest';
import { DeclarationFileError } from '../errors.ts';
import { detectFormat } from './detect.ts';
import { buildStoredZip, buildWorkbook } from './test-workbook.ts';

/** Builds a Compound File Binary image whose directory lists the given stream names. */
function buildCompoundFile(streamNames: string[]): Uint8Array {
  const bytes = Buffer.alloc(512 + 512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes, 0);
  streamNames.forEach((name, index) => {
    const entry = 512 + index * 128;
    const encoded = Buffer.from(`${name}\u0000`, 'utf16le');
    encoded.copy(bytes, entry);
    bytes.writeUInt16LE(encoded.length, entry + 64);
    bytes.writeUInt8(2, entry + 66);
  });
  return new Uint8Array(bytes);
}

function detectError(bytes: Uint8Array, fileName: string): DeclarationFileError {
  try {
    detectFormat(bytes, fileName);
  } catch (error) {
    if (error instanceof DeclarationFileError) return error;
    throw error;
  }
  throw new Error('detectFormat accepted the file');
}

describe('detectFormat', () => {
  it('detects an xlsx workbook by content', async () => {
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav', 'Svar']] }]);
    expect(detectFormat(bytes, 'deklaration.pdf')).toBe('xlsx');
  });

  it('detects a PDF by content', () => {
    const bytes = new Uint8Array(Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj\n'));
    expect(detectFormat(bytes, 'deklaration.xlsx')).toBe('pdf');
  });

  it('detects a PDF after leading bytes', () => {
    const bytes = new Uint8Array(Buffer.from('\r\n\r\n%PDF-1.4\n'));
    expect(detectFormat(bytes, 'scan')).toBe('pdf');
  });

  it('rejects an empty file', () => {
    const error = detectError(new Uint8Array(0), 'tom.xlsx');
    expect(error.code).toBe('empty-file');
    expect(error.message).toContain("'tom.xlsx'");
    expect(error.message).toMatch(/upload/i);
  });

  it('rejects a truncated workbook', async () => {
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav', 'Svar'], ['Loggning', 'Ja']] }]);
    const error = detectError(bytes.subarray(0, Math.floor(bytes.length / 2)), 'halv.xlsx');
    expect(error.code).toBe('truncated-file');
    expect(error.message).toContain("'halv.xlsx'");
    expect(error.message).toMatch(/upload the complete file/i);
  });

  it('rejects a ZIP without a workbook', () => {
    const error = detectError(buildStoredZip({ 'readme.txt': 'hello' }), 'arkiv.zip');
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toContain("'arkiv.zip'");
  });

  it('names a Word document', () => {
    const error = detectError(buildStoredZip({ 'word/document.xml': '<w:document/>' }), 'krav.docx');
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toMatch(/Word document/);
  });

  it('accepts a hand-built ZIP with a workbook part', () => {
    expect(detectFormat(buildStoredZip({ 'xl/workbook.xml': '<workbook/>' }), 'x')).toBe('xlsx');
  });

  it('rejects a password-protected workbook', () => {
    const bytes = buildCompoundFile(['EncryptionInfo', 'EncryptedPackage']);
    const error = detectError(bytes, 'skyddad.xlsx');
    expect(error.code).toBe('encrypted-workbook');
    expect(error.message).toContain("'skyddad.xlsx'");
    expect(error.message).toContain('Save the workbook without a password and upload it again');
  });

  it('rejects a legacy xls workbook', () => {
    const bytes = buildCompoundFile(['Workbook', 'SummaryInformation']);
    const error = detectError(bytes, 'gammal.xls');
    expect(error.code).toBe('legacy-xls');
    expect(error.message).toContain("'gammal.xls'");
    expect(error.message).toMatch(/\.xlsx/);
  });

  it('rejects an unknown format', () => {
    const error = detectError(new Uint8Array(Buffer.from('Krav;Svar\nLoggning;Ja\n')), 'krav.csv');
    expect(error.code).toBe('unsupported-format');
    expect(error.message).toContain("'krav.csv'");
    expect(error.message).toMatch(/\.xlsx or PDF/);
  });
});
