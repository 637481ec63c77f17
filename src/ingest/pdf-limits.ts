/**
 * The maximum that Avvik reads from one PDF. Compressed page contents can expand a small file
 * into millions of text items, and pdf.js and the row rebuilding take memory for each of them.
 * A PDF is therefore rejected as soon as it passes a maximum while its pages are read.
 */

import { DeclarationFileError } from '../errors.ts';

export interface PdfLimits {
  pages: number;
  /**
   * Characters of text over all pages read, checked against two counts. One is the characters
   * of the text items that pdf.js extracts, white space included. The other, checked before
   * pdf.js parses a page, is the bytes of the strings that the pages' content streams show.
   */
  characters: number;
  /** Text items, as pdf.js extracts them, over all pages read. */
  textItems: number;
  /**
   * Decompressed bytes of one page's content streams, and of any other content stream, such as
   * a form XObject. Checked before pdf.js parses the page, because pdf.js keeps the content of a
   * page whole in memory and builds each text item whole before it can be counted.
   */
  pageContentBytes: number;
  /** Decompressed bytes of one font file, CMap, object stream or cross-reference stream. */
  dataStreamBytes: number;
  /** Decompressed bytes of all the streams above together. Images are not counted. */
  streamBytes: number;
}

/**
 * The maximum for a declaration. Declarations run to tens of pages: the longest published one
 * that the parser was run on has 75, and the PDFs in fixtures/ and test/pdf-samples/ have up to
 * 2,500 characters and 190 text items a page, white space included. The limits leave room for
 * 500 pages of 5,000 characters and 500 text items each.
 *
 * The content of a page whose 5,000 characters are each placed and kerned, as office programs
 * export text, is some tens of KiB, and the PDFs in fixtures/ and test/pdf-samples/ have up to
 * 22 KiB a page.
 * 2 MiB a page leaves room for dense tables and vector drawings, and caps what one page can
 * cost: a page of one 2,000,000-character line peaks at about 330 MB, as much as the text
 * limits already allow. pdf.js reads an embedded font whole, and a complete CJK font takes
 * roughly 10 to 25 MB, hence 32 MiB for a data stream. 128 MiB for all streams bounds the time that the check and
 * pdf.js take over the whole file.
 */
export const PDF_LIMITS: PdfLimits = {
  pages: 500,
  characters: 2_500_000,
  textItems: 250_000,
  pageContentBytes: 2 * 1024 * 1024,
  dataStreamBytes: 32 * 1024 * 1024,
  streamBytes: 128 * 1024 * 1024,
};

/** Counts the text that pdf.js extracts from a document and rejects it past a limit. */
export class PdfTextBudget {
  private characters = 0;
  private shownTextBytes = 0;
  private textItems = 0;

  constructor(
    private readonly fileName: string,
    private readonly pageCount: number,
    private readonly limits: PdfLimits,
  ) {}

  /** Counts one text item of a page, and returns the file-too-large error to raise once a limit is passed. */
  add(text: string, page: number): DeclarationFileError | null {
    this.characters += text.length;
    this.textItems += 1;
    if (this.characters > this.limits.characters) {
      return this.tooMuchText(`${this.limits.characters.toLocaleString('en')} characters of text`, page);
    }
    if (this.textItems > this.limits.textItems) {
      return this.tooMuchText(`${this.limits.textItems.toLocaleString('en')} separately placed pieces of text`, page);
    }
    return null;
  }

  /**
   * Counts the bytes of the strings that a page's content streams show, before pdf.js parses the
   * page, and returns the file-too-large error to raise once the total passes the character limit.
   * pdf.js 5.4 leaves text placed outside the page out of the text items that add() counts, but
   * still parses all of it, so this count catches a page whose text mostly runs off the page.
   * NOTE: a font with two-byte codes, such as Identity-H, counts two bytes for each character, and
   * the text of form XObjects, of encrypted files and of streams of filters other than FlateDecode
   * is not counted here, only in add().
   */
  addShownText(bytes: number, page: number): DeclarationFileError | null {
    this.shownTextBytes += bytes;
    if (this.shownTextBytes > this.limits.characters) {
      return this.tooMuchText(`${this.limits.characters.toLocaleString('en')} characters of text`, page);
    }
    return null;
  }

  private tooMuchText(content: string, page: number): DeclarationFileError {
    return new DeclarationFileError(
      'file-too-large',
      `The PDF ${this.fileName} contains more than ${content}, more than Avvik reads from one declaration, ` +
        `so Avvik stopped reading it at page ${page} of ${this.pageCount}. ` +
        'Remove the pages that are not part of the declaration, or split it into several files, and upload it again, ' +
        'or upload the Excel file.',
    );
  }
}

/** Throws a file-too-large error when a page's content streams unpack to more than the limit. */
export function checkPageContent(fileName: string, page: number, pageCount: number, bytes: number, limits: PdfLimits): void {
  if (bytes <= limits.pageContentBytes) return;
  throw new DeclarationFileError(
    'file-too-large',
    `The content of page ${page} of ${pageCount} of the PDF ${fileName} unpacks to more than ` +
      `${(limits.pageContentBytes / 1024 / 1024).toLocaleString('en')} MiB, more than Avvik reads from one page, ` +
      'so Avvik stopped reading the file there. ' +
      'Export the declaration to PDF again from the original document, or upload the Excel file.',
  );
}

/** Throws a file-too-large error when a document has more pages than the limit. */
export function checkPageCount(fileName: string, pageCount: number, limits: PdfLimits): void {
  if (pageCount <= limits.pages) return;
  throw new DeclarationFileError(
    'file-too-large',
    `The PDF ${fileName} has ${pageCount.toLocaleString('en')} pages, more than the ` +
      `${limits.pages.toLocaleString('en')} pages that Avvik reads from one declaration. ` +
      'Remove the pages that are not part of the declaration, or split it into several files, and upload it again, ' +
      'or upload the Excel file.',
  );
}
