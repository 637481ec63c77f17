import { describe, expect, it } from 'vitest';
import { DeclarationFileError } from '../errors.ts';
import { readZipEntryOriginalSize } from './containers.ts';
import { addZip64EndRecord, buildStoredZip } from './test-workbook.ts';
import { parseDeclaration } from './parse.ts';
import { isDateFormat, percentDecimals, textSections } from './number-formats.ts';
import { MAX_PART_BYTES, readWorkbookCells } from './xlsx-package.ts';
import { workbookToGrids } from './xlsx.ts';

const WORKBOOK_RELATIONS = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
  <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
  <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`;

const ROOT_RELATIONS = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
  <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>`;

/** Builds a one-sheet package from raw XML parts, so that each test controls the markup exactly. */
function packageWith(
  parts: { sheet: string; sharedStrings?: string; styles?: string; workbook?: string; sheetRelations?: string; extra?: Record<string, string> },
  zip64OriginalSizes: Record<string, number> = {},
) {
  return buildStoredZip({
    '_rels/.rels': ROOT_RELATIONS,
    'xl/workbook.xml':
      parts.workbook ??
      `<workbook xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Krav &amp; svar" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': WORKBOOK_RELATIONS,
    'xl/sharedStrings.xml': parts.sharedStrings ?? '<sst/>',
    'xl/styles.xml': parts.styles ?? '<styleSheet/>',
    'xl/worksheets/sheet1.xml': parts.sheet,
    ...(parts.sheetRelations ? { 'xl/worksheets/_rels/sheet1.xml.rels': parts.sheetRelations } : {}),
    ...parts.extra,
  }, 'utf8', zip64OriginalSizes);
}

/** Rewrites the unpacked size that the central directory gives for one entry. */
function claimUnpackedSize(bytes: Uint8Array, entryName: string, size: number): Uint8Array {
  const view = Buffer.from(bytes);
  const name = Buffer.from(entryName);
  const signature = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
  for (let offset = view.indexOf(signature); offset >= 0; offset = view.indexOf(signature, offset + 4)) {
    if (view.subarray(offset + 46, offset + 46 + name.length).equals(name)) view.writeUInt32LE(size, offset + 24);
  }
  return new Uint8Array(view);
}

/** Returns the DeclarationFileError that reading the package raises, and fails the test when it raises none. */
function readError(bytes: Uint8Array, fileName: string): DeclarationFileError {
  try {
    readWorkbookCells(bytes, fileName);
  } catch (error) {
    expect(error).toBeInstanceOf(DeclarationFileError);
    return error as DeclarationFileError;
  }
  throw new Error(`readWorkbookCells read ${fileName}`);
}

/** Returns the sheet's cell texts by row number and 1-based column number. */
const cellsOf = (bytes: Uint8Array) => {
  const [sheet] = readWorkbookCells(bytes, 'paket.xlsx');
  return Object.fromEntries(
    [...sheet!.rows].map(([row, { cells, outside }]) => {
      const byColumn = new Map(outside);
      cells.forEach((text, index) => byColumn.set(index + 1, text));
      return [row, Object.fromEntries(byColumn)];
    }),
  );
};

describe('readWorkbookCells', () => {
  it('joins rich text runs without phonetic guides', () => {
    const bytes = packageWith({
      sharedStrings: `<sst><si><r><t>Fet </t></r><r><t xml:space="preserve">text</t></r><rPh sb="0" eb="1"><t>ふりがな</t></rPh></si>
        <si><t>Rad_x000D_brytning &lt;3 &#229;</t></si></sst>`,
      sheet: `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row></sheetData></worksheet>`,
    });
    expect(cellsOf(bytes)).toEqual({ 1: { 1: 'Fet text', 2: 'Rad\rbrytning <3 å' } });
  });

  it('warns of formulas without a saved result', async () => {
    const extra = `<row r="4"><c r="A4"><f>"K-"&amp;ROW()</f></c><c r="B4" t="inlineStr"><is><t>Systemet sparar loggen i ett år.</t></is></c>
      <c r="C4" t="inlineStr"><is><t>Nej</t></is></c></row><row r="5"><c r="A5" t="str"><f>"K-"&amp;ROW()</f></c></row>`;
    const parsed = await parseDeclaration(packageWith({ sheet: tableSheet(extra) }), 'formler.xlsx');
    expect(parsed.rows.map((row) => row.requirementId)).toEqual(['K-1', 'K-2', null]);
    expect(parsed.report.warnings).toContainEqual(expect.stringMatching(/^Sheet 'Krav & svar': 2 cells hold formulas without a saved result, first in row 4, read as empty\./));
  });

  it('keeps a formula result of zero', () => {
    const bytes = packageWith({
      sheet: `<worksheet><sheetData><row r="2"><c r="A2"><f>0+COUNTIF(B:B,"Ja")</f><v>0</v></c><c r="B2"><f>A2*2</f></c></row></sheetData></worksheet>`,
    });
    expect(cellsOf(bytes)).toEqual({ 2: { 1: '0', 2: '' } });
  });

  it('reads inline strings, booleans, errors and ISO dates', () => {
    const bytes = packageWith({
      sheet: `<worksheet><sheetData><row r="1">
        <c r="A1" t="inlineStr"><is><r><t>Inline </t></r><r><t>rik</t></r></is></c>
        <c r="B1" t="b"><v>1</v></c><c r="C1" t="e"><v>#REF!</v></c><c r="D1" t="d"><v>2024-03-15T00:00:00Z</v></c>
        <c r="E1" t="str"><f>A1</f><v>Inline rik</v></c><c r="F1" s="1"/></row></sheetData></worksheet>`,
    });
    expect(cellsOf(bytes)).toEqual({ 1: { 1: 'Inline rik', 2: 'TRUE', 3: '#REF!', 4: '2024-03-15', 5: 'Inline rik' } });
  });

  it('shows numbers with a date format as dates', () => {
    const styles = `<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="&quot;kr&quot; 0.00"/></numFmts>
      <cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>45366</v></c><c r="B1" s="2"><v>45366.5</v></c>
      <c r="C1" s="3"><v>12.5</v></c><c r="D1"><v>0.30000000000000004</v></c></row></sheetData></worksheet>`;
    expect(cellsOf(packageWith({ styles, sheet }))).toEqual({ 1: { 1: '2024-03-15', 2: '2024-03-15', 3: '12.5', 4: '0.3' } });

    const workbook1904 = `<workbook xmlns:r="r"><workbookPr date1904="1"/><sheets><sheet name="Krav" sheetId="1" r:id="rId1"/></sheets></workbook>`;
    expect(cellsOf(packageWith({ styles, sheet, workbook: workbook1904 }))[1]![1]).toBe('2028-03-16');
  });

  it('tells date formats from number formats', () => {
    expect(isDateFormat('yyyy-mm-dd')).toBe(true);
    expect(isDateFormat('[$-41D]d mmmm yyyy')).toBe(true);
    expect(isDateFormat('"kr" #,##0.00')).toBe(false);
    expect(isDateFormat('0%')).toBe(false);
    expect(isDateFormat('0\\ \\k\\m')).toBe(false);
    expect(isDateFormat('[h]:mm')).toBe(false);
    expect(isDateFormat('YYYY-MM-DD')).toBe(true);
  });

  it('shows numbers with a percent format as percentages', () => {
    const styles = `<styleSheet><numFmts count="3"><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/>
      <numFmt numFmtId="166" formatCode="[Red]#,##0.000\\ %;[Red]-#,##0.000\\ %"/></numFmts>
      <cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="10"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="166"/></cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>0.25</v></c><c r="B1" s="2"><v>0.25</v></c><c r="C1" s="3"><v>0.285</v></c>
      <c r="D1" s="4"><v>12.5</v></c><c r="E1" s="5"><v>-0.0123456</v></c><c r="F1"><v>0.25</v></c><c r="G1" s="2"><v>1.005E-2</v></c></row></sheetData></worksheet>`;
    expect(cellsOf(packageWith({ styles, sheet }))).toEqual({
      1: { 1: '25%', 2: '25.00%', 3: '28.5%', 4: '12.5', 5: '-1.235%', 6: '0.25', 7: '1.01%' },
    });
  });

  it('reads decimals of percent formats', () => {
    expect(percentDecimals('0%')).toBe(0);
    expect(percentDecimals('0.00%')).toBe(2);
    expect(percentDecimals('#,##0.0 %')).toBe(1);
    expect(percentDecimals('0.0#?%')).toBe(3);
    expect(percentDecimals('[Green]0%;[Red]-0.0%')).toBe(0);
    expect(percentDecimals('0.00;-0.0%')).toBe(1);
    expect(percentDecimals('0.0"%"')).toBeNull();
    expect(percentDecimals('0.0\\%')).toBeNull();
    expect(percentDecimals('0_%')).toBeNull();
    expect(percentDecimals('[$%-41D]0.00')).toBeNull();
    expect(percentDecimals('0.00')).toBeNull();
  });

  it('shows the texts of a format without digits', () => {
    const styles = `<styleSheet><numFmts count="2"><numFmt numFmtId="164" formatCode="&quot;Ja&quot;;;&quot;Nej&quot;"/>
      <numFmt numFmtId="165" formatCode="[Blue]&quot;Uppfyllt&quot;;[Red]&quot;Ej uppfyllt&quot;"/></numFmts>
      <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/></cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>0</v></c><c r="C1" s="1"><v>-1</v></c>
      <c r="D1" s="2"><v>1</v></c><c r="E1" s="2"><v>-1</v></c><c r="F1" s="2"><v>0</v></c></row></sheetData></worksheet>`;
    expect(cellsOf(packageWith({ styles, sheet }))).toEqual({ 1: { 1: 'Ja', 2: 'Nej', 3: '', 4: 'Uppfyllt', 5: 'Ej uppfyllt', 6: 'Uppfyllt' } });
  });

  it('reads text sections only where no section prints a number', () => {
    expect(textSections('"Ja";;"Nej"')).toEqual({ positive: 'Ja', negative: '', zero: 'Nej' });
    expect(textSections('"a;b";"c"')).toEqual({ positive: 'a;b', negative: 'c', zero: 'a;b' });
    expect(textSections('\\J\\a;\\N\\e\\j')).toEqual({ positive: 'Ja', negative: 'Nej', zero: 'Ja' });
    expect(textSections('"Ja"')).toBeNull();
    expect(textSections('0;"Nej"')).toBeNull();
    expect(textSections('[=1]"Ja";[=0]"Nej"')).toBeNull();
    expect(textSections('yyyy;"Nej"')).toBeNull();
    expect(textSections('General;General')).toBeNull();
  });

  it('reads serial dates before March 1900 as Excel shows them', () => {
    const styles = `<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>`;
    const sheet = `<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>1</v></c><c r="B1" s="1"><v>59</v></c><c r="C1" s="1"><v>61</v></c></row></sheetData></worksheet>`;
    expect(cellsOf(packageWith({ styles, sheet }))).toEqual({ 1: { 1: '1900-01-01', 2: '1900-02-28', 3: '1900-03-01' } });
  });

  it('reads dates, booleans and escapes in every cell type', () => {
    const bytes = packageWith({
      sheet: `<worksheet><sheetData><row r="1"><c r="A1" t="d"><v>2025-03-01T00:00:00</v></c><c r="B1" t="b"><v>false</v></c>
        <c r="C1" t="str"><f>A1</f><v>Rad_x000D_brytning</v></c><c r="D1" t="inlineStr"><is><t>&amp;constructor; &constructor;</t></is></c></row></sheetData></worksheet>`,
    });
    expect(cellsOf(bytes)).toEqual({ 1: { 1: '2025-03-01', 2: 'FALSE', 3: 'Rad\rbrytning', 4: '&constructor; &constructor;' } });
  });

  it('decodes escapes cut between unpacked pieces', () => {
    // A stored part is unpacked and scanned in pieces of 16 KiB, so each escape below straddles a cut.
    const pieceBytes = 16 * 1024;
    const sharedOpening = '<sst><si><t>';
    const sharedStrings = `${sharedOpening}${'a'.repeat(pieceBytes - sharedOpening.length - 3)}_x000D_b</t></si></sst>`;
    const sheetOpening = '<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>';
    const sheet = `${sheetOpening}${'c'.repeat(pieceBytes - sheetOpening.length - 3)}_x000D_d</t></is></c></row></sheetData></worksheet>`;

    const cells = cellsOf(packageWith({ sheet, sharedStrings }))[1]!;
    expect(cells[1]!.endsWith('a\rb')).toBe(true);
    expect(cells[2]!.endsWith('c\rd')).toBe(true);
  });

  it('reads prefixed elements and cells without references', () => {
    const bytes = packageWith({
      sheet: `<x:worksheet xmlns:x="main"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>A</x:t></x:is></x:c><x:c t="inlineStr"><x:is><x:t>B</x:t></x:is></x:c></x:row>
        <x:row hidden="1"><x:c r="C2"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
    });
    const [sheet] = readWorkbookCells(bytes, 'paket.xlsx');
    expect(sheet!.name).toBe('Krav & svar');
    expect(cellsOf(bytes)).toEqual({ 1: { 1: 'A', 2: 'B' }, 2: { 3: '3' } });
    expect(sheet!.rows.get(2)!.hidden).toBe(true);
  });

  it('uses the address of a hyperlink whose cell is blank', () => {
    const bytes = packageWith({
      sheet: `<worksheet xmlns:r="r"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c><c r="B1" t="inlineStr"><is><t>Länk</t></is></c></row></sheetData>
        <hyperlinks><hyperlink ref="A1" r:id="rId7"/><hyperlink ref="B1" r:id="rId7"/></hyperlinks></worksheet>`,
      sheetRelations: `<Relationships><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/bilaga.pdf" TargetMode="External"/></Relationships>`,
    });
    expect(cellsOf(bytes)).toEqual({ 1: { 1: 'https://example.org/bilaga.pdf', 2: 'Länk' } });
  });

  it('rejects markup that is not XML', () => {
    const bytes = packageWith({ sheet: '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Avbruten' + '<!-- utan slut' });
    const error = readError(bytes, 'trasig.xlsx');
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toContain('xl/worksheets/sheet1.xml');
  });

  it('rejects crossed and unclosed elements', () => {
    for (const sheet of [
      '<worksheet><sheetData><row r="1"><c r="A1"><v>1</c></v></row></sheetData></worksheet>',
      '<worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row>',
    ]) {
      expect(readError(packageWith({ sheet }), 'avkortad.xlsx').code).toBe('corrupt-file');
    }
  });

  it('rejects row numbers Excel cannot have', () => {
    for (const number of ['3000000000', '1048577', '0', 'två']) {
      const sheet = `<worksheet><sheetData><row r="${number}"><c r="A1" t="inlineStr"><is><t>K-1</t></is></c></row></sheetData></worksheet>`;
      const error = readError(packageWith({ sheet }), 'rader.xlsx');
      expect(error.code, number).toBe('corrupt-file');
      expect(error.message, number).toContain(`row number ${number} is outside Excel's rows 1 to 1,048,576`);
    }
    const last = `<worksheet><sheetData><row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Sist</t></is></c></row></sheetData></worksheet>`;
    expect(cellsOf(packageWith({ sheet: last }))).toEqual({ 1048576: { 1: 'Sist' } });
  });

  it('finds parts whatever their case and reads UTF-16', () => {
    const sheet = '<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Utf-16 ÅÄÖ</t></is></c></row></sheetData></worksheet>';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sheet, 'utf16le')]).toString('latin1');
    const bytes = buildStoredZip({
      '_rels/.rels': ROOT_RELATIONS,
      'xl/workbook.xml': `<workbook xmlns:r="r"><sheets><sheet name="Krav" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': WORKBOOK_RELATIONS.replace('worksheets/sheet1.xml', 'Worksheets/Sheet1.xml'),
      'xl/worksheets/sheet1.xml': utf16,
    }, 'latin1');
    expect(cellsOf(bytes)).toEqual({ 1: { 1: 'Utf-16 ÅÄÖ' } });
  });

  it('finds a workbook at another path through its relationships', async () => {
    const sheet = tableSheet('');
    const bytes = buildStoredZip({
      '[Content_Types].xml': `<Types><Override PartName="/bok/arbetsbok.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`,
      '_rels/.rels': ROOT_RELATIONS.replace('xl/workbook.xml', 'bok/arbetsbok.xml'),
      'bok/arbetsbok.xml': `<workbook xmlns:r="r"><sheets><sheet name="Krav" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      'bok/_rels/arbetsbok.xml.rels': WORKBOOK_RELATIONS.replace('worksheets/sheet1.xml', '../ark/forsta.xml'),
      'ark/forsta.xml': sheet,
    });
    const parsed = await parseDeclaration(bytes, 'annan-plats.xlsx');
    expect(parsed.format).toBe('xlsx');
    expect(parsed.rows.map((row) => row.requirementId)).toEqual(['K-1', 'K-2']);
  });

  it('leaves parts that nothing refers to packed', () => {
    const bytes = packageWith({ sheet: tableSheet(''), extra: { 'xl/junk/part1.xml': '<junk/>' } });
    // The unused part claims to unpack to 4 GB; reading the workbook must not touch it.
    const claimed = claimUnpackedSize(bytes, 'xl/junk/part1.xml', 0xfffffff0);
    expect(cellsOf(claimed)[2]).toEqual({ 1: 'K-1', 2: 'Systemet loggar varje uppslag mot SSBTEK.', 3: 'Nej' });
  });

  it('rejects two ZIP entries of one name', () => {
    const sheet = tableSheet('');
    const entries = (secondName: string): [string, string][] => [
      ['_rels/.rels', ROOT_RELATIONS],
      ['xl/workbook.xml', `<workbook xmlns:r="r"><sheets><sheet name="Krav" sheetId="1" r:id="rId1"/></sheets></workbook>`],
      ['xl/_rels/workbook.xml.rels', WORKBOOK_RELATIONS],
      ['xl/worksheets/sheet1.xml', sheet],
      [secondName, sheet.replace('Nej', 'Ja')],
    ];

    const sameName = readError(buildStoredZip(entries('xl/worksheets/sheet1.xml')), 'dubbel.xlsx');
    expect(sameName.code).toBe('corrupt-file');
    expect(sameName.message).toContain("'dubbel.xlsx'");
    expect(sameName.message).toContain('two ZIP entries have the name xl/worksheets/sheet1.xml');
    expect(sameName.message).toContain('save it again');

    const otherCase = readError(buildStoredZip(entries('XL/Worksheets/Sheet1.xml')), 'dubbel.xlsx');
    expect(otherCase.code).toBe('corrupt-file');
    expect(otherCase.message).toContain('xl/worksheets/sheet1.xml and XL/Worksheets/Sheet1.xml');
  });

  it('rejects two sheets of one name', () => {
    const sheets = (second: string) =>
      `<workbook xmlns:r="r"><sheets><sheet name="Krav" sheetId="1" r:id="rId1"/><sheet name="${second}" sheetId="2" r:id="rId1"/></sheets></workbook>`;

    const sameName = readError(packageWith({ sheet: tableSheet(''), workbook: sheets('Krav') }), 'flikar.xlsx');
    expect(sameName.code).toBe('corrupt-file');
    expect(sameName.message).toContain("'flikar.xlsx'");
    expect(sameName.message).toContain("two sheets in xl/workbook.xml have the name 'Krav'");
    expect(sameName.message).toContain('save it again');

    const otherCase = readError(packageWith({ sheet: tableSheet(''), workbook: sheets('KRAV') }), 'flikar.xlsx');
    expect(otherCase.code).toBe('corrupt-file');
    expect(otherCase.message).toContain("'Krav' and 'KRAV'");
  });

  it('rejects a part that unpacks beyond the limit', () => {
    const bytes = claimUnpackedSize(packageWith({ sheet: '<worksheet><sheetData/></worksheet>' }), 'xl/worksheets/sheet1.xml', 0xfffffff0);
    const error = readError(bytes, 'bomb.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('xl/worksheets/sheet1.xml');
    expect(error.message).toContain(`${MAX_PART_BYTES / 1024 / 1024} MiB`);
  });

  it('reports the ZIP64 size of a large part', () => {
    const sheet = '<worksheet><sheetData/></worksheet>';
    const bytes = packageWith({ sheet }, { 'xl/worksheets/sheet1.xml': 5_000_000_000 });
    const error = readError(bytes, 'zip64.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('xl/worksheets/sheet1.xml, which unpacks to 5000 MB,');
    expect(error.message).not.toContain('4295 MB');
  });

  it('reads ZIP64 sizes through a ZIP64 end record', () => {
    const bytes = addZip64EndRecord(packageWith({ sheet: '<worksheet><sheetData/></worksheet>' }, { 'xl/worksheets/sheet1.xml': 5_000_000_000 }));
    // The entries are in packageWith's order, so the worksheet is the sixth and the workbook the second.
    expect(readZipEntryOriginalSize(bytes, 5)).toBe(5_000_000_000);
    expect(readZipEntryOriginalSize(bytes, 1)).toBeGreaterThan(0);
    expect(readZipEntryOriginalSize(bytes, 1)).toBeLessThan(1000);
    expect(readZipEntryOriginalSize(bytes, 6)).toBeNull();
    const error = readError(bytes, 'zip64.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('xl/worksheets/sheet1.xml, which unpacks to 5000 MB,');
  });

  it('reports a large part without a ZIP64 size', () => {
    const bytes = claimUnpackedSize(packageWith({ sheet: '<worksheet><sheetData/></worksheet>' }), 'xl/worksheets/sheet1.xml', 0xffffffff);
    const error = readError(bytes, 'zip64.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain('xl/worksheets/sheet1.xml, which unpacks to 4 GiB or more,');
  });

  it('rejects a small ZIP64 size without a ZIP64 end record', () => {
    const bytes = packageWith({ sheet: '<worksheet><sheetData/></worksheet>' }, { 'xl/worksheets/sheet1.xml': 34 });
    const error = readError(bytes, 'zip64.xlsx');
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toContain('the ZIP entry xl/worksheets/sheet1.xml gives its size only in a ZIP64 field');
  });
});

/** Builds a sheet with a requirement table in A1:C3, followed by the given rows and merged ranges. */
function tableSheet(extraRows: string, mergeCells = ''): string {
  const cell = (reference: string, text: string) => `<c r="${reference}" t="inlineStr"><is><t>${text}</t></is></c>`;
  return `<worksheet><sheetData>
    <row r="1">${cell('A1', 'Krav-ID')}${cell('B1', 'Krav')}${cell('C1', 'Svar')}</row>
    <row r="2">${cell('A2', 'K-1')}${cell('B2', 'Systemet loggar varje uppslag mot SSBTEK.')}${cell('C2', 'Nej')}</row>
    <row r="3">${cell('A3', 'K-2')}${cell('B3', 'Systemet visar beslutet för handläggaren.')}${cell('C3', 'Ja')}</row>
    ${extraRows}</sheetData>${mergeCells}</worksheet>`;
}

describe('workbookToGrids on oversized sheets', () => {
  it('cuts merged ranges to the used area', async () => {
    const merges = Array.from({ length: 40 }, (_, index) => `<mergeCell ref="A${1000 + index * 61}:XFD${1060 + index * 61}"/>`).join('');
    const masters = Array.from({ length: 40 }, (_, index) => `<row r="${1000 + index * 61}"><c r="A${1000 + index * 61}" t="inlineStr"><is><t>x</t></is></c></row>`).join('');
    const bytes = packageWith({ sheet: tableSheet(masters, `<mergeCells>${merges}</mergeCells>`) });

    const [grid] = await workbookToGrids(bytes, 'sammanslagen.xlsx');
    // Rows 1000 to 3379, the last row with a value, repeat their range's text in columns A to C.
    expect(grid!.rows.length).toBe(3 + 2380);
    expect(Math.max(...grid!.rows.map((row) => row.cells.length))).toBe(3);
  });

  it('leaves out values beyond the last column', async () => {
    const far = Array.from({ length: 3 }, (_, index) => `<row r="${10 + index}"><c r="XFD${10 + index}" t="inlineStr"><is><t>långt bort</t></is></c></row>`).join('');
    const bytes = packageWith({ sheet: tableSheet(far) });

    const [grid] = await workbookToGrids(bytes, 'bred.xlsx');
    expect(grid!.ignoredCells).toBe(3);
    expect(grid!.rows).toHaveLength(3);
    const parsed = await parseDeclaration(bytes, 'bred.xlsx');
    expect(parsed.rows.map((row) => row.requirementId)).toEqual(['K-1', 'K-2']);
    expect(parsed.report.warnings).toContain("Sheet 'Krav & svar': 3 cells with a value beyond column 1,024 were not read.");
  });
});

describe('readWorkbookCells on malformed sheets', () => {
  const cell = (reference: string, text: string) => `<c r="${reference}" t="inlineStr"><is><t>${text}</t></is></c>`;

  it('keeps the first of two rows with one number', async () => {
    const later = `<row r="2">${cell('A2', 'K-1')}${cell('B2', 'Ersatt text')}${cell('C2', 'Ja')}</row>`;
    const bytes = packageWith({ sheet: tableSheet(`<row r="4">${cell('A4', 'K-3')}</row>${later}${later}`) });

    const [sheet] = readWorkbookCells(bytes, 'rader.xlsx');
    expect(cellsOf(bytes)[2]).toEqual({ 1: 'K-1', 2: 'Systemet loggar varje uppslag mot SSBTEK.', 3: 'Nej' });
    expect(sheet!.anomalies).toEqual({ duplicateRows: { count: 2, first: ['2'] } });
    const parsed = await parseDeclaration(bytes, 'rader.xlsx');
    expect(parsed.rows.find((row) => row.requirementId === 'K-1')!.answer).toBe('not-met');
    expect(parsed.report.warnings).toContain(
      "Sheet 'Krav & svar': row 2 occurs again further down the file, so 2 later copies were left out. Check the row and save the file again.",
    );
  });

  it('keeps the first of two cells with one reference', async () => {
    const bytes = packageWith({ sheet: tableSheet(`<row r="4">${cell('A4', 'K-3')}${cell('B4', 'Loggar sparas.')}${cell('C4', 'Nej')}${cell('C4', 'Ja')}</row>`) });

    const [sheet] = readWorkbookCells(bytes, 'celler.xlsx');
    expect(cellsOf(bytes)[4]).toEqual({ 1: 'K-3', 2: 'Loggar sparas.', 3: 'Nej' });
    expect(sheet!.anomalies).toEqual({ duplicateCells: { count: 1, first: ['C4'] } });
    const parsed = await parseDeclaration(bytes, 'celler.xlsx');
    expect(parsed.report.warnings).toContain(
      "Sheet 'Krav & svar': cell C4 occurs again in the same row, so the later value was left out. Check the cell and save the file again.",
    );
  });

  it('reads a shared string past the table as empty', async () => {
    const shared = (reference: string, index: string) => `<c r="${reference}" t="s"><v>${index}</v></c>`;
    const rows = [4, 5, 6, 7, 8, 9, 10].map((number, index) => `<row r="${number}">${shared(`A${number}`, '0')}${shared(`B${number}`, String(index + 1))}</row>`);
    const bytes = packageWith({ sheet: tableSheet(rows.join('')), sharedStrings: '<sst><si><t>K-9</t></si><si><t>Loggar sparas.</t></si></sst>' });

    const [sheet] = readWorkbookCells(bytes, 'delade.xlsx');
    expect(cellsOf(bytes)[4]).toEqual({ 1: 'K-9', 2: 'Loggar sparas.' });
    expect(cellsOf(bytes)[5]).toEqual({ 1: 'K-9', 2: '' });
    expect(sheet!.anomalies).toEqual({ missingSharedStrings: { count: 6, first: ['B5', 'B6', 'B7', 'B8', 'B9'] } });
    const parsed = await parseDeclaration(bytes, 'delade.xlsx');
    expect(parsed.report.warnings).toContain(
      "Sheet 'Krav & svar': 6 cells refer to shared strings that the workbook does not contain (B5, B6, B7, B8, B9 and others), " +
        'so they were read as empty. Save the file again in Excel or LibreOffice and send it again.',
    );
  });

  it('warns of one missing shared string by its cell', async () => {
    const bytes = packageWith({ sheet: tableSheet('<row r="4"><c r="D4" t="s"><v>-1</v></c></row>') });
    const parsed = await parseDeclaration(bytes, 'delade.xlsx');
    expect(parsed.report.warnings).toContain(
      "Sheet 'Krav & svar': cell D4 refers to a shared string that the workbook does not contain, so it was read as empty. " +
        'Save the file again in Excel or LibreOffice and send it again.',
    );
  });
});

describe('readWorkbookCells on cells beyond 32,767 characters', () => {
  const inline = (reference: string, text: string) => `<c r="${reference}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const sheetWith = (cells: string) => tableSheet(`<row r="4">${inline('A4', 'K-3')}${inline('B4', 'Loggar sparas.')}${inline('C4', 'Nej')}${cells}</row>`);

  it('cuts inline strings, values and shared strings', () => {
    const long = 'lång kommentar '.repeat(3_000);
    const bytes = packageWith({
      sheet: sheetWith(`${inline('D4', long)}<c r="E4" t="str"><v>${'x'.repeat(300_000)}</v></c><c r="F4" t="s"><v>0</v></c><c r="G4" t="s"><v>0</v></c>`),
      sharedStrings: `<sst><si><t>${long}</t></si></sst>`,
    });

    const [sheet] = readWorkbookCells(bytes, 'lång.xlsx');
    const cells = cellsOf(bytes)[4]!;
    expect(cells[4]).toBe(long.slice(0, 32_767));
    expect(cells[5]).toBe('x'.repeat(32_767));
    expect(cells[6]).toBe(long.slice(0, 32_767));
    expect(cells[7]).toBe(long.slice(0, 32_767));
    expect(sheet!.anomalies).toEqual({ truncatedCells: { count: 4, first: ['D4', 'E4', 'F4', 'G4'] } });
  });

  it('counts the limit after decoding escapes', () => {
    const bytes = packageWith({ sheet: sheetWith(`${inline('D4', '_x0041_'.repeat(32_767))}${inline('E4', '_x0041_'.repeat(32_768))}`) });

    const [sheet] = readWorkbookCells(bytes, 'escapes.xlsx');
    const cells = cellsOf(bytes)[4]!;
    expect(cells[4]).toBe('A'.repeat(32_767));
    expect(cells[5]).toBe('A'.repeat(32_767));
    expect(sheet!.anomalies).toEqual({ truncatedCells: { count: 1, first: ['E4'] } });
  });

  it('keeps a surrogate pair whole at the cut', () => {
    const bytes = packageWith({ sheet: sheetWith(inline('D4', `${'a'.repeat(32_766)}😀b`)) });
    expect(cellsOf(bytes)[4]![4]).toBe('a'.repeat(32_766));
  });

  it('parses a comment of 5 MiB with a warning', async () => {
    // Cyrillic letters make a two-byte string, on which a word this long would overflow the file-name pattern's stack.
    const comment = `${'я'.repeat(5 * 1024 * 1024)} se logg.txt`;
    const sheet = `<worksheet><sheetData>
      <row r="1">${inline('A1', 'Krav-ID')}${inline('B1', 'Krav')}${inline('C1', 'Svar')}${inline('D1', 'Kommentar')}</row>
      <row r="4">${inline('A4', 'K-3')}${inline('B4', 'Loggar sparas.')}${inline('C4', 'Nej')}${inline('D4', comment)}</row>
      </sheetData></worksheet>`;
    const bytes = packageWith({ sheet });

    const parsed = await parseDeclaration(bytes, 'kommentar.xlsx');
    const row = parsed.rows.find((candidate) => candidate.requirementId === 'K-3')!;
    expect(row.answer).toBe('not-met');
    expect(row.comment).toBe('я'.repeat(32_767));
    expect(parsed.report.warnings).toContain(
      "Sheet 'Krav & svar': cell D4 holds more than 32,767 characters, the maximum that Excel allows in a cell, " +
        'so only its first 32,767 were read. Move long texts to an attachment and send the file again if the rest matters.',
    );
  });
});

describe('readWorkbookCells on a workbook of 250,001 rows', () => {
  it('stops reading at the row past the maximum', () => {
    const rows = Array.from({ length: 250_001 }, (_, index) => `<row r="${index + 1}"><c r="A${index + 1}"><v>${index}</v></c></row>`);
    // Row 0 would make the part corrupt, so this error shows that reading stopped before it.
    const sheet = `<worksheet><sheetData>${rows.join('')}<row r="0"/></sheetData></worksheet>`;

    const error = readError(packageWith({ sheet }), 'rader.xlsx');
    expect(error.code).toBe('too-many-requirements');
    expect(error.message).toContain("The workbook 'rader.xlsx' contains more than 250,000 rows with values");
    expect(error.message).toContain('at most 100,000 requirement rows');
  });

  it('reads 250,000 rows', () => {
    const rows = Array.from({ length: 250_000 }, (_, index) => `<row r="${index + 1}"><c r="A${index + 1}"><v>${index}</v></c></row>`);
    const [sheet] = readWorkbookCells(packageWith({ sheet: `<worksheet><sheetData>${rows.join('')}</sheetData></worksheet>` }), 'rader.xlsx');
    expect(sheet!.rows.size).toBe(250_000);
  });
});

describe('readWorkbookCells on a large shared-string table', () => {
  /** Writes shared strings `Text 0` to `Text {count - 1}`, followed by `tail`. */
  const sharedStrings = (count: number, tail = '') =>
    `<sst>${Array.from({ length: count }, (_, index) => `<si><t>Text ${index}</t></si>`).join('')}${tail}</sst>`;
  const cellSheet = (index: number) => `<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>${index}</v></c></row></sheetData></worksheet>`;
  // Crossed tags make the part corrupt, so an error other than corrupt-file shows that reading stopped before them.
  const corruptTail = '<si><t></si></t>';

  it('stops at the string past the maximum', () => {
    const bytes = packageWith({ sheet: cellSheet(0), sharedStrings: sharedStrings(1_000_001, corruptTail) });

    const error = readError(bytes, 'strängar.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain("The workbook 'strängar.xlsx' contains more than 1,000,000 texts in its shared-string table xl/sharedStrings.xml");
    expect(error.message).toContain('Remove the rows, sheets and texts that are not part of the declaration');
  });

  it('reads 1,000,000 shared strings', () => {
    const bytes = packageWith({ sheet: cellSheet(999_999), sharedStrings: sharedStrings(1_000_000) });
    expect(cellsOf(bytes)[1]).toEqual({ 1: 'Text 999999' });
  });

  it('stops at the character past the maximum', () => {
    // 1,525 strings of 32,767 characters and one of 30,326 make 50,000,001 characters.
    const long = `<si><t>${'x'.repeat(32_767)}</t></si>`.repeat(1_525);
    const bytes = packageWith({ sheet: cellSheet(0), sharedStrings: `<sst>${long}<si><t>${'y'.repeat(30_326)}</t></si>${corruptTail}</sst>` });

    const error = readError(bytes, 'långa.xlsx');
    expect(error.code).toBe('file-too-large');
    expect(error.message).toContain(
      "The workbook 'långa.xlsx' contains more than 50,000,000 characters of text in its shared-string table xl/sharedStrings.xml",
    );
    expect(error.message).toContain('Remove the rows, sheets and texts that are not part of the declaration');
  });

  it('reads 50,000,000 characters of shared strings', () => {
    const long = `<si><t>${'x'.repeat(32_767)}</t></si>`.repeat(1_525);
    const bytes = packageWith({ sheet: cellSheet(1_525), sharedStrings: `<sst>${long}<si><t>${'y'.repeat(30_325)}</t></si></sst>` });
    expect(cellsOf(bytes)[1]![1]).toHaveLength(30_325);
  });

  it('counts a cut string by its kept characters', () => {
    // Each string is cut to 32,767 characters, so 1,525 strings of 40,000 give 49,969,675 characters.
    const cut = `<si><t>${'x'.repeat(40_000)}</t></si>`.repeat(1_525);
    const [sheet] = readWorkbookCells(packageWith({ sheet: cellSheet(1_524), sharedStrings: `<sst>${cut}</sst>` }), 'kapade.xlsx');
    expect(sheet!.anomalies).toEqual({ truncatedCells: { count: 1, first: ['A1'] } });
  });
});
