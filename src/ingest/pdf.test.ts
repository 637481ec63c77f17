import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { DeclarationFileError } from '../errors.ts';
import { buildVocabulary, joinCellLines } from './pdf-cells.ts';
import { groupTableLines } from './pdf-flow-rows.ts';
import type { TextLine } from './pdf-lines.ts';
import { pagesToGrid, pdfToGrid } from './pdf.ts';
import { readPdfPages, type PageContent, type PositionedText } from './pdf-document.ts';
import { PDF_LIMITS } from './pdf-limits.ts';
import { buildObjectStreamPdf, buildTextPdf } from './test-pdf.ts';
import type { Grid, GridRow } from './model.ts';
import { parseDeclaration } from './parse.ts';

const SAMPLES = join(import.meta.dirname, '../../test/pdf-samples');

async function readSample(name: string): Promise<Uint8Array> {
  return new Uint8Array(await readFile(join(SAMPLES, name)));
}

async function gridOf(name: string): Promise<Grid> {
  return pdfToGrid(await readSample(name), name);
}

/** A row as [page, line, cells], which keeps the expected tables readable. */
type RowSummary = [number, number, string[]];

function summarise(rows: readonly GridRow[]): RowSummary[] {
  return rows.map((row) => {
    if (row.source.kind !== 'page') throw new Error('expected a page location');
    return [row.source.page, row.source.line, row.cells];
  });
}

async function fileError(name: string, bytes?: Uint8Array): Promise<DeclarationFileError> {
  const error = await pdfToGrid(bytes ?? (await readSample(name)), name).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(DeclarationFileError);
  return error as DeclarationFileError;
}

describe('pdfToGrid on a borderless two-page table', () => {
  const answers = ['Ja', 'Nej', 'Delvis', 'Ja'];
  const fillerSources: [number, number][] = [
    [1, 23], [1, 24], [1, 25], [1, 27], [1, 28], [1, 30], [1, 32], [1, 33], [1, 34],
    [2, 3], [2, 5], [2, 6], [2, 8], [2, 9], [2, 10], [2, 12], [2, 13], [2, 14],
    [2, 16], [2, 17], [2, 19], [2, 21], [2, 22], [2, 23],
  ];
  const fillerRows: RowSummary[] = fillerSources.map(([page, line], index) => {
    const number = index + 1;
    const text =
      number % 3 === 0
        ? `Krav nummer ${number} om spårbarhet: systemet ska visa vem som gjorde uppslaget.`
        : `Krav nummer ${number} om spårbarhet.`;
    const comment = number % 5 === 0 ? `Kommentar till krav ${number} över två rader.` : '';
    return [page, line, [`K3.${number}`, text, answers[index % 4]!, comment]];
  });
  const header = ['Krav-ID', 'Krav', 'Svar', 'Kommentar'];
  const expected: RowSummary[] = [
    [1, 2, ['Egendeklaration SSBTEK']],
    [1, 3, ['Leverantör:', 'Exempel System AB', '', '']],
    [1, 4, ['Organisationsnummer:', '556000-0000', '', '']],
    [1, 5, ['System:', 'Ärendeflöde 4.2', '', '']],
    [1, 6, header],
    [1, 7, ['K1.1', 'Systemet ska identifiera varje användare med e-legitimation innan uppslag görs.', 'Ja', '']],
    [1, 9, ['K1.2', 'Behörighet till uppslag ska styras per roll.', 'Ja', 'Rollerna hämtas från kommunens katalogtjänst.']],
    [1, 11, ['K1.3', 'Loggningen ska omfatta in- och utloggning.', 'Ja', '']],
    [1, 13, ['K1.4', 'Varje uppslag ska loggas med användare, tidpunkt och ändamål.', 'Delvis', 'Ändamålet loggas från version 4.3.']],
    [1, 15, ['K2.1', 'Loggar ska sparas i minst tre år.', 'Ja', 'En full säkerhetskopiering görs varje natt.']],
    [1, 17, ['K2.2', 'Säkerhetskopiering av loggar ska ske dagligen.', 'Nej', 'Loggarna kopieras veckovis.']],
    [1, 19, ['K2.3', 'Personuppgifter ska skyddas enligt kommunens IT-säkerhetspolicy.', 'Ja', '']],
    [1, 21, ['K2.4', 'Åtkomst ska ske via kommunens e-tjänst.', 'Ej tillämpligt', '']],
    ...fillerRows.slice(0, 9),
    [2, 2, header],
    ...fillerRows.slice(9),
  ];

  it('rebuilds every row with its page and line', async () => {
    const grid = await gridOf('calc-borderless.pdf');
    expect(grid.name).toBe('PDF');
    expect(grid.kind).toBe('pdf');
    expect(summarise(grid.rows)).toEqual(expected);
  });

  it('drops the running header and page numbers', async () => {
    const grid = await gridOf('calc-borderless.pdf');
    const texts = grid.rows.map((row) => row.cells.join(' '));
    expect(texts).not.toContain('Exempel System AB');
    expect(texts.some((text) => text.startsWith('Sida'))).toBe(false);
  });
});

describe('pdfToGrid on bottom-aligned cells', () => {
  it('takes wrapped lines above the identifier into its row', async () => {
    const grid = await gridOf('calc-bottom-aligned.pdf');
    expect(summarise(grid.rows)).toEqual([
      [1, 1, ['Krav-ID', 'Krav', 'Svar', 'Kommentar']],
      [1, 2, ['K1.1', 'Systemet ska identifiera varje användare med e-legitimation innan uppslag görs.', 'Ja', '']],
      [1, 4, ['K1.2', 'Behörighet till uppslag ska styras per roll.', 'Ja', 'Rollerna hämtas från kommunens katalogtjänst.']],
      [1, 6, ['K1.3', 'Loggningen ska omfatta in- och utloggning.', 'Ja', '']],
      [1, 8, ['K1.4', 'Varje uppslag ska loggas med användare, tidpunkt och ändamål.', 'Delvis', 'Ändamålet loggas från version 4.3.']],
      [1, 10, ['K2.1', 'Loggar ska sparas i minst tre år.', 'Ja', 'En full säkerhetskopiering görs varje natt.']],
    ]);
  });
});

describe('pdfToGrid on a table with borders', () => {
  it('splits rows at borders and spreads a merged cell', async () => {
    const grid = await gridOf('calc-bordered.pdf');
    expect(summarise(grid.rows)).toEqual([
      [1, 1, ['Område', 'Krav-ID', 'Krav', 'Svar']],
      [1, 2, ['Loggning', 'L1', 'Uppslag ska loggas.', 'Ja']],
      [1, 3, ['Loggning', 'L2', 'Loggen ska visa användare, tidpunkt och ändamål.', 'Delvis']],
      [1, 5, ['Loggning', 'L3', 'Loggen ska sparas i tre år.', 'Nej']],
      [1, 6, ['Behörighet', 'B1', 'Behörighet ska styras per roll.', 'Ja']],
    ]);
    expect(grid.rows.map((row) => row.mergedFromAbove)).toEqual([undefined, undefined, [0], [0], undefined]);
  });

  it('joins a row that a page break split', async () => {
    const grid = await gridOf('writer-bordered.pdf');
    const longComment = Array.from(
      { length: 45 },
      (_, index) => `Åtgärd ${index + 1} i handlingsplanen är genomförd och dokumenterad.`,
    ).join(' ');
    const header = ['Krav-ID', 'Krav', 'Svar', 'Kommentar'];
    expect(summarise(grid.rows)).toEqual([
      [1, 1, ['Egendeklaration SSBTEK']],
      [1, 2, ['Leverantör', 'Exempel System AB']],
      [1, 3, ['Datum', '2024-05-02']],
      [1, 4, header],
      [1, 5, ['W1', 'Systemet ska logga varje uppslag.', 'Ja', '']],
      [1, 6, ['W2', 'Loggen ska kunna lämnas ut till kommunen på begäran.', 'Delvis', longComment]],
      [2, 1, header],
      [2, 46, ['W3', 'Leverantören ska rapportera incidenter inom 24 timmar.', 'Ja', 'Se bilaga 2.']],
      [2, 48, ['Underskrift: Anna Andersson']],
    ]);
  });
});

describe('pdfToGrid on a criteria report', () => {
  const title = 'Kapitel 1: Programvara – detaljerad redovisning av varje kriterium';
  const header = ['Criteria', 'Conformance Level', 'Remarks'];

  it('spreads a title cell over its columns', async () => {
    const grid = await gridOf('writer-criteria.pdf');
    expect(summarise(grid.rows.slice(1, 4))).toEqual([
      [1, 2, [title, title, title]],
      [1, 3, header],
      [1, 4, ['(a) Varje funktion ska gå att nå från tangentbordet.', 'Supports', '']],
    ]);
  });

  it('keeps the border below tight header labels', async () => {
    const grid = await gridOf('writer-criteria.pdf');
    const headerRows = grid.rows.filter((row) => row.cells[0] === 'Criteria');
    expect(headerRows.map((row) => row.cells)).toEqual([header, header, header]);
  });

  it('marks lines between tables as outside', async () => {
    const grid = await gridOf('writer-criteria.pdf');
    const outside = grid.rows.filter((row) => row.outsideTable).map((row) => row.cells.join(' '));
    expect(outside).toEqual([
      'Tillgänglighetsrapport för Exempelsystemet 2.0',
      'Tillbaka till innehållsförteckningen. http://example.org/rapporter/tillganglighet/innehall.html',
      'Kapitel 5: Programvara',
      'End of Document',
    ]);
  });
});

describe('parseDeclaration on a criteria report', () => {
  /** Lines of the criteria cell that the page break splits, as make-samples.ts writes them. */
  const SPLIT_ROW_LINE_COUNT = 70;

  it('gives every criterion its answer', async () => {
    const declaration = await parseDeclaration(await readSample('writer-criteria.pdf'), 'writer-criteria.pdf');
    const splitText = [
      '5.2.2 Objektinformation ska vara tillgänglig för hjälpmedel.',
      ...Array.from({ length: SPLIT_ROW_LINE_COUNT }, (_, index) => `Omfattar även del ${index + 1} av standarden`),
    ].join(' ');
    expect(declaration.rows.map((row) => [row.text, row.answer, row.answerRaw])).toEqual([
      ['(a) Varje funktion ska gå att nå från tangentbordet.', 'met', 'Supports'],
      ['(b) Fokus ska synas tydligt när användaren flyttar det.', 'met', 'Supports'],
      ['(c) Programmet ska inte blinka oftare än tre gånger per sekund.', 'partially-met', 'Partially Supports'],
      ['(k)(1) Knappar ska gå att skilja åt med känseln.', 'met', 'Supports'],
      ['(k)(2) Knappar ska gå att använda med en hand.', 'not-applicable', 'Not Applicable'],
      ['5.1 Omfattning', 'unanswered', 'See chapter 1'],
      ['5.2.1 Användaren ska kunna styra hjälpmedlens funktioner.', 'met', 'Supports'],
      [splitText, 'partially-met', 'Web: Supports Authoring Tool: Partially Supports'],
      ['5.2.3 Värden ska kunna läsas av hjälpmedel.', 'not-met', 'Does Not Support'],
    ]);
  });

  it('reports what it skipped', async () => {
    const declaration = await parseDeclaration(await readSample('writer-criteria.pdf'), 'writer-criteria.pdf');
    const reasons = declaration.report.skipped.map((entry) => entry.reason);
    expect(reasons).toContain('text outside the table');
    expect(reasons).toContain('heading row that needs no answer');
    expect(reasons).toContain('end of the questionnaire');
    expect(reasons.filter((reason) => reason === 'after the end of the questionnaire')).toHaveLength(3);
    expect(declaration.report.warnings).toEqual([
      "The answer in page 1 line 14 refers elsewhere ('See chapter 1'); the requirement is read as unanswered.",
    ]);
  });

  it('takes the area from headings', async () => {
    const declaration = await parseDeclaration(await readSample('writer-criteria.pdf'), 'writer-criteria.pdf');
    const areas = declaration.rows.slice(5).map((row) => row.areaHint);
    expect(areas).toEqual([
      'Kapitel 5: Programvara',
      '5.2 Samverkan med hjälpmedel',
      '5.2 Samverkan med hjälpmedel',
      '5.2 Samverkan med hjälpmedel',
    ]);
  });
});

describe('pdfToGrid errors', () => {
  it('rejects a PDF without text as a scanned image', async () => {
    const error = await fileError('scanned-page.pdf');
    expect(error.code).toBe('no-text-layer');
    expect(error.message).toContain('scanned-page.pdf');
    expect(error.message).toContain('scanned image');
    expect(error.message).toContain('Excel file');
  });

  it('rejects a truncated PDF', async () => {
    const error = await fileError('truncated.pdf');
    expect(error.code).toBe('truncated-file');
    expect(error.message).toContain('truncated.pdf');
  });

  it('rejects a password-protected PDF', async () => {
    const error = await fileError('password-protected.pdf');
    expect(error.code).toBe('encrypted-pdf');
    expect(error.message).toContain('password-protected.pdf');
    expect(error.message).toContain('Remove the password');
  });

  it('rejects a PDF with a damaged body', async () => {
    const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog broken\nstartxref\n99999\n%%EOF\n');
    const error = await fileError('damaged.pdf', bytes);
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toContain('damaged.pdf');
  });

  it('rejects a file that is not a PDF', async () => {
    const error = await fileError('notes.pdf', new TextEncoder().encode('Krav-ID;Krav;Svar\n'));
    expect(error.code).toBe('corrupt-file');
  });

  it('rejects an empty file', async () => {
    const error = await fileError('empty.pdf', new Uint8Array());
    expect(error.code).toBe('empty-file');
  });
});

describe('PDF limits', () => {
  /** A PDF whose lines are `characters` long, such as `2.14 xxxx`, within the page's width. */
  const textPdf = (pages: number, linesPerPage: number, characters = 100) =>
    new Uint8Array(buildTextPdf({ pages, linesPerPage, line: (page, line) => `${page}.${line} `.padEnd(characters, 'x') }));

  it('rejects 501 pages', async () => {
    const error = await fileError('sidor.pdf', textPdf(501, 1));
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('The PDF sidor.pdf has 501 pages, more than the 500 pages that Avvik reads from one declaration.');
    expect(error.message).toContain('Remove the pages that are not part of the declaration, or split it into several files');
  });

  it('reads 500 pages', async () => {
    const pages = await readPdfPages(textPdf(500, 1), 'sidor.pdf');
    expect(pages).toHaveLength(500);
    expect(pages[499]!.texts.map((text) => text.text)).toEqual([`500.1 ${'x'.repeat(94)}`]);
  });

  it('stops at the page past 2,500,000 characters', async () => {
    // Each page has 10,000 lines of 100 characters, so the third page passes the maximum.
    const error = await fileError('text.pdf', textPdf(4, 10_000));
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain(
      'The PDF text.pdf contains more than 2,500,000 characters of text, more than Avvik reads from one declaration, ' +
        'so Avvik stopped reading it at page 3 of 4.',
    );
  });

  it('counts text that runs off the page', async () => {
    // Each line shows 1,000 characters, and pdf.js extracts only the first hundred or so, which
    // fit in the page's width. The 10 lines of page 2 take the total past 15,000.
    const limits = { ...PDF_LIMITS, characters: 15_000 };
    const bytes = new Uint8Array(buildTextPdf({ pages: 4, linesPerPage: 10, line: (page, line) => `${page}.${line} `.padEnd(1000, 'z') }));
    const error = await readPdfPages(bytes, 'bred.pdf', limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeclarationFileError);
    expect((error as DeclarationFileError).code).toBe('file-too-large');
    expect((error as DeclarationFileError).message).toContain(
      'The PDF bred.pdf contains more than 15,000 characters of text, more than Avvik reads from one declaration, ' +
        'so Avvik stopped reading it at page 2 of 4.',
    );
  });

  it('reads 2,500,000 characters', async () => {
    const pages = await readPdfPages(textPdf(5, 5_000), 'text.pdf');
    const characters = pages.reduce((sum, page) => sum + page.texts.reduce((pageSum, text) => pageSum + text.text.length, 0), 0);
    expect(characters).toBe(2_500_000);
  });

  it('stops at the text item past the maximum', async () => {
    const limits = { ...PDF_LIMITS, textItems: 100 };
    const error = await readPdfPages(textPdf(3, 40, 10), 'delar.pdf', limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeclarationFileError);
    expect((error as DeclarationFileError).code).toBe('file-too-large');
    expect((error as DeclarationFileError).message).toContain(
      'The PDF delar.pdf contains more than 100 separately placed pieces of text, more than Avvik reads from one declaration, ' +
        'so Avvik stopped reading it at page 3 of 3.',
    );
  });

  it('reads as many text items as the maximum', async () => {
    const limits = { ...PDF_LIMITS, textItems: 120 };
    const pages = await readPdfPages(textPdf(3, 40, 10), 'delar.pdf', limits);
    expect(pages.map((page) => page.texts.length)).toEqual([40, 40, 40]);
  });
});

describe('PDF content limits', () => {
  const characterCount = (pages: readonly PageContent[]) =>
    pages.reduce((sum, page) => sum + page.texts.reduce((pageSum, text) => pageSum + text.text.length, 0), 0);

  it('rejects one line of 3,000,000 characters quickly', async () => {
    // The compressed content stream is about 3 KB, and pdf.js alone would take over 400 MB for it.
    const bytes = new Uint8Array(buildTextPdf({ pages: 1, linesPerPage: 1, line: () => 'A'.repeat(3_000_000) }));
    expect(bytes.length).toBeLessThan(10_000);
    const start = performance.now();
    const error = await fileError('rad.pdf', bytes);
    expect(performance.now() - start).toBeLessThan(1000);
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('The PDF rad.pdf contains page content or a drawing that unpacks to more than 2 MiB');
    expect(error.message).toContain('Export the declaration to PDF again from the original document, or upload the Excel file.');
  });

  it('reads one line of 2,000,000 characters', async () => {
    const bytes = new Uint8Array(buildTextPdf({ pages: 1, linesPerPage: 1, line: () => 'A'.repeat(2_000_000) }));
    const pages = await readPdfPages(bytes, 'rad.pdf');
    // pdf.js (5.4) leaves out the glyphs that fall outside the page, so only the start of the line is read.
    expect(pages[0]!.texts[0]!.text).toMatch(/^A+$/);
  });

  it('reads a page of 1,979,200 bytes of content', async () => {
    // A line takes 131 or 132 bytes of content: 100 characters and the operators that place them.
    const bytes = new Uint8Array(buildTextPdf({ pages: 1, linesPerPage: 15_000, line: (_, line) => `${line} `.padEnd(100, 'x') }));
    const pages = await readPdfPages(bytes, 'tät.pdf');
    expect(characterCount(pages)).toBe(1_500_000);
  });

  it('rejects a page split over content streams', async () => {
    // Each stream of page 2 is under 2 MiB, and the four of them together are over it.
    const bytes = new Uint8Array(
      buildTextPdf({ pages: 2, linesPerPage: 4, contentStreams: 4, line: (page) => (page === 2 ? 'A'.repeat(600_000) : 'Krav') }),
    );
    const error = await fileError('delad.pdf', bytes);
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('The content of page 2 of 2 of the PDF delad.pdf unpacks to more than 2 MiB');
  });

  it('reads a page split over content streams', async () => {
    const bytes = new Uint8Array(buildTextPdf({ pages: 2, linesPerPage: 4, contentStreams: 4, line: (page, line) => `${page}.${line}` }));
    const pages = await readPdfPages(bytes, 'delad.pdf');
    expect(pages.map((page) => page.texts.map((text) => text.text))).toEqual([
      ['1.1', '1.2', '1.3', '1.4'],
      ['2.1', '2.2', '2.3', '2.4'],
    ]);
  });

  it('finds pages in object streams', async () => {
    const small = await readPdfPages(new Uint8Array(buildObjectStreamPdf(['Krav', 'Svar'])), 'objekt.pdf');
    expect(small[0]!.texts.map((text) => text.text)).toEqual(['Krav', 'Svar']);

    const large = new Uint8Array(buildObjectStreamPdf(Array.from({ length: 4 }, () => 'A'.repeat(600_000))));
    const error = await fileError('objekt.pdf', large);
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('The content of page 1 of 1 of the PDF objekt.pdf unpacks to more than 2 MiB');
  });

  it('does not count images', async () => {
    // The image unpacks to 4,000,000 bytes, twice the maximum for a page's content.
    const bytes = new Uint8Array(
      buildTextPdf({ pages: 3, linesPerPage: 2, image: { width: 2000, height: 2000 }, line: (page, line) => `${page}.${line}` }),
    );
    const pages = await readPdfPages(bytes, 'bild.pdf');
    expect(pages.map((page) => page.texts.length)).toEqual([2, 2, 2]);
  });

  it('rejects streams past the total', async () => {
    const limits = { ...PDF_LIMITS, streamBytes: 50_000 };
    const bytes = new Uint8Array(buildTextPdf({ pages: 10, linesPerPage: 75, line: (page, line) => `${page}.${line} `.padEnd(100, 'x') }));
    const error = await readPdfPages(bytes, 'sidor.pdf', limits).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DeclarationFileError);
    expect((error as DeclarationFileError).code).toBe('file-too-large');
    expect((error as DeclarationFileError).message).toContain(
      'The PDF sidor.pdf contains page contents, drawings and fonts that unpack to more than 0.048 MiB together, images not counted',
    );
  });
});

describe('pdfToGrid speed', () => {
  it('reads a small declaration quickly', async () => {
    const bytes = await readSample('calc-borderless.pdf');
    await pdfToGrid(bytes, 'warm-up.pdf');
    const start = performance.now();
    await pdfToGrid(bytes, 'calc-borderless.pdf');
    // A coarse guard against a slow path. A warm run takes some tens of milliseconds.
    expect(performance.now() - start).toBeLessThan(1500);
  });
});

describe('pagesToGrid on 1,000 borderless pages', () => {
  it('reads 150,000 segments without overflowing the stack', () => {
    const rowsPerPage = 50;
    const pages: PageContent[] = Array.from({ length: 1_000 }, (_, pageIndex) => {
      const texts: PositionedText[] = [];
      const cell = (text: string, x: number, width: number, y: number) => texts.push({ text, x, y, width, fontSize: 9 });
      if (pageIndex === 0) {
        cell('Krav-ID', 50, 30, 28);
        cell('Krav', 120, 20, 28);
        cell('Svar', 450, 20, 28);
      }
      for (let row = 0; row < rowsPerPage; row++) {
        const number = pageIndex * rowsPerPage + row + 1;
        const y = 42 + row * 14;
        cell(`K-${number}`, 50, 30, y);
        cell(`Systemet ska hantera uppgift nummer ${number} i vyn.`, 120, 250, y);
        cell(number % 10 === 0 ? 'Nej' : 'Ja', 450, 15, y);
      }
      return { page: pageIndex + 1, height: 842, texts, horizontalRules: [], verticalRules: [] };
    });

    const grid = pagesToGrid(pages);
    expect(grid.rows).toHaveLength(1 + 50_000);
    expect(grid.rows[0]!.cells).toEqual(['Krav-ID', 'Krav', 'Svar']);
    expect(grid.rows.at(-1)!.cells).toEqual(['K-50000', 'Systemet ska hantera uppgift nummer 50000 i vyn.', 'Nej']);
  });
});

describe('joinCellLines', () => {
  const vocabulary = buildVocabulary([
    'en full säkerhetskopiering görs',
    'See the Question ID column',
    'the third-party service here',
  ]);

  it('joins lines with a space', () => {
    expect(joinCellLines(['Loggar ska', 'sparas.'], vocabulary)).toBe('Loggar ska sparas.');
  });

  it('drops a soft hyphen at a line end', () => {
    expect(joinCellLines(['behörig\u00ad', 'heter'], vocabulary)).toBe('behörigheter');
  });

  it('drops a hyphen when the document has the whole word', () => {
    expect(joinCellLines(['Säkerhets-', 'kopiering sker'], vocabulary)).toBe('Säkerhetskopiering sker');
  });

  it('keeps a hyphen the document does not confirm', () => {
    expect(joinCellLines(['a third-', 'party tool'], vocabulary)).toBe('a third-party tool');
    expect(joinCellLines(['kommunens e-', 'tjänst'], vocabulary)).toBe('kommunens e-tjänst');
    expect(joinCellLines(['A&A-', '01.1'], vocabulary)).toBe('A&A-01.1');
  });

  it('keeps a hyphen and a space before a conjunction', () => {
    expect(joinCellLines(['in-', 'och utloggning'], vocabulary)).toBe('in- och utloggning');
  });

  it('rejoins a word broken without a hyphen', () => {
    expect(joinCellLines(['Questi', 'on ID'], vocabulary)).toBe('Question ID');
  });

  it('skips empty lines', () => {
    expect(joinCellLines(['', 'Ja', ' '], vocabulary)).toBe('Ja');
  });
});

describe('groupTableLines', () => {
  /** Builds table lines from [page, baseline, cells] and groups them, returning the cells per row. */
  function groupRows(lines: [number, number, string[]][]): string[][][] {
    const cellsByLine = new Map<TextLine, string[]>();
    const pageLines = lines.map(([page, y, cells], index) => {
      const line: TextLine = { page, number: index + 1, y, fontSize: 10, texts: [] };
      cellsByLine.set(line, cells);
      return line;
    });
    return groupTableLines(pageLines, cellsByLine).map((group) => group.map((line) => cellsByLine.get(line)!));
  }

  it('appends wrapped lines below a top-aligned row', () => {
    const rows = groupRows([
      [1, 100, ['Krav-ID', 'Krav', 'Svar']],
      [1, 114, ['K1', 'Systemet ska logga', 'Ja']],
      [1, 124, ['', 'varje uppslag.', '']],
      [1, 138, ['K2', 'Loggar sparas.', 'Nej']],
    ]);
    expect(rows).toEqual([
      [['Krav-ID', 'Krav', 'Svar']],
      [['K1', 'Systemet ska logga', 'Ja'], ['', 'varje uppslag.', '']],
      [['K2', 'Loggar sparas.', 'Nej']],
    ]);
  });

  it('prepends wrapped lines above a bottom-aligned row', () => {
    const rows = groupRows([
      [1, 100, ['Krav-ID', 'Krav', 'Svar']],
      [1, 114, ['', 'Systemet ska logga', '']],
      [1, 124, ['K1', 'varje uppslag.', 'Ja']],
      [1, 138, ['', 'Loggar ska sparas', '']],
      [1, 148, ['K2', 'i tre år.', 'Nej']],
    ]);
    expect(rows).toEqual([
      [['Krav-ID', 'Krav', 'Svar']],
      [['', 'Systemet ska logga', ''], ['K1', 'varje uppslag.', 'Ja']],
      [['', 'Loggar ska sparas', ''], ['K2', 'i tre år.', 'Nej']],
    ]);
  });

  it('starts rows at answers without identifiers', () => {
    const answers = ['Ja', 'Nej', 'Ja', 'Ja', 'Delvis', 'Ja', 'Nej', 'Ja'];
    const lines: [number, number, string[]][] = [[1, 100, ['Krav', 'Svar']]];
    for (const [index, answer] of answers.entries()) {
      lines.push([1, 114 + index * 24, [`Krav nummer ${index + 1} ska`, answer]]);
      lines.push([1, 124 + index * 24, ['uppfyllas.', '']]);
    }
    const rows = groupRows(lines);
    expect(rows).toHaveLength(answers.length + 1);
    expect(rows[1]).toEqual([['Krav nummer 1 ska', 'Ja'], ['uppfyllas.', '']]);
    expect(rows[8]).toEqual([['Krav nummer 8 ska', 'Ja'], ['uppfyllas.', '']]);
  });

  it('keeps a lower-case second answer line in its row', () => {
    const rows = groupRows([
      [1, 100, ['K1', 'Systemet ska logga uppslag.', 'Delvis']],
      [1, 110, ['', '', 'uppfyllt']],
      [1, 124, ['K2', 'Loggar sparas.', 'Ja']],
    ]);
    expect(rows).toEqual([
      [['K1', 'Systemet ska logga uppslag.', 'Delvis'], ['', '', 'uppfyllt']],
      [['K2', 'Loggar sparas.', 'Ja']],
    ]);
  });

  it('splits at wide gaps without short columns', () => {
    const first = 'Systemet ska logga varje uppslag mot registret';
    const second = 'Leverantören ska lämna ut loggen på begäran';
    const rows = groupRows([
      [1, 100, [first, 'Uppfylls genom den inbyggda loggningen']],
      [1, 110, ['med användare och tidpunkt.', '']],
      [1, 126, [second, 'Uppfylls inom fem arbetsdagar enligt avtal']],
      [1, 136, ['från kommunen.', '']],
    ]);
    expect(rows).toEqual([
      [[first, 'Uppfylls genom den inbyggda loggningen'], ['med användare och tidpunkt.', '']],
      [[second, 'Uppfylls inom fem arbetsdagar enligt avtal'], ['från kommunen.', '']],
    ]);
  });

  it('keeps evenly spaced lines apart', () => {
    const rows = groupRows([
      [1, 100, ['Upphandlande organisation', 'Upphandling']],
      [1, 112, ['Exempelkommunen', 'Egendeklaration för ärendesystem']],
      [1, 124, ['Kontaktperson Anna Andersson', 'Publicerad i maj']],
    ]);
    expect(rows).toHaveLength(3);
  });

  it('groups 150,000 wrapped lines between two rows', () => {
    const wrapped: [number, number, string[]][] = Array.from({ length: 150_000 }, (_, index) => [1, 114 + index * 12, ['', `rad ${index}`, '']]);
    const rows = groupRows([[1, 100, ['K1', 'Systemet ska logga', 'Ja']], ...wrapped, [1, 114 + 150_000 * 12, ['K2', 'Loggar sparas.', 'Nej']]]);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.length + rows[1]!.length).toBe(150_002);
  });

  it('keeps a repeated header apart from a split row', () => {
    const rows = groupRows([
      [1, 100, ['Krav-ID', 'Krav', 'Svar']],
      [1, 114, ['K1', 'Systemet ska logga', 'Ja']],
      [2, 100, ['Krav-ID', 'Krav', 'Svar']],
      [2, 114, ['', 'varje uppslag.', '']],
      [2, 128, ['K2', 'Loggar sparas.', 'Nej']],
    ]);
    expect(rows).toEqual([
      [['Krav-ID', 'Krav', 'Svar']],
      [['K1', 'Systemet ska logga', 'Ja'], ['', 'varje uppslag.', '']],
      [['Krav-ID', 'Krav', 'Svar']],
      [['K2', 'Loggar sparas.', 'Nej']],
    ]);
  });
});
