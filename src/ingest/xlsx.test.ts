import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DeclarationFileError } from '../errors.ts';
import type { Grid } from './model.ts';
import { buildStoredZip, buildWorkbook } from './test-workbook.ts';
import { workbookToGrids } from './xlsx.ts';

function rowByNumber(grid: Grid, rowNumber: number) {
  return grid.rows.find((row) => row.source.kind === 'sheet' && row.source.row === rowNumber);
}

async function loadError(bytes: Uint8Array, fileName: string): Promise<DeclarationFileError> {
  try {
    await workbookToGrids(bytes, fileName);
  } catch (error) {
    if (error instanceof DeclarationFileError) return error;
    throw error;
  }
  throw new Error('workbookToGrids read the file');
}

describe('workbookToGrids', () => {
  it('converts every kind of cell value', async () => {
    const bytes = await buildWorkbook([
      {
        name: 'Krav',
        rows: [
          [
            { richText: [{ text: 'Fet ' }, { text: 'text' }] },
            { formula: 'COUNTIF(C2:C9,"Ja")', result: 7 },
            new Date(Date.UTC(2024, 2, 15)),
            { text: 'skarmdump.png', hyperlink: 'https://example.org/skarmdump.png' },
            true,
            { error: '#N/A' },
            { formula: 'VLOOKUP(A1,B:B,1,FALSE)', result: { error: '#N/A' } },
            0.1 + 0.2,
            '  mellanslag  ',
          ],
        ],
      },
    ]);
    const [grid] = await workbookToGrids(bytes, 'celler.xlsx');
    expect(grid!.rows[0]!.cells).toEqual([
      'Fet text',
      '7',
      '2024-03-15',
      'skarmdump.png',
      'TRUE',
      '#N/A',
      '#N/A',
      '0.3',
      'mellanslag',
    ]);
  });

  it('gives a formula cell its cached result', async () => {
    const bytes = await buildWorkbook([
      { name: 'Krav', rows: [[{ formula: 'IF(1=1,"Ja","Nej")', result: 'Ja' }]] },
    ]);
    const [grid] = await workbookToGrids(bytes, 'formel.xlsx');
    expect(grid!.rows[0]!.cells[0]).toBe('Ja');
  });

  it('copies merged text and marks merges from above', async () => {
    const bytes = await buildWorkbook([
      {
        name: 'Krav',
        rows: [
          ['Område', 'Krav', 'Svar'],
          ['Bastjänster', 'Loggning', 'Ja'],
          [undefined, 'Spårbarhet', 'Nej'],
          [undefined, 'Behörighet', 'Ja'],
          ['Titel över två kolumner'],
        ],
        merges: ['A2:A4', 'A5:B5'],
      },
    ]);
    const [grid] = await workbookToGrids(bytes, 'sammanfogad.xlsx');
    expect(rowByNumber(grid!, 2)!.cells[0]).toBe('Bastjänster');
    expect(rowByNumber(grid!, 2)!.mergedFromAbove).toBeUndefined();
    expect(rowByNumber(grid!, 3)!.cells[0]).toBe('Bastjänster');
    expect(rowByNumber(grid!, 3)!.mergedFromAbove).toEqual([0]);
    expect(rowByNumber(grid!, 4)!.mergedFromAbove).toEqual([0]);
    expect(rowByNumber(grid!, 5)!.cells).toEqual(['Titel över två kolumner', 'Titel över två kolumner']);
    expect(rowByNumber(grid!, 5)!.mergedFromAbove).toBeUndefined();
  });

  it('keeps Excel row numbers and leaves out blank rows', async () => {
    const bytes = await buildWorkbook([
      { name: 'Krav', firstRow: 4, rows: [['Krav', 'Svar'], [], ['Loggning', 'Ja']] },
    ]);
    const [grid] = await workbookToGrids(bytes, 'glapp.xlsx');
    expect(grid!.rows.map((row) => row.source)).toEqual([
      { kind: 'sheet', sheet: 'Krav', row: 4 },
      { kind: 'sheet', sheet: 'Krav', row: 6 },
    ]);
  });

  it('marks hidden sheets and rows', async () => {
    const bytes = await buildWorkbook([
      { name: 'Krav', rows: [['Krav', 'Svar'], ['Loggning', 'Ja']], hiddenRows: [2] },
      { name: 'Listor', rows: [['Ja'], ['Nej']], hidden: true },
    ]);
    const grids = await workbookToGrids(bytes, 'dolda.xlsx');
    expect(grids.map((grid) => grid.name)).toEqual(['Krav', 'Listor']);
    expect(grids[0]!.hidden).toBeUndefined();
    expect(grids[1]!.hidden).toBe(true);
    expect(rowByNumber(grids[0]!, 1)!.hidden).toBeUndefined();
    expect(rowByNumber(grids[0]!, 2)!.hidden).toBe(true);
  });

  it('rejects a truncated workbook', async () => {
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav', 'Svar']] }]);
    const error = await loadError(bytes.subarray(0, bytes.length - 30), 'kapad.xlsx');
    expect(error.code).toBe('truncated-file');
    expect(error.message).toContain("'kapad.xlsx'");
  });

  it('rejects a damaged workbook', async () => {
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav', 'Svar']] }]);
    const damaged = new Uint8Array(bytes);
    damaged.fill(0x41, 40, Math.min(damaged.length - 200, 2000));
    const error = await loadError(damaged, 'trasig.xlsx');
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toContain("'trasig.xlsx'");
    expect(error.message).toMatch(/save it again as \.xlsx/i);
  });

  it('rejects a workbook without sheets', async () => {
    const bytes = buildStoredZip({ 'xl/workbook.xml': '<workbook/>' });
    const error = await loadError(bytes, 'leer.xlsx');
    expect(error.code).toBe('corrupt-file');
    expect(error.message).toContain("'leer.xlsx'");
  });

  it('reads a 50,000-row sheet', async () => {
    const workbook = new ExcelJS.Workbook();
    const worksheet = workbook.addWorksheet('Krav');
    worksheet.addRow(['Krav-ID', 'Kravtext', 'Svar']);
    for (let number = 1; number <= 50_000; number++) {
      worksheet.addRow([`K${number}`, `Systemet loggar händelse ${number}.`, number % 2 === 0 ? 'Ja' : 'Nej']);
    }
    const bytes = new Uint8Array((await workbook.xlsx.writeBuffer()) as ArrayBuffer);
    const [grid] = await workbookToGrids(bytes, 'stor.xlsx');
    expect(grid!.rows).toHaveLength(50_001);
    expect(grid!.rows.at(-1)!.cells).toEqual(['K50000', 'Systemet loggar händelse 50000.', 'Ja']);
  });
});
