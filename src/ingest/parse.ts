/** The parser's entry point: bytes of an uploaded declaration to the normalised model. */

import { detectFormat } from './detect.ts';
import type { Grid, ParsedDeclaration } from './model.ts';
import { readDeclaration } from './table.ts';
import { workbookToGrids } from './xlsx.ts';

/** Stored with every parse result, so that results can be re-parsed after parser changes. */
export const PARSER_VERSION = '1.7.0';

/**
 * Parses a declaration file: detects its format from the content, reads it into grids and
 * reads the requirement tables. Throws DeclarationFileError when the file cannot be read.
 */
export async function parseDeclaration(bytes: Uint8Array, fileName: string): Promise<ParsedDeclaration> {
  const format = detectFormat(bytes, fileName);
  const grids = format === 'xlsx' ? await workbookToGrids(bytes, fileName) : [await readPdfGrid(bytes, fileName)];
  return readDeclaration(grids, format, fileName);
}

async function readPdfGrid(bytes: Uint8Array, fileName: string): Promise<Grid> {
  // Loaded on demand, so that reading a workbook does not load the PDF library.
  const { pdfToGrid } = await import('./pdf.ts');
  return pdfToGrid(bytes, fileName);
}
