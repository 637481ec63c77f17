import { describe, expect, it } from 'vitest';
import { PARSER_VERSION, parseDeclaration } from './parse.ts';
import { buildWorkbook } from './test-workbook.ts';

describe('parseDeclaration', () => {
  it('parses a workbook end to end', async () => {
    const bytes = await buildWorkbook([
      { name: 'Försättsblad', rows: [['Leverantör', 'Acme AB'], ['E-post', 'kontakt@acme.example']] },
      {
        name: 'Bastjänster',
        rows: [
          ['Kravnr', 'Kravtext', 'Uppfylls', 'Åtgärdsplan', 'Bilaga'],
          ['B1', 'Behörighet styrs per roll.', 'Nej', 'Rättas i 6.0, se logg_2024-03.txt', 'Bilaga 3'],
        ],
      },
    ]);
    const declaration = await parseDeclaration(bytes, 'acme.pdf');
    expect(declaration.format).toBe('xlsx');
    expect(declaration.cover.supplier).toBe('Acme AB');
    expect(declaration.cover.contact.email).toBe('kontakt@acme.example');
    expect(declaration.rows).toEqual([
      {
        requirementId: 'B1',
        areaHint: 'Bastjänster',
        text: 'Behörighet styrs per roll.',
        answer: 'not-met',
        answerRaw: 'Nej',
        comment: 'Rättas i 6.0, se logg_2024-03.txt',
        attachments: ['Bilaga 3', 'logg_2024-03.txt'],
        source: { kind: 'sheet', sheet: 'Bastjänster', row: 2 },
      },
    ]);
  });

  it('rejects an empty file', async () => {
    await expect(parseDeclaration(new Uint8Array(0), 'tom.xlsx')).rejects.toMatchObject({ code: 'empty-file' });
  });

  it('rejects a workbook without a table', async () => {
    const bytes = await buildWorkbook([{ name: 'Blad1', rows: [['Bara en titel']] }]);
    await expect(parseDeclaration(bytes, 'titel.xlsx')).rejects.toMatchObject({ code: 'no-requirement-table' });
  });

  it('rejects a blank template', async () => {
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']] }]);
    await expect(parseDeclaration(bytes, 'mall.xlsx')).rejects.toMatchObject({ code: 'no-requirement-table' });
  });

  it('exports a semantic parser version', () => {
    expect(PARSER_VERSION).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
