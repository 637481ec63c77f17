import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isDeclarationFileError, parserFault } from '../errors.ts';
import { detectFormat } from '../ingest/detect.ts';
import { tooLargeMessage } from '../ingest/intake.ts';
import { parseDeclaration } from '../ingest/parse.ts';
import { buildStoredZip } from '../ingest/test-workbook.ts';
import { rewordForImport } from './import-failures.ts';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** Steps that fit an upload or `avvik ingest` but not an import of a folder. */
const UPLOAD_STEP = /\b(?:upload|send|ingest) (?:it|the file|the complete file|the completed declaration|the declaration|a PDF)\b|\bupload the Excel file\b/i;

async function parseError(bytes: Uint8Array, fileName: string): Promise<string> {
  try {
    await parseDeclaration(bytes, fileName);
  } catch (error) {
    if (isDeclarationFileError(error)) return error.message;
    throw error;
  }
  throw new Error(`Expected ${fileName} to fail, but it parsed.`);
}

/** Messages that the parser stores for the fixtures that fail, read by parsing them. */
async function fixtureMessages(): Promise<string[]> {
  const fixtures = fs
    .readdirSync(path.join(ROOT, 'fixtures'))
    .filter((name) => name.endsWith('.expected.json'))
    .filter((name) => JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', name), 'utf8')).status === 'failed')
    .map((name) => fs.readdirSync(path.join(ROOT, 'fixtures')).find((file) => file.startsWith(name.replace('.expected.json', '.')) && !file.endsWith('.json'))!)
    .map((file) => path.join(ROOT, 'fixtures', file));
  const samples = ['password-protected.pdf', 'scanned-page.pdf', 'truncated.pdf'].map((file) => path.join(ROOT, 'test', 'pdf-samples', file));
  const messages: string[] = [];
  for (const file of [...fixtures, ...samples]) messages.push(await parseError(fs.readFileSync(file), path.basename(file)));
  return messages;
}

function detectMessage(bytes: Uint8Array, fileName: string): string {
  try {
    detectFormat(bytes, fileName);
  } catch (error) {
    if (isDeclarationFileError(error)) return error.message;
    throw error;
  }
  throw new Error(`Expected ${fileName} to fail, but it was detected as a declaration.`);
}

/**
 * Messages of errors that the fixtures do not reach, as the code that stores them writes them:
 * the limits of the PDF and workbook readers, and processing-failed from each place that records it.
 */
const WRITTEN_MESSAGES = [
  'The PDF a.pdf has 600 pages, more than the 500 pages that Avvik reads from one declaration. Remove the pages that are not part of the declaration, or split it into several files, and upload it again, or upload the Excel file.',
  'The PDF a.pdf contains a font that unpacks to more than 32 MiB, more than Avvik reads from one part of a declaration, so Avvik did not read the file. Export the declaration to PDF again from the original document, or upload the Excel file.',
  "The workbook 'a.xlsx' contains the part xl/worksheets/sheet1.xml, which unpacks to 300 MiB, beyond the 256 MiB that Avvik reads. Remove unused sheets or very long cells, save it again and upload it again.",
  "The workbook 'a.xlsx' contains more than 1,000,000 texts in its shared-string table xl/sharedStrings.xml, more than Avvik reads from one workbook, so Avvik stopped reading it. Remove the rows, sheets and texts that are not part of the declaration, or split it into several files, save it in Excel and upload it again.",
  "The declaration 'a.xlsx' contains more than 100000 requirement rows, the maximum that Avvik reads from one declaration, while a self-declaration has tens to hundreds. Remove the rows and sheets that are not part of the declaration, or split it into files of at most 100000 requirements, and upload it again.",
  'a.xlsx contains a value the database cannot store (PostgreSQL error 22021). Look for unusual characters or very long cells, save the file again and send it again.',
  'Processing failed: connect ECONNREFUSED 127.0.0.1:5432. Ingest the file again to retry.',
  'Processing failed after 5 attempts: connect ECONNREFUSED 127.0.0.1:5432. Upload the file again to retry.',
  'Processing failed after 5 attempts: connect ECONNREFUSED 127.0.0.1:5432. Check that PostgreSQL and Redis are reachable, then ingest the file again to retry.',
  'Processing stopped: job stalled more than allowable limit. The workers processing it stopped before they finished, more often than the queue retries. Ingest or upload the file again to retry; a very large file may need more memory per worker.',
];

describe('rewordForImport', () => {
  it('words every next step for the import', async () => {
    const messages = [
      ...(await fixtureMessages()),
      detectMessage(new Uint8Array(0), 'tom.xlsx'),
      detectMessage(Buffer.from('Deklaration 2024'), 'text.xlsx'),
      detectMessage(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), 'avbruten.xlsx'),
      detectMessage(buildStoredZip({ 'word/document.xml': '<w:document/>' }), 'krav.docx'),
      detectMessage(buildStoredZip({ 'content.xml': '<office:document-content/>' }), 'krav.ods'),
      detectMessage(buildStoredZip({ 'xl/workbook.bin': 'binary' }), 'krav.xlsb'),
      detectMessage(buildStoredZip({ 'readme.txt': 'hello' }), 'arkiv.zip'),
      tooLargeMessage('stor.xlsx', 30 * 1024 * 1024, 25 * 1024 * 1024),
      parserFault('fel.xlsx', new Error('unexpected cell')).message,
      ...WRITTEN_MESSAGES,
    ];
    expect(messages.length).toBeGreaterThan(25);
    for (const message of messages) {
      const reworded = rewordForImport(message);
      expect(message, 'stored message is written for an upload or ingest').toMatch(UPLOAD_STEP);
      expect(reworded, message).not.toMatch(UPLOAD_STEP);
      expect(reworded, message).not.toMatch(/\b(?:ingest|upload) or run\b/i);
      expect(reworded, message).toMatch(/run the import again|avvik ingest --retry-failed/i);
    }
  });

  it.each([
    [
      "The file 'a.xlsx' is empty (0 bytes). Upload the completed declaration again.",
      "The file 'a.xlsx' is empty (0 bytes). Put the completed declaration in its place and run the import again.",
    ],
    [
      'The PDF a.pdf is password-protected. Remove the password and upload it again, or upload the Excel file.',
      'The PDF a.pdf is password-protected. Remove the password, or put the Excel file in its place, and run the import again.',
    ],
    [
      'The file a.pdf is truncated: the PDF ends before its end-of-file marker. Upload the complete file again, or upload the Excel file.',
      'The file a.pdf is truncated: the PDF ends before its end-of-file marker. Put the complete file, or the Excel file, in its place and run the import again.',
    ],
    [
      'a.xlsx is 30.0 MiB, over the limit of 25.0 MiB (AVVIK_MAX_FILE_BYTES). Remove images or unused sheets and send it again, or split the declaration into several files.',
      'a.xlsx is 30.0 MiB, over the limit of 25.0 MiB (AVVIK_MAX_FILE_BYTES). Remove images or unused sheets, or split the declaration into several files, and run the import again.',
    ],
    [
      'Avvik failed while reading a.xlsx (boom). This is a fault in Avvik rather than in the file: keep the file, report it to the Avvik team, and ingest it again after an update.',
      'Avvik failed while reading a.xlsx (boom). This is a fault in Avvik rather than in the file: keep the file, report it to the Avvik team, and after an update run `avvik ingest --retry-failed` on the file.',
    ],
    [
      'Processing failed after 5 attempts: timeout. Check that PostgreSQL and Redis are reachable, then ingest the file again to retry.',
      'Processing failed after 5 attempts: timeout. Check that PostgreSQL and Redis are reachable, then run the import again to retry.',
    ],
    [
      'Processing stopped: job stalled. Ingest or upload the file again to retry; a very large file may need more memory per worker.',
      'Processing stopped: job stalled. Run the import again to retry; a very large file may need more memory per worker.',
    ],
  ])('rewords %j', (stored, expected) => {
    expect(rewordForImport(stored)).toBe(expected);
  });

  it('keeps a message without an upload step', () => {
    const message = 'a.xlsx does not exist. Check the path and run the command again.';
    expect(rewordForImport(message)).toBe(message);
  });
});
