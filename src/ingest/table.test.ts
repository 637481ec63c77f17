import { describe, expect, it } from 'vitest';
import { DeclarationFileError } from '../errors.ts';
import type { Answer, Grid, GridRow, ParsedDeclaration } from './model.ts';
import { readDeclaration } from './table.ts';
import { buildWorkbook, type SheetSpec } from './test-workbook.ts';
import { workbookToGrids } from './xlsx.ts';

async function readSheets(sheets: SheetSpec[], fileName = 'deklaration.xlsx'): Promise<ParsedDeclaration> {
  const grids = await workbookToGrids(await buildWorkbook(sheets), fileName);
  return readDeclaration(grids, 'xlsx', fileName);
}

/** Reads a sheet 'Krav' with one requirement for each answer text, in an 'Uppfyllt' column. */
function readAnswerColumn(answers: string[]): Promise<ParsedDeclaration> {
  const requirements = answers.map((answer, index) => [`K${index + 1}`, `Krav nummer ${index + 1}`, answer]);
  return readSheets([{ name: 'Krav', rows: [['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'], ...requirements] }]);
}

function sheetRow(sheet: string, row: number) {
  return { kind: 'sheet' as const, sheet, row };
}

function pdfRow(cells: string[], page: number, line: number): GridRow {
  return { cells, source: { kind: 'page', page, line } };
}

describe('readDeclaration header detection', () => {
  it('reads answer words in the requirement column as data', async () => {
    // The second row's cells 'Delvis' and 'Nej' look like the answer sub-labels of a two-level
    // header, but 'Delvis' sits under the requirement column, so the row is a requirement.
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'],
          ['K-1', 'Logg', 'Ja', ''],
          ['K-2', 'Delvis', 'Nej', 'Saknas'],
          ['K-3', 'Behörighet', 'Ja', ''],
        ],
      },
    ]);
    expect(declaration.report.tables).toEqual([
      { grid: 'Krav', headerRow: sheetRow('Krav', 1), columns: { id: 'Krav-ID', text: 'Krav', answer: 'Uppfyllt', comment: 'Kommentar' }, rows: 3 },
    ]);
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer])).toEqual([
      ['K-1', 'Logg', 'met'],
      ['K-2', 'Delvis', 'not-met'],
      ['K-3', 'Behörighet', 'met'],
    ]);
  });

  it.each([
    ['Ja', 'Nej', 'met'],
    ['Nej', 'Ja', 'not-met'],
    ['Delvis', 'Nej', 'partially-met'],
    ['Ej tillämpligt', 'Ja', 'not-applicable'],
  ] as [string, string, Answer][])(
    'reads first row answered %j and %j',
    async (supplierAnswer, municipalityAnswer, expected) => {
      const declaration = await readSheets([
        {
          name: 'Krav',
          rows: [
            ['Nr', 'Krav', 'Leverantörens svar', 'Kommunens svar', 'Kommentar'],
            ['1', 'Systemet loggar varje uppslag.', supplierAnswer, municipalityAnswer],
            ['2', 'Behörighet styrs per roll.', 'Ja', 'Ja'],
            ['3', 'Uppgifter gallras efter ett år.', 'Nej', 'Nej', 'Planeras till 2027'],
          ],
        },
      ]);
      expect(declaration.report.tables).toEqual([
        {
          grid: 'Krav',
          headerRow: sheetRow('Krav', 1),
          columns: { id: 'Nr', text: 'Krav', answer: 'Leverantörens svar', comment: 'Kommentar' },
          rows: 3,
        },
      ]);
      expect(declaration.rows.map((row) => [row.requirementId, row.answer, row.answerRaw, row.comment])).toEqual([
        ['1', expected, supplierAnswer, null],
        ['2', 'met', 'Ja', null],
        ['3', 'not-met', 'Nej', 'Planeras till 2027'],
      ]);
      expect(declaration.report.warnings).toEqual([
        `The answer '${municipalityAnswer}' in sheet 'Krav' cell D2 (Kommunens svar) differs from '${supplierAnswer}' ` +
          `in sheet 'Krav' cell C2 (Leverantörens svar). The requirement is read as '${expected}' from the column ` +
          "'Leverantörens svar'.",
      ]);
    },
  );

  it("reads the supplier's answer column", async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Kommunens svar', 'Leverantörens svar'],
          ['1', 'Loggning', 'Nej', 'Ja'],
          ['2', 'Behörighet', 'Delvis'],
          ['3', 'Gallring', 'Se kommentar', 'Nej'],
          ['4', 'Export', 'Ja', 'Ja'],
        ],
      },
    ]);
    expect(declaration.report.tables[0]!.columns.answer).toBe('Leverantörens svar');
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['1', 'met'],
      ['2', 'unanswered'],
      ['3', 'not-met'],
      ['4', 'met'],
    ]);
    // The municipality's text in row 4 is no recognised answer and its answer in row 5 agrees, so neither warns.
    expect(declaration.report.warnings).toEqual([
      "The answer 'Nej' in sheet 'Krav' cell C2 (Kommunens svar) differs from 'Ja' in sheet 'Krav' cell D2 " +
        "(Leverantörens svar). The requirement is read as 'met' from the column 'Leverantörens svar'.",
      "The answer 'Delvis' in sheet 'Krav' cell C3 (Kommunens svar) differs from the answer in sheet 'Krav' cell D3 " +
        "(Leverantörens svar), which is empty. The requirement is read as 'unanswered' from the column 'Leverantörens svar'.",
    ]);
  });

  it('reads no cover facts from other answers', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Leverantörens svar', 'Kommunens svar'],
          ['1', 'Loggning', 'Ja', 'Datum: 2026-02-01'],
          ['2', 'Behörighet', 'Nej', 'Nej'],
        ],
      },
    ]);
    expect(declaration.cover.date).toBeNull();
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['1', 'met'],
      ['2', 'not-met'],
    ]);
  });

  it('takes no other answers as requirement text', async () => {
    const sheets = [
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Leverantörens svar', 'Kommunens svar', 'Kommentar'],
          ['K1', 'Ja', 'Ja, granskat av kommunen i mars'],
          ['K2', 'Nej', 'Nej, saknas i version 5 av systemet', 'Planeras'],
        ],
      },
    ];
    await expect(readSheets(sheets)).rejects.toMatchObject({ code: 'no-requirement-table' });
  });

  it('reads answer words beside the answer', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Uppfyllt', undefined, 'Kommentar'],
          ['1', 'Loggning', 'Ja', 'Nej'],
          ['2', 'Behörighet', 'Nej', 'Ja'],
        ],
      },
    ]);
    expect(declaration.report.tables[0]!.columns.answer).toBe('Uppfyllt');
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['1', 'met'],
      ['2', 'not-met'],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('finds a Swedish header below titles', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Självdeklaration SSBTEK'],
          ['Fyll i kolumnen Svar för varje krav.'],
          [],
          ['Kommentar', 'Svar', 'Kravtext', 'Krav-ID'],
          ['Loggas i audit.log', 'Ja', 'Systemet loggar uppslag.', 'K1'],
          ['', 'Nej', 'Systemet visar källan.', 'K2'],
        ],
      },
    ]);
    expect(declaration.format).toBe('xlsx');
    expect(declaration.report.tables).toEqual([
      {
        grid: 'Krav',
        headerRow: sheetRow('Krav', 4),
        columns: { id: 'Krav-ID', text: 'Kravtext', answer: 'Svar', comment: 'Kommentar' },
        rows: 2,
      },
    ]);
    expect(declaration.rows).toEqual([
      {
        requirementId: 'K1',
        areaHint: null,
        text: 'Systemet loggar uppslag.',
        answer: 'met',
        answerRaw: 'Ja',
        comment: 'Loggas i audit.log',
        attachments: ['audit.log'],
        source: sheetRow('Krav', 5),
      },
      {
        requirementId: 'K2',
        areaHint: null,
        text: 'Systemet visar källan.',
        answer: 'not-met',
        answerRaw: 'Nej',
        comment: null,
        attachments: [],
        source: sheetRow('Krav', 6),
      },
    ]);
  });

  it('maps English headers and partial labels', async () => {
    const declaration = await readSheets([
      {
        name: 'Questionnaire',
        rows: [
          ['Control ID', 'Question ID', 'Question', 'CSP CAIQ Answer', 'Notes', 'Evidence', 'Domain'],
          ['A&A-01', 'A&A-01.1', 'Are audits performed?', 'Yes', '', 'audit-2024.pdf', 'Audit'],
          ['A&A-01', 'A&A-01.2', 'Are findings tracked?', 'NA', 'Tracked in Jira', '', 'Audit'],
        ],
      },
    ]);
    expect(declaration.report.tables[0]!.columns).toEqual({
      id: 'Question ID',
      text: 'Question',
      answer: 'CSP CAIQ Answer',
      comment: 'Notes',
      area: 'Domain',
      attachment: 'Evidence',
    });
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['A&A-01.1', 'A&A-01.2']);
    expect(declaration.rows.map((row) => row.answer)).toEqual(['met', 'not-applicable']);
    expect(declaration.rows[0]!.attachments).toEqual(['audit-2024.pdf']);
    expect(declaration.rows[0]!.areaHint).toBe('Audit');
  });

  it('ignores punctuation and case in headers', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['NR.', ' kravbeskrivning ', 'KRAVET UPPFYLLS?', 'Motivering:'],
          ['1', 'Behörighet styrs per roll.', 'Delvis', 'Roller saknas för handläggare.'],
        ],
      },
    ]);
    expect(declaration.rows[0]).toMatchObject({
      requirementId: '1',
      text: 'Behörighet styrs per roll.',
      answer: 'partially-met',
      comment: 'Roller saknas för handläggare.',
    });
  });

  it('prefers a stronger header just below', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Svar', 'Beskrivning'],
          ['Krav-ID', 'Kravtext', 'Svar', 'Kommentar'],
          ['K1', 'Loggning av uppslag', 'Ja'],
        ],
      },
    ]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 2));
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['K1']);
  });

  it('skips an answer legend above the table', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Svar', 'Beskrivning'],
          ['Ja', 'Kravet uppfylls helt'],
          ['Delvis', 'Kravet uppfylls till en del'],
          ['Nej', 'Kravet uppfylls inte'],
          [],
          ['Krav-ID', 'Kravtext', 'Svar', 'Kommentar'],
          ['K1', 'Loggning av uppslag', 'Ja'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['K1']);
    expect(declaration.report.skipped).toEqual([
      { source: sheetRow('Krav', 1), reason: 'answer legend above the requirement table' },
    ]);
  });

  it('throws when no table exists', async () => {
    const promise = readSheets([{ name: 'Blad1', rows: [['Hej'], ['Inga krav här']] }], 'tom-mall.xlsx');
    await expect(promise).rejects.toBeInstanceOf(DeclarationFileError);
    await expect(promise).rejects.toMatchObject({ code: 'no-requirement-table' });
    await expect(promise).rejects.toThrow(/'tom-mall\.xlsx'/);
    await expect(promise).rejects.toThrow(/'Kravtext'/);
    await expect(promise).rejects.toThrow(/'Svar'/);
  });
});

describe('readDeclaration tables without requirement rows', () => {
  it('rejects a header without rows', async () => {
    const promise = readSheets([{ name: 'Krav', rows: [['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']] }], 'mall.xlsx');
    await expect(promise).rejects.toBeInstanceOf(DeclarationFileError);
    await expect(promise).rejects.toMatchObject({ code: 'no-requirement-table' });
    await expect(promise).rejects.toThrow(/'mall\.xlsx'/);
    await expect(promise).rejects.toThrow(/sheet 'Krav' row 1 \(Krav-ID \| Krav \| Uppfyllt \| Kommentar\)/);
    await expect(promise).rejects.toThrow(/no requirement rows follow/);
    await expect(promise).rejects.toThrow(/Fill in the declaration/);
  });

  it('names every empty table', async () => {
    const promise = readSheets([
      { name: 'Försättsblad', rows: [['Leverantör', 'Acme AB']] },
      { name: 'Verksamhetssystem', rows: [['Självdeklaration'], [], ['Krav-ID', 'Krav', 'Svar']] },
      { name: 'Bastjänster', rows: [['Krav-ID', 'Krav', 'Svar'], [], ['Fyll i kolumnen Svar för varje krav.']] },
    ]);
    await expect(promise).rejects.toMatchObject({ code: 'no-requirement-table' });
    await expect(promise).rejects.toThrow(/sheet 'Verksamhetssystem' row 3 \(Krav-ID \| Krav \| Svar\)/);
    await expect(promise).rejects.toThrow(/sheet 'Bastjänster' row 1 \(Krav-ID \| Krav \| Svar\)/);
    await expect(promise).rejects.toThrow(/no requirement rows follow them/);
  });

  it('rejects a PDF header without rows', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [pdfRow(['Självdeklaration'], 1, 1), pdfRow(['Krav-ID', 'Krav', 'Svar', 'Kommentar'], 1, 2)],
    };
    expect(() => readDeclaration([grid], 'pdf', 'mall.pdf')).toThrow(/page 1 line 2/);
  });

  it('keeps rows whose answers are all empty', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'],
          ['K1', 'Systemet loggar uppslag.'],
          ['K2', 'Systemet visar källan.'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => [row.requirementId, row.answer, row.answerRaw])).toEqual([
      ['K1', 'unanswered', null],
      ['K2', 'unanswered', null],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });
});

describe('readDeclaration answers', () => {
  it('reads met and not met in a Status column', async () => {
    const answers = ['Met', 'Not met', 'Fulfilled', 'Not fulfilled', 'Partially met'];
    const declaration = await readSheets([
      {
        name: 'Requirements',
        rows: [['ID', 'Requirement', 'Status', 'Comment'], ...answers.map((answer, index) => [`R${index + 1}`, `Requirement ${index + 1}`, answer])],
      },
    ]);
    expect(declaration.rows.map((row) => row.answer)).toEqual(['met', 'not-met', 'met', 'not-met', 'partially-met']);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('reads yes and partly as partly met', async () => {
    const answers = ['Ja delvis', 'Ja, delvis', 'Yes, partly', 'Delvis uppfyllt', 'Inte uppfyllt', 'Uppfylls ej'];
    const declaration = await readAnswerColumn(answers);
    expect(declaration.rows.map((row) => row.answer)).toEqual([
      'partially-met',
      'partially-met',
      'partially-met',
      'partially-met',
      'not-met',
      'not-met',
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('reads no with partly as partly met', async () => {
    const expected: [string, Answer][] = [
      ['Nej, delvis', 'partially-met'],
      ['Nej delvis', 'partially-met'],
      ['Not fully met', 'partially-met'],
      ['Not fully', 'partially-met'],
      ['Partly not met', 'partially-met'],
      ['Nej', 'not-met'],
      ['Nej, delvis planerat till 2027', 'not-met'],
    ];
    const declaration = await readAnswerColumn(expected.map(([answer]) => answer));
    expect(declaration.rows.map((row) => [row.answerRaw, row.answer])).toEqual(expected);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('reads not fully as partly met', async () => {
    const answers = ['Nej, inte fullt ut', 'Inte fullt ut', 'Uppfylls inte fullt ut', 'Not entirely', 'Nej, inte helt'];
    const declaration = await readAnswerColumn(answers);
    const expected = answers.map((answer) => [answer, 'partially-met']);
    expect(declaration.rows.map((row) => [row.answerRaw, row.answer])).toEqual(expected);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('warns about a partly met remark', async () => {
    const answers = ['Inte helt klart', 'Inte helt säker, troligen ja', 'Not fully tested', 'Not fully, se kommentar'];
    const declaration = await readAnswerColumn(answers);
    const expected = answers.map((answer) => [answer, 'partially-met']);
    expect(declaration.rows.map((row) => [row.answerRaw, row.answer])).toEqual(expected);
    const check = 'so the requirement is read as partly met. Check whether it is met in full, in part or not at all.';
    expect(declaration.report.warnings).toEqual([
      `The answer 'Inte helt klart' in sheet 'Krav' cell C2 is a remark that opens with 'inte helt', ${check}`,
      `The answer 'Inte helt säker, troligen ja' in sheet 'Krav' cell C3 is a remark that opens with 'inte helt', ${check}`,
      `The answer 'Not fully tested' in sheet 'Krav' cell C4 is a remark that opens with 'not fully', ${check}`,
    ]);
  });

  it('warns about unfilled choice prompts', async () => {
    const declaration = await readSheets([
      { name: 'Krav', rows: [['ID', 'Krav', 'Svar'], ['K1', 'Loggning', 'Ja/Nej'], ['K2', 'Export', 'Ja Nej']] },
    ]);
    expect(declaration.rows.map((row) => [row.answer, row.answerRaw])).toEqual([
      ['unanswered', 'Ja/Nej'],
      ['unanswered', 'Ja Nej'],
    ]);
    expect(declaration.report.warnings).toEqual([
      "The answer 'Ja/Nej' in sheet 'Krav' cell C2 names more than one answer, either a choice left unfilled " +
        'or answers that contradict each other, so the requirement is read as unanswered.',
      "The answer 'Ja Nej' in sheet 'Krav' cell C3 names more than one answer, either a choice left unfilled " +
        'or answers that contradict each other, so the requirement is read as unanswered.',
    ]);
  });

  it('normalises many vocabularies', async () => {
    const answers = ['JA', 'nej.', 'Delvis ', 'Ej tillämpligt', 'Partially Supports', 'Does Not Support', 'N/A', 'voldoet niet', 'Non-valid', ''];
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [['ID', 'Krav', 'Svar'], ...answers.map((answer, index) => [`K${index + 1}`, `Krav nummer ${index + 1}`, answer])],
      },
    ]);
    expect(declaration.rows.map((row) => row.answer)).toEqual([
      'met',
      'not-met',
      'partially-met',
      'not-applicable',
      'partially-met',
      'not-met',
      'not-applicable',
      'not-met',
      'not-met',
      'unanswered',
    ]);
    expect(declaration.rows.at(-1)!.answerRaw).toBeNull();
    expect(declaration.report.warnings).toEqual([]);
  });

  it('warns about an unknown answer', async () => {
    const declaration = await readSheets([
      { name: 'Krav', rows: [['ID', 'Krav', 'Svar'], ['K1', 'Loggning', 'Kanske']] },
    ]);
    expect(declaration.rows[0]!.answer).toBe('unanswered');
    expect(declaration.rows[0]!.answerRaw).toBe('Kanske');
    expect(declaration.report.warnings).toEqual([
      "Unrecognised answer 'Kanske' in sheet 'Krav' cell C2; the requirement is read as unanswered.",
    ]);
  });

  it('reads X marks in answer columns', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Ja', 'Nej', 'Delvis', 'Ej tillämpligt', 'Kommentar'],
          ['1', 'Loggning', 'x'],
          ['2', 'Spårbarhet', undefined, 'X', undefined, undefined, 'Planeras'],
          ['3', 'Behörighet', undefined, undefined, '✓'],
          ['4', 'Statistik', undefined, undefined, undefined, '✔'],
          ['5', 'Export'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => row.answer)).toEqual(['met', 'not-met', 'partially-met', 'not-applicable', 'unanswered']);
    expect(declaration.rows.map((row) => row.answerRaw)).toEqual(['Ja', 'Nej', 'Delvis', 'Ej tillämpligt', null]);
    expect(declaration.report.tables[0]!.columns.answer).toBe('Ja | Nej | Delvis | Ej tillämpligt');
  });

  it('reads X marks under a two-level header', async () => {
    const declaration = await readSheets([
      {
        name: 'CAIQ',
        rows: [
          ['Question ID', 'Question', 'Answers', undefined, undefined, 'Notes'],
          [undefined, undefined, 'Yes', 'No', 'Not Applicable'],
          ['AIS-01.1', 'Do you use standards?', 'x', undefined, undefined, 'test'],
          ['AIS-01.2', 'Do you scan code?', undefined, 'x'],
        ],
        merges: ['A1:A2', 'B1:B2', 'C1:E1', 'F1:F2'],
      },
    ]);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('CAIQ', 1));
    expect(declaration.rows.map((row) => [row.requirementId, row.answer, row.answerRaw])).toEqual([
      ['AIS-01.1', 'met', 'Yes'],
      ['AIS-01.2', 'not-met', 'No'],
    ]);
    expect(declaration.rows[0]!.comment).toBe('test');
  });

  it('keeps the least favourable of two marks', async () => {
    const declaration = await readSheets([
      { name: 'Krav', rows: [['Nr', 'Krav', 'Ja', 'Nej'], ['1', 'Loggning', 'x', 'x']] },
    ]);
    expect(declaration.rows[0]!.answer).toBe('not-met');
    expect(declaration.rows[0]!.answerRaw).toBe('Ja, Nej');
    expect(declaration.report.warnings).toHaveLength(1);
    expect(declaration.report.warnings[0]).toContain("sheet 'Krav' row 2");
  });

  it('reads a lone answer-word column', async () => {
    const declaration = await readSheets([
      {
        name: 'Checklist',
        rows: [
          ['Area', '#', 'Verification Requirement', 'Valid', 'Comment'],
          ['Session', '3.1.1', 'Verify tokens never appear in URLs.', 'Valid'],
          ['Session', '3.1.2', 'Verify logout invalidates tokens.', 'Non-valid', 'Token lives 1 h'],
          ['Session', '3.1.3', 'Verify idle timeout.', 'x'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => row.answer)).toEqual(['met', 'not-met', 'met']);
  });
});

describe('readDeclaration areas', () => {
  it('reads the area from a merged first column', async () => {
    const declaration = await readSheets([
      {
        name: 'Blad1',
        rows: [
          [undefined, 'Krav', 'Svar'],
          ['Verksamhetssystem', 'Loggning av uppslag', 'Ja'],
          [undefined, 'Visning av källa', 'Nej'],
          ['Bastjänster', 'Behörighetsstyrning', 'Ja'],
          [undefined, 'Spärrmarkering', 'Delvis'],
        ],
        merges: ['A2:A3', 'A4:A5'],
      },
    ]);
    expect(declaration.rows.map((row) => row.areaHint)).toEqual([
      'Verksamhetssystem',
      'Verksamhetssystem',
      'Bastjänster',
      'Bastjänster',
    ]);
  });

  it('reads the area from sheet names', async () => {
    const table = (requirement: string) => [['Krav', 'Svar'], [requirement, 'Ja']];
    const declaration = await readSheets([
      { name: 'Verksamhetssystem', rows: table('Loggning') },
      { name: 'Bastjänster', rows: table('Behörighet') },
      { name: 'SSBTEK', rows: table('Anslutning') },
      { name: 'Blad1', rows: table('Övrigt') },
    ]);
    expect(declaration.rows.map((row) => row.areaHint)).toEqual(['Verksamhetssystem', 'Bastjänster', 'SSBTEK', null]);
    expect(declaration.report.tables.map((table) => table.grid)).toEqual(['Verksamhetssystem', 'Bastjänster', 'SSBTEK', 'Blad1']);
  });

  it('reads the area from section rows', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Svar'],
          ['1. Verksamhetssystem'],
          ['1.1', 'Systemet loggar uppslag.', 'Ja'],
          ['2. Bastjänster'],
          ['2.1', 'Behörighet styrs per roll.', 'Nej'],
          [undefined, 'Försäkringskassan'],
          ['2.2', 'Uppgifter om sjukpenning hämtas.', 'Ja'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => [row.requirementId, row.areaHint])).toEqual([
      ['1.1', '1. Verksamhetssystem'],
      ['2.1', '2. Bastjänster'],
      ['2.2', 'Försäkringskassan'],
    ]);
    expect(declaration.report.skipped).toEqual([
      { source: sheetRow('Krav', 2), reason: 'section heading' },
      { source: sheetRow('Krav', 4), reason: 'section heading' },
      { source: sheetRow('Krav', 6), reason: 'section heading' },
    ]);
  });

  it('prefers the area column over sections', async () => {
    const declaration = await readSheets([
      {
        name: 'Bastjänster',
        rows: [
          ['Område', 'Krav', 'Svar'],
          [undefined, 'Ekonomiskt bistånd'],
          ['SSBTEK', 'Anslutning via SSBTEK', 'Ja'],
          [undefined, 'Uppgift utan område', 'Ja'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => row.areaHint)).toEqual(['SSBTEK', 'Ekonomiskt bistånd']);
  });
});

describe('readDeclaration skipped rows', () => {
  it('skips and reports rows that are not requirements', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Krav-ID', 'Krav', 'Svar', 'Kommentar'],
          ['Observera att varje krav ska besvaras med Ja, Nej eller Delvis.'],
          ['K1', 'Loggning', 'Ja'],
          [],
          ['K2', 'Spårbarhet', 'Nej', 'Åtgärdas i version 6'],
          ['Krav-ID', 'Krav', 'Svar', 'Kommentar'],
          ['K3', 'Behörighet', 'Ja'],
          [undefined, undefined, 'Ja'],
          ['Summa', undefined, { formula: 'COUNTIF(C3:C7,"Ja")', result: 2 }],
          [undefined, 'Antal uppfyllda', { formula: 'COUNTIF(C3:C7,"Ja")', result: 2 }],
          ['Totalt', undefined, '3'],
        ],
        merges: ['A2:D2'],
      },
    ]);
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['K1', 'K2', 'K3']);
    expect(declaration.report.skipped).toEqual([
      { source: sheetRow('Krav', 2), reason: 'instruction row' },
      { source: sheetRow('Krav', 4), reason: 'blank row' },
      { source: sheetRow('Krav', 6), reason: 'repeated header row' },
      { source: sheetRow('Krav', 8), reason: 'answer without requirement text or id' },
      { source: sheetRow('Krav', 9), reason: 'summary row' },
      { source: sheetRow('Krav', 10), reason: 'summary row' },
      { source: sheetRow('Krav', 11), reason: 'summary row' },
    ]);
    expect(declaration.report.tables[0]!.rows).toBe(3);
  });

  it('reads numbered items under a heading', async () => {
    const declaration = await readSheets([
      {
        name: 'Checklist',
        rows: [
          ['Maatregel', 'Omschrijving', 'Status', 'Toelichting'],
          ['Producten'],
          ['M01', 'Het project levert:'],
          [undefined, '1. Business impact analyse'],
          [undefined, '2. Testplan', 'voldoet'],
          ['M02', 'Het project bewaakt kwaliteit.', 'voldoet deels'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer, row.areaHint])).toEqual([
      ['M01.1', '1. Business impact analyse', 'unanswered', 'Producten'],
      ['M01.2', '2. Testplan', 'met', 'Producten'],
      ['M02', 'Het project bewaakt kwaliteit.', 'partially-met', 'Producten'],
    ]);
    expect(declaration.report.skipped).toEqual([
      { source: sheetRow('Checklist', 2), reason: 'section heading' },
      { source: sheetRow('Checklist', 3), reason: 'heading of the numbered items below' },
    ]);
  });

  it('reads sections from restated headers', async () => {
    const declaration = await readSheets([
      {
        name: 'Vendor Response',
        rows: [
          ['Company Overview', 'Company Overview', 'Vendor Answers', 'Additional Information', 'Guidance'],
          ['COMP-01', 'Do you have a dedicated security team?', 'Yes', 'Team of 12', 'Describe the team.'],
          ['Documentation', 'Documentation', 'Vendor Answers', 'Additional Information', 'Guidance'],
          ['DOCU-01', 'Have you undergone a SOC 2 audit?', 'No', 'Planned, see Bilaga 2', 'Give the date.'],
        ],
        merges: ['A1:B1', 'A3:B3'],
      },
    ]);
    expect(declaration.report.tables[0]!.columns).toEqual({
      id: 'column A (by content)',
      text: 'column B (by content)',
      answer: 'Vendor Answers',
      comment: 'Additional Information',
    });
    expect(declaration.rows.map((row) => [row.requirementId, row.areaHint, row.answer])).toEqual([
      ['COMP-01', 'Company Overview', 'met'],
      ['DOCU-01', 'Documentation', 'not-met'],
    ]);
    expect(declaration.rows[1]!.attachments).toEqual(['Bilaga 2']);
    expect(declaration.report.skipped).toEqual([{ source: sheetRow('Vendor Response', 3), reason: 'repeated header row' }]);
  });

  it('skips text rows with an invalid id', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['ID', 'Krav', 'Svar'],
          ['K1', 'Loggning', 'Ja'],
          ['•', 'Läs mer i handboken'],
        ],
      },
    ]);
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['K1']);
    expect(declaration.report.skipped).toEqual([{ source: sheetRow('Krav', 3), reason: 'text without id or answer' }]);
  });

  it('keeps requirements that open with a summary word', async () => {
    const declaration = await readSheets([
      { name: 'Krav', rows: [['Krav', 'Svar'], ['Antal inloggningsförsök begränsas', 'Ja'], ['Antal uppfyllda', '1']] },
    ]);
    expect(declaration.rows.map((row) => row.text)).toEqual(['Antal inloggningsförsök begränsas']);
    expect(declaration.report.skipped).toEqual([{ source: sheetRow('Krav', 3), reason: 'summary row' }]);
  });

  it('warns about unknown text in a lone answer-word column', async () => {
    const declaration = await readSheets([
      {
        name: 'Checklist',
        rows: [
          ['Area', '#', 'Verification Requirement', 'Valid', 'Comment'],
          ['Session', '3.1.1', 'Verify tokens never appear in URLs.', 'maybe'],
        ],
      },
    ]);
    expect(declaration.rows[0]!.answer).toBe('unanswered');
    expect(declaration.rows[0]!.answerRaw).toBe('maybe');
    expect(declaration.report.warnings).toHaveLength(1);
  });

  it('reports hidden requirement rows', async () => {
    const declaration = await readSheets([
      { name: 'Krav', rows: [['ID', 'Krav', 'Svar'], ['K1', 'Loggning', 'Ja'], ['K2', 'Export', 'Nej']], hiddenRows: [3] },
    ]);
    expect(declaration.rows).toHaveLength(2);
    expect(declaration.report.warnings).toEqual([
      "Sheet 'Krav' hides 1 requirement row (row 3). Hidden rows are read like visible rows.",
    ]);
  });
});

describe('readDeclaration sheets', () => {
  it('reads several sheets and reports the others', async () => {
    const declaration = await readSheets([
      { name: 'Försättsblad', rows: [['Leverantör', 'Acme AB']] },
      { name: 'Verksamhetssystem', rows: [['Krav', 'Svar'], ['Loggning', 'Ja']] },
      { name: 'Bastjänster', rows: [['Krav', 'Svar'], ['Behörighet', 'Nej']] },
      { name: 'Listor', rows: [['Krav', 'Svar'], ['Dold', 'Ja']], hidden: true },
    ]);
    expect(declaration.rows.map((row) => row.text)).toEqual(['Loggning', 'Behörighet']);
    expect(declaration.report.skippedGrids).toEqual([
      { grid: 'Försättsblad', reason: 'no requirement table' },
      { grid: 'Listor', reason: 'hidden sheet, not read because visible sheets contain requirement tables' },
    ]);
    expect(declaration.cover.supplier).toBe('Acme AB');
  });

  it('reads two tables in one sheet', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Svar'],
          ['1', 'Loggning', 'Ja'],
          [],
          ['Requirement', 'Yes', 'No', 'Comment'],
          ['Export to CSV', undefined, 'x', 'Planned'],
        ],
      },
    ]);
    expect(declaration.report.tables.map((table) => table.headerRow)).toEqual([sheetRow('Krav', 1), sheetRow('Krav', 4)]);
    expect(declaration.rows.map((row) => [row.text, row.answer])).toEqual([
      ['Loggning', 'met'],
      ['Export to CSV', 'not-met'],
    ]);
  });

  it('reads a hidden sheet with the only table', async () => {
    const declaration = await readSheets([
      { name: 'Instruktioner', rows: [['Fyll i fliken Krav.']] },
      { name: 'Krav', rows: [['Leverantör', 'Dold AB'], ['Krav', 'Svar'], ['Loggning', 'Ja']], hidden: true },
    ]);
    expect(declaration.rows.map((row) => row.text)).toEqual(['Loggning']);
    expect(declaration.report.tables[0]!.grid).toBe('Krav');
    expect(declaration.cover.supplier).toBe('Dold AB');
  });

  it('reads a hidden sheet beside an empty table', async () => {
    const declaration = await readSheets([
      { name: 'Självdeklaration', rows: [['Krav-ID', 'Krav', 'Svar', 'Kommentar']] },
      { name: 'Data', rows: [['Krav-ID', 'Krav', 'Svar'], ['K1', 'Loggning', 'Ja'], ['K2', 'Export', 'Nej']], hidden: true },
    ]);
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['K1', 'met'],
      ['K2', 'not-met'],
    ]);
    expect(declaration.report.tables.map((table) => [table.grid, table.rows])).toEqual([
      ['Självdeklaration', 0],
      ['Data', 2],
    ]);
  });

  it('skips a table that repeats another sheet', async () => {
    const rows = [['ID', 'Krav', 'Svar'], ['K1', 'Loggning', 'Ja'], ['K2', 'Export', 'Nej']];
    const declaration = await readSheets([
      { name: 'Krav', rows },
      { name: 'Rapport', rows },
    ]);
    expect(declaration.rows).toHaveLength(2);
    expect(declaration.report.tables.map((table) => table.grid)).toEqual(['Krav']);
    expect(declaration.report.skipped).toEqual([
      { source: sheetRow('Rapport', 1), reason: "table repeats the requirements of sheet 'Krav'" },
    ]);
  });
});

describe('readDeclaration cover facts', () => {
  it('reads a cover sheet', async () => {
    const declaration = await readSheets([
      {
        name: 'Försättsblad',
        rows: [
          ['Självdeklaration'],
          ['Leverantör', undefined, 'Acme Systems AB'],
          ['Org.nr', '556677-8899'],
          ['Verksamhetssystem och version', 'Procapita 5.2'],
          ['Kommun', 'Exempelby kommun'],
          ['Datum', new Date(Date.UTC(2024, 4, 2))],
          ['Kontaktperson', 'Anna Andersson'],
          ['Telefon', '070-123 45 67'],
          ['E-post', 'anna.andersson@acme.example'],
        ],
      },
      { name: 'Krav', rows: [['Krav', 'Svar'], ['Loggning', 'Ja']] },
    ]);
    expect(declaration.cover).toEqual({
      supplier: 'Acme Systems AB',
      organisationNumber: '556677-8899',
      system: 'Procapita',
      version: '5.2',
      municipality: 'Exempelby kommun',
      date: '2024-05-02',
      contact: { name: 'Anna Andersson', phone: '070-123 45 67', email: 'anna.andersson@acme.example' },
    });
  });

  it('reads a key-value block above the table', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Systemleverantör: Beta Data AB', undefined, 'Version: 7.1'],
          ['Produkt', 'Beta Omsorg', 'Ifylld', '2024-02-29'],
          ['Supplier contact email', 'support@beta.example'],
          [],
          ['Krav', 'Svar'],
          ['Loggning', 'Ja'],
        ],
      },
    ]);
    expect(declaration.cover).toMatchObject({
      supplier: 'Beta Data AB',
      system: 'Beta Omsorg',
      version: '7.1',
      date: '2024-02-29',
      contact: { name: null, phone: null, email: 'support@beta.example' },
    });
  });

  it('reports an implausible cover date', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [['Leverantör', 'Acme AB'], ['Datum', new Date(Date.UTC(9999, 11, 31))], [], ['Krav', 'Svar'], ['Loggning', 'Ja']],
      },
    ]);
    expect(declaration.cover.supplier).toBe('Acme AB');
    expect(declaration.cover.date).toBeNull();
    expect(declaration.report.warnings).toHaveLength(1);
    expect(declaration.report.warnings[0]).toMatch(/^The cover date '9999-12-31' in sheet 'Krav' cell B2 was ignored because it is after \d{4}-\d{2}-\d{2}, one year from today\.$/);
  });

  it('reads exact labels beside the table', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Krav', 'Svar', undefined, 'Kommun', 'Norrby'],
          ['Loggning', 'Ja', undefined, 'Kontaktperson', 'Bo Berg'],
          ['Behörighet', 'Nej', undefined, 'Systemets beskrivning', 'Ett system'],
        ],
      },
    ]);
    expect(declaration.cover.municipality).toBe('Norrby');
    expect(declaration.cover.contact.name).toBe('Bo Berg');
    expect(declaration.cover.system).toBeNull();
  });
});

describe('readDeclaration cover lines above X-mark headers', () => {
  const COVER_LINES = [
    ['Organisationsnummer', '556677-8899'],
    ['Leverantör', 'Exempel AB'],
    ['Verksamhetssystem', 'Exempelsystem'],
  ];
  const EXPECTED_COVER = { organisationNumber: '556677-8899', supplier: 'Exempel AB', system: 'Exempelsystem' };

  it.each([
    ['right above the header', ['Krav-ID', 'Krav', 'Ja', 'Nej', 'Delvis'], false],
    ['above an empty row', ['Krav-ID', 'Krav', 'Ja', 'Nej', 'Delvis'], true],
    ['right above an English header', ['Krav-ID', 'Krav', 'Met', 'Not met'], false],
    ['above an empty row and an English header', ['Krav-ID', 'Krav', 'Met', 'Not met'], true],
  ])('reads cover lines %s', async (_case, header, emptyRow) => {
    const headerRow = COVER_LINES.length + (emptyRow ? 2 : 1);
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [...COVER_LINES, ...(emptyRow ? [[]] : []), header, ['K1', 'Loggning', 'x'], ['K2', 'Behörighet', undefined, 'x']],
      },
    ]);
    expect(declaration.cover).toMatchObject(EXPECTED_COVER);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', headerRow));
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'Krav-ID', text: 'Krav', answer: header.slice(2).join(' | ') });
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer])).toEqual([
      ['K1', 'Loggning', 'met'],
      ['K2', 'Behörighet', 'not-met'],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('reads a cover value above an answer column', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Självdeklaration SSBTEK'],
          ['Leverantör', undefined, 'Exempel AB'],
          ['Org.nr', undefined, '556677-8899'],
          ['Krav-ID', 'Krav', 'Ja', 'Nej', 'Delvis'],
          ['K1', 'Loggning', undefined, undefined, 'x'],
        ],
      },
    ]);
    expect(declaration.cover).toMatchObject({ supplier: 'Exempel AB', organisationNumber: '556677-8899' });
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 4));
    expect(declaration.rows.map((row) => row.answer)).toEqual(['partially-met']);
  });

  it('keeps a group title above the answer labels', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Leverantör', 'Exempel AB'],
          [],
          [undefined, undefined, 'Leverantörens svar'],
          ['Krav-ID', 'Krav', 'Ja', 'Nej', 'Delvis'],
          ['K1', 'Loggning', 'x'],
        ],
        merges: ['C3:E3'],
      },
    ]);
    expect(declaration.cover.supplier).toBe('Exempel AB');
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 3));
    expect(declaration.report.tables[0]!.columns.answer).toBe('Ja | Nej | Delvis');
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([['K1', 'met']]);
  });

  it('keeps a group row with a cover label', async () => {
    // 'Datum' names a cover field, but a row with the exact labels 'Nr' and 'Krav' is a header.
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Uppfyllt', undefined, 'Datum', 'Ansvarig'],
          [undefined, undefined, 'Ja', 'Nej'],
          ['1', 'Loggning', undefined, 'x', '2024-05-02', 'Bo Berg'],
        ],
        merges: ['C1:D1'],
      },
    ]);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 1));
    expect(declaration.report.tables[0]!.columns.answer).toBe('Ja | Nej');
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([['1', 'not-met']]);
  });

  it('reads cover lines above a PDF header', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Leverantör: Exempel AB', '', '', ''], 1, 1),
        pdfRow(['Organisationsnummer: 556677-8899', '', '', ''], 1, 2),
        pdfRow(['Krav', 'Met', 'Not met', 'Partly met'], 1, 3),
        pdfRow(['Systemet loggar uppslag.', '', 'x', ''], 1, 4),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'krav.pdf');
    expect(declaration.cover).toMatchObject({ supplier: 'Exempel AB', organisationNumber: '556677-8899' });
    expect(declaration.report.tables[0]!.headerRow).toEqual({ kind: 'page', page: 1, line: 3 });
    expect(declaration.rows.map((row) => row.answer)).toEqual(['not-met']);
  });
});

describe('readDeclaration label lines above X-mark headers', () => {
  it.each([
    ['Svar', 'Markera med X', false],
    ['Svar', 'Markera med X', true],
    ['Status', 'Inskickad', false],
    ['Status', 'Inskickad', true],
    ['Uppfyllt', 'Ja', false],
    ['Uppfyllt', 'Ja', true],
    ['Markera med X', 'Svar', false],
  ])('starts the header below %j | %j (empty row %s)', async (label, value, emptyRow) => {
    const headerRow = emptyRow ? 3 : 2;
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          [label, value],
          ...(emptyRow ? [[]] : []),
          ['Nr', 'Krav', 'Ja', 'Nej', 'Delvis'],
          ['K1', 'Loggning', 'x'],
          ['K2', 'Behörighet', undefined, 'x'],
        ],
      },
    ]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', headerRow));
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'Nr', text: 'Krav', answer: 'Ja | Nej | Delvis' });
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer])).toEqual([
      ['K1', 'Loggning', 'met'],
      ['K2', 'Behörighet', 'not-met'],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it.each([
    ['merged down', ['Nr', 'Krav', 'Svar'], ['Nr', 'Krav'], ['A1:A2', 'B1:B2', 'C1:E1']],
    ['above empty cells', ['Nr', 'Krav', 'Svar'], [undefined, undefined], ['C1:E1']],
    ['alone above the sub-labels', [undefined, undefined, 'Svar'], ['Nr', 'Krav'], ['C1:E1']],
  ])('keeps a group title row %s', async (_case, groupRow, subLabels, merges) => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [groupRow, [...subLabels, 'Ja', 'Nej', 'Delvis'], ['K1', 'Loggning', undefined, 'x']],
        merges,
      },
    ]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 1));
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'Nr', text: 'Krav', answer: 'Ja | Nej | Delvis' });
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer])).toEqual([['K1', 'Loggning', 'not-met']]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('keeps a group title spread beyond the X-mark columns', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Svar'],
          [undefined, undefined, 'Ja', 'Nej', 'Delvis', 'Kommentar'],
          ['K1', 'Loggning', undefined, undefined, 'x'],
        ],
        merges: ['C1:F1'],
      },
    ]);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 1));
    expect(declaration.report.tables[0]!.columns).toMatchObject({ id: 'Nr', text: 'Krav', answer: 'Ja | Nej | Delvis' });
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer])).toEqual([['K1', 'Loggning', 'partially-met']]);
  });
});

describe('readDeclaration X-mark answer groups', () => {
  const SUPPLIER_FIRST = {
    name: 'Krav',
    rows: [
      ['Nr', 'Krav', 'Leverantörens svar', undefined, undefined, 'Kommunens svar'],
      [undefined, undefined, 'Ja', 'Nej', 'Delvis', 'Ja', 'Nej', 'Delvis'],
      ['1', 'Loggning', 'x', undefined, undefined, undefined, 'x'],
      ['2', 'Behörighet', undefined, 'x', undefined, 'x'],
      ['3', 'Gallring', undefined, undefined, 'x', undefined, undefined, 'x'],
      ['4', 'Export', undefined, undefined, undefined, undefined, 'x'],
      ['5', 'Sökning', 'x'],
    ],
    merges: ['A1:A2', 'B1:B2', 'C1:E1', 'F1:H1'],
  };
  /** The same answers with the municipality's group on the left. */
  const MUNICIPALITY_FIRST = {
    name: 'Krav',
    rows: [
      ['Nr', 'Krav', 'Kommunens svar', undefined, undefined, 'Leverantörens svar'],
      [undefined, undefined, 'Ja', 'Nej', 'Delvis', 'Ja', 'Nej', 'Delvis'],
      ['1', 'Loggning', undefined, 'x', undefined, 'x'],
      ['2', 'Behörighet', 'x', undefined, undefined, undefined, 'x'],
      ['3', 'Gallring', undefined, undefined, 'x', undefined, undefined, 'x'],
      ['4', 'Export', undefined, 'x'],
      ['5', 'Sökning', undefined, undefined, undefined, 'x'],
    ],
    merges: ['A1:A2', 'B1:B2', 'C1:E1', 'F1:H1'],
  };

  it.each([
    ['supplier group first', SUPPLIER_FIRST, ['G3', 'F4', 'G6']],
    ['municipality group first', MUNICIPALITY_FIRST, ['D3', 'C4', 'D6']],
    ['labels not merged, supplier first', { ...SUPPLIER_FIRST, merges: [] }, ['G3', 'F4', 'G6']],
    ['labels not merged, municipality first', { ...MUNICIPALITY_FIRST, merges: [] }, ['D3', 'C4', 'D6']],
  ])('reads the supplier marks, %s', async (_case, sheet, municipalityCells) => {
    const declaration = await readSheets([sheet]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.headerRow).toEqual(sheetRow('Krav', 1));
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'Nr', text: 'Krav', answer: 'Ja | Nej | Delvis' });
    expect(declaration.rows.map((row) => [row.requirementId, row.answer, row.answerRaw])).toEqual([
      ['1', 'met', 'Ja'],
      ['2', 'not-met', 'Nej'],
      ['3', 'partially-met', 'Delvis'],
      ['4', 'unanswered', null],
      ['5', 'met', 'Ja'],
    ]);
    const readFrom = "The requirement is read as '%s' from the X-mark columns under 'Leverantörens svar'.";
    expect(declaration.report.warnings).toEqual([
      `The answer 'Nej' in sheet 'Krav' cell ${municipalityCells[0]} (Kommunens svar) differs from 'Ja' in sheet 'Krav' row 3. ` +
        readFrom.replace('%s', 'met'),
      `The answer 'Ja' in sheet 'Krav' cell ${municipalityCells[1]} (Kommunens svar) differs from 'Nej' in sheet 'Krav' row 4. ` +
        readFrom.replace('%s', 'not-met'),
      `The answer 'Nej' in sheet 'Krav' cell ${municipalityCells[2]} (Kommunens svar) differs from the answer in sheet 'Krav' row 6, ` +
        `which is empty. ${readFrom.replace('%s', 'unanswered')}`,
    ]);
  });

  it('reads a single answer group', async () => {
    const declaration = await readSheets([
      {
        name: 'Krav',
        rows: [
          ['Nr', 'Krav', 'Leverantörens svar'],
          [undefined, undefined, 'Ja', 'Nej', 'Delvis'],
          ['1', 'Loggning', 'x'],
          ['2', 'Behörighet', undefined, 'x'],
          ['3', 'Gallring', 'x', 'x'],
        ],
        merges: ['A1:A2', 'B1:B2', 'C1:E1'],
      },
    ]);
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'Nr', text: 'Krav', answer: 'Ja | Nej | Delvis' });
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['1', 'met'],
      ['2', 'not-met'],
      ['3', 'not-met'],
    ]);
    expect(declaration.report.warnings).toEqual([
      "Several answers are marked in sheet 'Krav' row 5 (Ja, Nej); the least favourable, 'not-met', is used.",
    ]);
  });
});

describe('readDeclaration English number columns', () => {
  it.each(['No', 'No.'])('reads a leading %j column as the number', async (numberLabel) => {
    const declaration = await readSheets([
      {
        name: 'Requirements',
        rows: [
          [numberLabel, 'Requirement', 'Yes', 'No', 'Partly'],
          ['1', 'Audit logging', 'X'],
          ['2', 'Access control', undefined, 'X'],
          ['3', 'Data retention', undefined, undefined, 'X'],
        ],
      },
    ]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.columns).toEqual({ id: numberLabel, text: 'Requirement', answer: 'Yes | No | Partly' });
    expect(declaration.rows.map((row) => [row.requirementId, row.answer, row.answerRaw])).toEqual([
      ['1', 'met', 'Yes'],
      ['2', 'not-met', 'No'],
      ['3', 'partially-met', 'Partly'],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('reads No among answer labels as an answer', async () => {
    const declaration = await readSheets([
      {
        name: 'Requirements',
        rows: [
          ['ID', 'Requirement', 'Yes', 'No'],
          ['R1', 'Audit logging', 'X'],
          ['R2', 'Access control', undefined, 'X'],
        ],
      },
    ]);
    expect(declaration.report.tables).toHaveLength(1);
    expect(declaration.report.tables[0]!.columns).toEqual({ id: 'ID', text: 'Requirement', answer: 'Yes | No' });
    expect(declaration.rows.map((row) => [row.requirementId, row.answer])).toEqual([
      ['R1', 'met'],
      ['R2', 'not-met'],
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });
});

describe('readDeclaration invalid characters', () => {
  it('reads a lone surrogate as U+FFFD', () => {
    const sheet = 'Krav\uD800';
    const row = (cells: string[], number: number): GridRow => ({ cells, source: { kind: 'sheet', sheet, row: number } });
    const grid: Grid = {
      name: sheet,
      kind: 'sheet',
      rows: [
        row(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'], 1),
        row(['K-1', 'Systemet ska logga uppslag.', 'Nej', 'Saknas \uDFFF helt'], 2),
        // A complete pair stays as it is.
        row(['K-2', 'Systemet ska visa \uD83D\uDE00.', 'Ja', ''], 3),
      ],
    };
    const declaration = readDeclaration([grid], 'xlsx', 'tecken.xlsx');
    expect(declaration.rows.map((requirement) => requirement.comment)).toEqual(['Saknas \uFFFD helt', null]);
    expect(declaration.rows[1]!.text).toBe('Systemet ska visa \uD83D\uDE00.');
    expect(declaration.rows[0]!.source).toEqual({ kind: 'sheet', sheet: 'Krav\uFFFD', row: 2 });
    const warning = declaration.report.warnings.find((message) => message.includes('UTF-16'));
    expect(warning).toContain("the name of sheet 'Krav");
    expect(warning).toContain("sheet 'Krav\uFFFD' cell D2");
    expect(JSON.stringify(declaration)).not.toMatch(/\\ud[89ab]/i);
  });
});

describe('readDeclaration PDF grids', () => {
  it('joins a row split by a page break', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Nr', 'Krav', 'Svar', 'Kommentar'], 1, 2),
        pdfRow(['K1', 'Systemet ska logga varje uppslag och', '', ''], 1, 3),
        pdfRow(['Nr', 'Krav', 'Svar', 'Kommentar'], 2, 1),
        pdfRow(['', 'visa vem som gjorde det.', 'Delvis', 'Visas i version 6.'], 2, 2),
        pdfRow(['K2', 'Systemet ska visa källan.', 'Ja', ''], 2, 3),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'krav.pdf');
    expect(declaration.rows.map((row) => [row.requirementId, row.text, row.answer, row.comment])).toEqual([
      ['K1', 'Systemet ska logga varje uppslag och visa vem som gjorde det.', 'partially-met', 'Visas i version 6.'],
      ['K2', 'Systemet ska visa källan.', 'met', null],
    ]);
    expect(declaration.rows[0]!.source).toEqual({ kind: 'page', page: 1, line: 3 });
  });

  it('keeps rows that open with a number', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Supporting Features', 'Remarks'], 1, 1),
        pdfRow(['(a) Product functions shall be executable from a keyboard', '', ''], 1, 2),
        pdfRow(['(b) Focus indication', 'Supported', ''], 1, 3),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'vpat.pdf');
    expect(declaration.rows.map((row) => [row.text, row.answer])).toEqual([
      ['(a) Product functions shall be executable from a keyboard', 'unanswered'],
      ['(b) Focus indication', 'met'],
    ]);
  });

  it('reads a PDF grid with page breaks', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Conformance Level', 'Remarks'], 1, 3),
        pdfRow(['1.1.1 Non-text Content', 'Supports', 'Images have alt text.'], 1, 4),
        pdfRow(['1.2.1 Audio-only', 'Partially Supports', 'Some videos lack'], 1, 6),
        pdfRow(['', '', 'transcripts.'], 1, 7),
        pdfRow(['Criteria', 'Conformance Level', 'Remarks'], 2, 1),
        pdfRow(['1.4.3 Contrast', 'Does Not Support', 'Buttons fail, see contrast.png'], 2, 2),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'acr.pdf');
    expect(declaration.format).toBe('pdf');
    expect(declaration.rows.map((row) => [row.text, row.answer])).toEqual([
      ['1.1.1 Non-text Content', 'met'],
      ['1.2.1 Audio-only', 'partially-met'],
      ['1.4.3 Contrast', 'not-met'],
    ]);
    expect(declaration.rows[1]!.comment).toBe('Some videos lack transcripts.');
    expect(declaration.rows[2]!.source).toEqual({ kind: 'page', page: 2, line: 2 });
    expect(declaration.rows[2]!.attachments).toEqual(['contrast.png']);
    expect(declaration.rows[0]!.areaHint).toBeNull();
    expect(declaration.report.skipped).toEqual([
      { source: { kind: 'page', page: 2, line: 1 }, reason: 'repeated header row' },
    ]);
  });

  it('reads a (c) item as a requirement', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Supporting Features', 'Remarks'], 1, 1),
        pdfRow(['(b) Fokus ska synas.', 'Supported', ''], 1, 2),
        pdfRow(['(c) Programmet ska inte blinka.', 'Supported', ''], 1, 3),
        pdfRow(['(c) 2024 Exempel AB'], 1, 4),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'vpat.pdf');
    expect(declaration.rows.map((row) => row.text)).toEqual(['(b) Fokus ska synas.', '(c) Programmet ska inte blinka.']);
    expect(declaration.report.skipped).toEqual([{ source: { kind: 'page', page: 1, line: 4 }, reason: 'footer row' }]);
  });

  it('joins answered parts of a split row', () => {
    const header = ['Criteria', 'Conformance Level', 'Remarks'];
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(header, 1, 1),
        pdfRow(['1.1.1 Textalternativ', 'Supports', ''], 1, 2),
        pdfRow(['1.2.1 Ljud', 'Supports', ''], 1, 3),
        pdfRow(['1.2.2 Textning Gäller även:', 'Web: Supports', 'Webb: alla filmer är textade.'], 1, 4),
        pdfRow(header, 2, 1),
        pdfRow(['Avsnitt 9 och 10', 'Authoring Tool: Partially Supports', 'Verktyg: textning saknas.'], 2, 2),
        pdfRow(['1.2.3 Syntolkning', 'Does Not Support', ''], 2, 3),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'acr.pdf');
    expect(declaration.rows.map((row) => [row.text, row.answer, row.answerRaw])).toEqual([
      ['1.1.1 Textalternativ', 'met', 'Supports'],
      ['1.2.1 Ljud', 'met', 'Supports'],
      ['1.2.2 Textning Gäller även: Avsnitt 9 och 10', 'partially-met', 'Web: Supports Authoring Tool: Partially Supports'],
      ['1.2.3 Syntolkning', 'not-met', 'Does Not Support'],
    ]);
    expect(declaration.rows[2]!.comment).toBe('Webb: alla filmer är textade. Verktyg: textning saknas.');
  });

  it('keeps numbered rows apart after a page break', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Supporting Features', 'Remarks'], 1, 1),
        pdfRow(['(k)(1) Knappar ska kännas.', 'Supported', ''], 1, 2),
        pdfRow(['(k)(2) Knappar ska nås med', 'Supported', ''], 1, 3),
        pdfRow(['en hand.', '', ''], 2, 1),
        pdfRow(['(k)(3) Knappar ska upprepa', 'Supported', ''], 2, 2),
        pdfRow(['(k)(4) Lägen ska synas.', 'Supported', ''], 3, 1),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'vpat.pdf');
    expect(declaration.rows.map((row) => [row.text, row.answerRaw])).toEqual([
      ['(k)(1) Knappar ska kännas.', 'Supported'],
      ['(k)(2) Knappar ska nås med en hand.', 'Supported'],
      ['(k)(3) Knappar ska upprepa', 'Supported'],
      ['(k)(4) Lägen ska synas.', 'Supported'],
    ]);
  });

  it('reads a no-answer row as a heading', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Conformance Level', 'Remarks'], 1, 1),
        pdfRow(['502 Samverkan', 'Heading cell – no response required', 'Heading cell – no response required'], 1, 2),
        pdfRow(['502.2.1 Användaren styr hjälpmedlen', 'Supports', ''], 1, 3),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'acr.pdf');
    expect(declaration.rows.map((row) => [row.text, row.areaHint, row.answer])).toEqual([
      ['502.2.1 Användaren styr hjälpmedlen', '502 Samverkan', 'met'],
    ]);
    expect(declaration.report.skipped).toEqual([
      { source: { kind: 'page', page: 1, line: 2 }, reason: 'heading row that needs no answer' },
    ]);
    expect(declaration.report.warnings).toEqual([]);
  });

  it('warns about an answer that refers elsewhere', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Criteria', 'Conformance Level', 'Remarks'], 1, 1),
        pdfRow(['501.1 Omfattning', 'See chapter 2', ''], 1, 2),
        pdfRow(['501.2 Loggning', 'Se bilaga 3', ''], 1, 3),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'acr.pdf');
    expect(declaration.rows.map((row) => [row.answer, row.answerRaw])).toEqual([
      ['unanswered', 'See chapter 2'],
      ['unanswered', 'Se bilaga 3'],
    ]);
    expect(declaration.report.warnings).toEqual([
      "The answer in page 1 line 2 refers elsewhere ('See chapter 2'); the requirement is read as unanswered.",
      "The answer in page 1 line 3 refers elsewhere ('Se bilaga 3'); the requirement is read as unanswered.",
    ]);
  });

  it('warns about a choice prompt split by a page break', () => {
    const header = ['Krav', 'Svar'];
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(header, 1, 1),
        pdfRow(['1.1 Systemet loggar uppslag.', 'Ja'], 1, 2),
        pdfRow(['1.2 Systemet visar källan.', 'Ja'], 1, 3),
        pdfRow(['1.3 Systemet sparar loggen', 'Ja /'], 1, 4),
        pdfRow(header, 2, 1),
        pdfRow(['i fem år.', 'Nej'], 2, 2),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'mall.pdf');
    expect(declaration.rows.map((row) => [row.answer, row.answerRaw])).toEqual([
      ['met', 'Ja'],
      ['met', 'Ja'],
      ['unanswered', 'Ja / Nej'],
    ]);
    expect(declaration.report.warnings).toEqual([
      "The answer 'Ja / Nej' in page 1 line 4 and page 2 line 2 names more than one answer, either a choice " +
        'left unfilled or answers that contradict each other, so the requirement is read as unanswered.',
    ]);
  });

  it('skips text outside the table', () => {
    const outside = (cells: string[], page: number, line: number): GridRow => ({
      ...pdfRow(cells, page, line),
      outsideTable: true,
    });
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Krav-ID', 'Krav', 'Svar'], 1, 1),
        pdfRow(['K1', 'Systemet ska logga uppslag.', 'Ja'], 1, 2),
        outside(['Tillbaka till början av dokumentet. https://example.org/deklarationer/2024/innehall.html'], 1, 3),
        outside(['Loggning'], 1, 4),
        pdfRow(['K2', 'Loggen ska sparas i tre år.', 'Nej'], 1, 5),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'krav.pdf');
    expect(declaration.rows.map((row) => [row.requirementId, row.areaHint])).toEqual([
      ['K1', null],
      ['K2', 'Loggning'],
    ]);
    expect(declaration.report.skipped).toEqual([
      { source: { kind: 'page', page: 1, line: 3 }, reason: 'text outside the table' },
      { source: { kind: 'page', page: 1, line: 4 }, reason: 'section heading' },
    ]);
  });

  it('stops reading at the closing line', () => {
    const grid: Grid = {
      name: 'PDF',
      kind: 'pdf',
      rows: [
        pdfRow(['Question ID', 'Question', 'Answer'], 1, 1),
        pdfRow(['Q-1', 'Is every lookup logged?', 'Yes'], 1, 2),
        pdfRow(['End of Standard'], 1, 3),
        pdfRow(['Date', 'Description'], 2, 1),
        pdfRow(['May 2024', 'Updated the answers.'], 2, 2),
      ],
    };
    const declaration = readDeclaration([grid], 'pdf', 'caiq.pdf');
    expect(declaration.rows.map((row) => row.requirementId)).toEqual(['Q-1']);
    expect(declaration.report.skipped.map((entry) => entry.reason)).toEqual([
      'end of the questionnaire',
      'after the end of the questionnaire',
      'after the end of the questionnaire',
    ]);
  });
});
