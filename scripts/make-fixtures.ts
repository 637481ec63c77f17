/**
 * Writes the parser fixtures into fixtures/: synthetic self-declarations in several layouts
 * and broken files that must fail with a specific error. Run with `npm run fixtures`.
 *
 * The exceljs steps give identical bytes on every run. The LibreOffice steps (wrapped-pages.pdf,
 * the LibreOffice-saved and legacy workbooks and the password-protected files) and the
 * pdftoppm step (scanned.pdf) are skipped with a message when their tool is missing, which
 * keeps the committed files. The expected results (*.expected.json) are written by hand and
 * are not touched here.
 */

import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeBrokenFiles } from './fixtures/broken-files.ts';
import { writeCoverSheet } from './fixtures/cover-sheet.ts';
import { writeEnglish } from './fixtures/english.ts';
import { writeMergedAreas } from './fixtures/merged-areas.ts';
import { convert, openOffice, saveWithPassword, type Office } from './fixtures/office.ts';
import { fixPdfMetadata, jpegToPdf } from './fixtures/pdf.ts';
import { writeScrambledSynonyms } from './fixtures/scrambled-synonyms.ts';
import { writeWrappedPagesSource } from './fixtures/wrapped-pages.ts';
import { writeXMarksPerArea } from './fixtures/x-marks-per-area.ts';
import { fixZipTimestamps } from './fixtures/zip.ts';

const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

/** Password of password-protected.xlsx and encrypted.pdf. */
const FIXTURE_PASSWORD = 'exempel';

/** Resolution of the page image in scanned.pdf, in dots per inch. */
const SCAN_DPI = 100;

function fixture(name: string): string {
  return join(FIXTURES_DIR, name);
}

function report(name: string): void {
  console.log(`wrote fixtures/${name}`);
}

function skip(name: string, reason: string): void {
  console.log(`skipped fixtures/${name} because ${reason}. The committed file is kept.`);
}

async function writeLibreOfficeFixtures(office: Office): Promise<void> {
  const sourceDir = join(office.workDir, 'source');
  await mkdir(sourceDir);

  const wrappedSource = join(sourceDir, 'wrapped-pages.xlsx');
  await writeWrappedPagesSource(wrappedSource);
  await convert(office, wrappedSource, 'pdf', fixture('wrapped-pages.pdf'));
  await writeFile(fixture('wrapped-pages.pdf'), fixPdfMetadata(await readFile(fixture('wrapped-pages.pdf'))));
  report('wrapped-pages.pdf');

  // soffice names its output after the input, so the copy gets its final name before converting.
  const copySource = join(sourceDir, 'libreoffice-copy.xlsx');
  await copyFile(fixture('cover-sheet.xlsx'), copySource);
  await convert(office, copySource, 'xlsx:Calc MS Excel 2007 XML', fixture('libreoffice-copy.xlsx'));
  await writeFile(fixture('libreoffice-copy.xlsx'), fixZipTimestamps(await readFile(fixture('libreoffice-copy.xlsx'))));
  report('libreoffice-copy.xlsx');

  const legacySource = join(sourceDir, 'legacy.xlsx');
  await copyFile(fixture('cover-sheet.xlsx'), legacySource);
  await convert(office, legacySource, 'xls:MS Excel 97', fixture('legacy.xls'));
  report('legacy.xls');

  if (!office.hasUno) {
    skip('password-protected.xlsx', '/usr/bin/python3 cannot import uno (Debian package python3-uno)');
    skip('encrypted.pdf', '/usr/bin/python3 cannot import uno (Debian package python3-uno)');
    return;
  }
  saveWithPassword(office, fixture('cover-sheet.xlsx'), fixture('password-protected.xlsx'), 'xlsx', FIXTURE_PASSWORD);
  report('password-protected.xlsx');
  saveWithPassword(office, wrappedSource, fixture('encrypted.pdf'), 'pdf', FIXTURE_PASSWORD);
  report('encrypted.pdf');
}

/** Renders page 1 of wrapped-pages.pdf to a greyscale JPEG and wraps it in a PDF without text. */
async function writeScannedPdf(): Promise<void> {
  let jpeg: Buffer;
  try {
    jpeg = execFileSync(
      'pdftoppm',
      ['-f', '1', '-l', '1', '-r', String(SCAN_DPI), '-gray', '-jpeg', '-singlefile', fixture('wrapped-pages.pdf')],
      { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      skip('scanned.pdf', 'pdftoppm is not installed (Debian package poppler-utils)');
      return;
    }
    throw error;
  }
  await writeFile(fixture('scanned.pdf'), jpegToPdf(jpeg, SCAN_DPI));
  report('scanned.pdf');
}

async function main(): Promise<void> {
  await mkdir(FIXTURES_DIR, { recursive: true });

  const coverSheet = await writeCoverSheet(fixture('cover-sheet.xlsx'));
  report('cover-sheet.xlsx');
  await writeXMarksPerArea(fixture('x-marks-per-area.xlsx'));
  report('x-marks-per-area.xlsx');
  await writeScrambledSynonyms(fixture('scrambled-synonyms.xlsx'));
  report('scrambled-synonyms.xlsx');
  const english = await writeEnglish(fixture('english.xlsx'));
  report('english.xlsx');
  await writeMergedAreas(fixture('merged-areas.xlsx'));
  report('merged-areas.xlsx');
  for (const name of await writeBrokenFiles(FIXTURES_DIR, coverSheet, english)) {
    report(name);
  }

  const office = await openOffice();
  if (office === null) {
    for (const name of ['wrapped-pages.pdf', 'libreoffice-copy.xlsx', 'legacy.xls', 'password-protected.xlsx', 'encrypted.pdf']) {
      skip(name, 'soffice is not on the PATH (Debian package libreoffice-calc-nogui)');
    }
  } else {
    try {
      await writeLibreOfficeFixtures(office);
    } finally {
      await office.close();
    }
  }

  await writeScannedPdf();
}

await main();
