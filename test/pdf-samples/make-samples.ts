/**
 * Rebuilds the sample PDFs in this folder. The declarations are synthetic. Needs LibreOffice
 * (soffice), qpdf and ImageMagick (convert) on the PATH. Run from the repository root:
 *   npx tsx test/pdf-samples/make-samples.ts                      # every sample
 *   npx tsx test/pdf-samples/make-samples.ts writer-criteria.pdf  # one sample that builds alone
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import ExcelJS from 'exceljs';

const outputDir = join(import.meta.dirname);
const workDir = mkdtempSync(join(tmpdir(), 'pdf-samples-'));

type Row = [string, string, string, string];

const HEADER: Row = ['Krav-ID', 'Krav', 'Svar', 'Kommentar'];

/** Requirement rows whose texts wrap over several lines, with the line breaks placed by hand. */
const WRAPPED_ROWS: Row[] = [
  ['K1.1', 'Systemet ska identifiera varje användare med\ne-legitimation innan uppslag görs.', 'Ja', ''],
  ['K1.2', 'Behörighet till uppslag ska styras per roll.', 'Ja', 'Rollerna hämtas från kommunens\nkatalogtjänst.'],
  ['K1.3', 'Loggningen ska omfatta in-\noch utloggning.', 'Ja', ''],
  ['K1.4', 'Varje uppslag ska loggas med användare, tidpunkt\noch ändamål.', 'Delvis', 'Ändamålet loggas från\nversion 4.3.'],
  ['K2.1', 'Loggar ska sparas i minst tre år.', 'Ja', 'En full säkerhetskopiering görs\nvarje natt.'],
  ['K2.2', 'Säkerhets-\nkopiering av loggar ska ske dagligen.', 'Nej', 'Loggarna kopieras\nveckovis.'],
  ['K2.3', 'Personuppgifter ska skyddas enligt kommunens IT-\nsäkerhetspolicy.', 'Ja', ''],
  ['K2.4', 'Åtkomst ska ske via kommunens e-\ntjänst.', 'Ej tillämpligt', ''],
];

/** Number of filler rows that push the borderless table over a page break. */
export const FILLER_ROW_COUNT = 24;

/** Filler rows that push the table over a page break. */
function fillerRows(count: number): Row[] {
  const answers = ['Ja', 'Nej', 'Delvis', 'Ja'];
  return Array.from({ length: count }, (_, index) => {
    const number = index + 1;
    const text =
      number % 3 === 0
        ? `Krav nummer ${number} om spårbarhet: systemet ska\nvisa vem som gjorde uppslaget.`
        : `Krav nummer ${number} om spårbarhet.`;
    const comment = number % 5 === 0 ? `Kommentar till krav ${number}\növer två rader.` : '';
    return [`K3.${number}`, text, answers[index % answers.length]!, comment];
  });
}

function lineCount(row: readonly string[]): number {
  return Math.max(...row.map((cell) => cell.split('\n').length));
}

/** Sets the font on every cell and wraps the cells from the table's header row on. */
function styleSheet(sheet: ExcelJS.Worksheet, vertical: 'top' | 'bottom', headerRow: number): void {
  sheet.eachRow((row, rowNumber) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      cell.font = { name: 'Liberation Sans', size: 10, bold: rowNumber === headerRow };
      cell.alignment = { wrapText: rowNumber >= headerRow, vertical };
    });
  });
}

const LANDSCAPE_A4: Partial<ExcelJS.PageSetup> = {
  paperSize: 9,
  orientation: 'landscape',
  margins: { left: 0.5, right: 0.5, top: 0.75, bottom: 0.75, header: 0.3, footer: 0.3 },
};

function addRows(sheet: ExcelJS.Worksheet, rows: readonly Row[]): void {
  for (const values of rows) {
    const row = sheet.addRow(values);
    row.height = 12.8 * lineCount(values);
  }
}

/** Writes a borderless two-page declaration with a cover block, running header and footer, and top-aligned cells. */
async function writeBorderlessWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Egendeklaration');
  sheet.columns = [{ width: 18 }, { width: 44 }, { width: 12 }, { width: 30 }];
  sheet.addRow(['Egendeklaration SSBTEK']);
  sheet.addRow(['Leverantör:', 'Exempel System AB']);
  sheet.addRow(['Organisationsnummer:', '556000-0000']);
  sheet.addRow(['System:', 'Ärendeflöde 4.2']);
  sheet.addRow([]);
  sheet.addRow(HEADER);
  addRows(sheet, [...WRAPPED_ROWS, ...fillerRows(FILLER_ROW_COUNT)]);
  styleSheet(sheet, 'top', 6);
  sheet.pageSetup = { ...LANDSCAPE_A4, printTitlesRow: '6:6' };
  sheet.headerFooter = { oddHeader: '&CExempel System AB', oddFooter: '&CSida &P av &N' };
  await workbook.xlsx.writeFile(path);
}

/** Writes a one-page borderless table with the spreadsheet default of bottom-aligned cells. */
async function writeBottomAlignedWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Svar');
  sheet.columns = [{ width: 10 }, { width: 44 }, { width: 12 }, { width: 30 }];
  sheet.addRow(HEADER);
  addRows(sheet, WRAPPED_ROWS.slice(0, 5));
  styleSheet(sheet, 'bottom', 1);
  sheet.pageSetup = LANDSCAPE_A4;
  await workbook.xlsx.writeFile(path);
}

/** Writes a one-page table with printed borders and an area column merged over several rows. */
async function writeBorderedWorkbook(path: string): Promise<void> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.columns = [{ width: 14 }, { width: 10 }, { width: 44 }, { width: 12 }];
  sheet.pageSetup = LANDSCAPE_A4;
  sheet.addRow(['Område', 'Krav-ID', 'Krav', 'Svar']);
  const rows: [string, string, string, string][] = [
    ['Loggning', 'L1', 'Uppslag ska loggas.', 'Ja'],
    ['', 'L2', 'Loggen ska visa användare, tidpunkt\noch ändamål.', 'Delvis'],
    ['', 'L3', 'Loggen ska sparas i tre år.', 'Nej'],
    ['Behörighet', 'B1', 'Behörighet ska styras per roll.', 'Ja'],
  ];
  for (const values of rows) {
    const row = sheet.addRow(values);
    row.height = 12.8 * lineCount(values);
  }
  sheet.mergeCells('A2:A4');
  styleSheet(sheet, 'top', 1);
  sheet.eachRow((row) => {
    row.eachCell({ includeEmpty: true }, (cell) => {
      const thin = { style: 'thin' as const };
      cell.border = { top: thin, left: thin, bottom: thin, right: thin };
    });
  });
  await workbook.xlsx.writeFile(path);
}

/** Writes a word-processor table with borders, a repeated header and a row that a page break splits. */
function writeBorderedDocument(path: string): void {
  const longComment = Array.from(
    { length: 45 },
    (_, index) => `Åtgärd ${index + 1} i handlingsplanen är genomförd och dokumenterad.`,
  ).join(' ');
  const rows: Row[] = [
    ['W1', 'Systemet ska logga varje uppslag.', 'Ja', ''],
    ['W2', 'Loggen ska kunna lämnas ut till kommunen på begäran.', 'Delvis', longComment],
    ['W3', 'Leverantören ska rapportera incidenter inom 24 timmar.', 'Ja', 'Se bilaga 2.'],
  ];
  const cell = (text: string): string => `<td valign="top">${text}</td>`;
  const body = rows.map((row) => `<tr>${row.map(cell).join('')}</tr>`).join('\n');
  const gap = '&nbsp;'.repeat(6);
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Egendeklaration</title></head><body>
<h1>Egendeklaration SSBTEK</h1>
<p>Leverantör${gap}Exempel System AB</p>
<p>Datum${gap}2024-05-02</p>
<table border="1" cellspacing="0" cellpadding="4" width="100%">
<colgroup><col width="60"><col width="250"><col width="70"><col width="250"></colgroup>
<thead><tr><th align="left">Krav-ID</th><th align="left">Krav</th><th align="left">Svar</th><th align="left">Kommentar</th></tr></thead>
<tbody>
${body}
</tbody></table>
<p>Underskrift: Anna Andersson</p>
</body></html>`;
  writeFileSync(path, html);
}

/** Criteria rows of the first table in the criteria report, with a lettered and a nested numbering. */
const LETTERED_CRITERIA: [string, string, string][] = [
  ['(a) Varje funktion ska gå att nå från tangentbordet.', 'Supports', ''],
  ['(b) Fokus ska synas tydligt när användaren flyttar det.', 'Supports', ''],
  ['(c) Programmet ska inte blinka oftare än tre gånger per sekund.', 'Partially Supports', 'En dialogruta blinkar vid fel.'],
  ['(k)(1) Knappar ska gå att skilja åt med känseln.', 'Supports', ''],
  ['(k)(2) Knappar ska gå att använda med en hand.', 'Not Applicable', 'Produkten har inga fysiska knappar.'],
];

/** Lines of the criteria cell of the row that the page break splits. */
const SPLIT_ROW_LINE_COUNT = 70;

/**
 * Writes a word-processor report of accessibility criteria, as conformance reports lay them out:
 * a table title in a cell that spans every column, header labels that sit close above the
 * border below them, lettered items, a link line and a chapter title between two tables, a heading
 * row that needs no answer, an answer that refers elsewhere, a row whose criterion and answer
 * both continue on the next page below a repeated header, and a revision table after the
 * closing line.
 */
function writeCriteriaReport(path: string): void {
  // The header labels are large and unpadded, so their baseline lies closer to the border below
  // them than a third of the font size. The middle label's border has its own colour, so the
  // border is drawn as one segment per cell.
  const label = 'font-size:14pt; padding:0; line-height:85%';
  const header =
    `<tr><th align="left" style="${label}">Criteria</th>` +
    `<th style="${label}; border-bottom: 1px solid #1f3864">Conformance Level</th>` +
    `<th align="right" style="${label}">Remarks</th></tr>`;
  const row = (cells: readonly string[]): string => `<tr>${cells.map((cell) => `<td valign="top">${cell}</td>`).join('')}</tr>`;
  const splitCriterion = [
    '5.2.2 Objektinformation ska vara tillgänglig för hjälpmedel.',
    ...Array.from({ length: SPLIT_ROW_LINE_COUNT }, (_, index) => `Omfattar även del ${index + 1} av standarden`),
  ].join('<br>');
  const splitAnswer = ['Web: Supports', ...Array.from({ length: SPLIT_ROW_LINE_COUNT }, () => '&nbsp;'), 'Authoring Tool: Partially Supports'].join('<br>');
  const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Tillgänglighetsrapport</title>
<style>td, th { font-size: 9pt; font-family: 'Liberation Sans'; }</style></head><body>
<p>Tillgänglighetsrapport för Exempelsystemet 2.0</p>
<table border="1" cellspacing="0" cellpadding="0" width="100%">
<colgroup><col width="260"><col width="200"><col width="190"></colgroup>
<tr><td colspan="3" align="center"><b>Kapitel 1: Programvara – detaljerad redovisning av varje kriterium</b></td></tr>
${header}
${LETTERED_CRITERIA.map(row).join('\n')}
</table>
<p><a href="http://example.org/">Tillbaka till innehållsförteckningen.</a> http://example.org/rapporter/tillganglighet/innehall.html</p>
<p>Kapitel 5: Programvara</p>
<table border="1" cellspacing="0" cellpadding="0" width="100%">
<colgroup><col width="260"><col width="200"><col width="190"></colgroup>
<thead>${header}</thead>
${row(['5.1 Omfattning', 'See chapter 1', 'Redovisas i kapitel 1.'])}
${row(['5.2 Samverkan med hjälpmedel', 'Heading cell – no response required', 'Heading cell – no response required'])}
${row(['5.2.1 Användaren ska kunna styra hjälpmedlens funktioner.', 'Supports', ''])}
${row([splitCriterion, splitAnswer, 'Mallarna saknar etiketter på två fält.'])}
${row(['5.2.3 Värden ska kunna läsas av hjälpmedel.', 'Does Not Support', 'Åtgärdas i version 3.'])}
</table>
<p>End of Document</p>
<table border="1" cellspacing="0" cellpadding="2" width="100%">
<tr><th align="left">Date</th><th align="left">Description</th></tr>
<tr><td>May 2024</td><td>Updated the answers to every criterion.</td></tr>
<tr><td>March 2023</td><td>First publication</td></tr>
</table>
</body></html>`;
  writeFileSync(path, html);
}

/** Builds the criteria report alone, since it needs neither a workbook nor the other samples. */
function buildCriteriaReport(): void {
  const source = join(workDir, 'writer-criteria.html');
  writeCriteriaReport(source);
  copyFileSync(convertToPdf(source, 'HTML (StarWriter)'), join(outputDir, 'writer-criteria.pdf'));
}

function convertToPdf(source: string, filter?: string): string {
  const args = ['--headless'];
  if (filter) args.push(`--infilter=${filter}`);
  args.push('--convert-to', 'pdf', '--outdir', workDir, source);
  execFileSync('soffice', args, { stdio: 'ignore' });
  return source.replace(/\.[a-z]+$/, '.pdf');
}

/**
 * Writes a page that contains only a picture, as a scanner makes it. The picture is a PNG of a
 * grey box inside an HTML page, so the PDF made from it has no text layer.
 */
function writeImageDocument(path: string): void {
  const image = path.replace(/\.html$/, '.png');
  execFileSync('convert', ['-size', '600x400', 'xc:white', '-fill', 'gray', '-draw', 'rectangle 50,50 550,120', image]);
  const name = image.split('/').at(-1)!;
  writeFileSync(path, `<!DOCTYPE html><html><body><img src="${name}" width="600" height="400"></body></html>`);
}

async function main(): Promise<void> {
  const borderless = join(workDir, 'calc-borderless.xlsx');
  const bottom = join(workDir, 'calc-bottom-aligned.xlsx');
  const bordered = join(workDir, 'calc-bordered.xlsx');
  const document = join(workDir, 'writer-bordered.html');
  const scan = join(workDir, 'scanned-page.html');
  await writeBorderlessWorkbook(borderless);
  await writeBottomAlignedWorkbook(bottom);
  await writeBorderedWorkbook(bordered);
  writeBorderedDocument(document);
  writeImageDocument(scan);

  for (const source of [borderless, bottom, bordered]) {
    const pdf = convertToPdf(source);
    copyFileSync(pdf, join(outputDir, pdf.split('/').at(-1)!));
  }
  copyFileSync(convertToPdf(document, 'HTML (StarWriter)'), join(outputDir, 'writer-bordered.pdf'));
  copyFileSync(convertToPdf(scan, 'HTML (StarWriter)'), join(outputDir, 'scanned-page.pdf'));

  const complete = readFileSync(join(outputDir, 'calc-bottom-aligned.pdf'));
  writeFileSync(join(outputDir, 'truncated.pdf'), complete.subarray(0, Math.floor(complete.length / 2)));
  execFileSync('qpdf', [
    '--encrypt', 'läsare', 'ägare', '256', '--',
    join(outputDir, 'calc-bottom-aligned.pdf'),
    join(outputDir, 'password-protected.pdf'),
  ]);
}

/** Samples that can be rebuilt one at a time by naming them on the command line. */
const SINGLE_SAMPLES: Record<string, () => void> = { 'writer-criteria.pdf': buildCriteriaReport };

const requested = process.argv.slice(2);
if (requested.length === 0) {
  await main();
  buildCriteriaReport();
}
for (const name of requested) {
  const build = SINGLE_SAMPLES[name];
  if (!build) {
    throw new Error(`Unknown sample '${name}'. Samples that build alone: ${Object.keys(SINGLE_SAMPLES).join(', ')}.`);
  }
  build();
}
