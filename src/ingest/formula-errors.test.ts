import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseDeclaration } from './parse.ts';

async function workbookWithFormulaErrors(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow(['K-1', 'Systemet ska visa bostadsbidrag.', 'Ja', '']);
  sheet.addRow([{ formula: 'A1', result: { error: '#REF!' } }, { formula: '1/0', result: { error: '#DIV/0!' } }, 'Nej', 'Trasig formel']);
  sheet.addRow(['K-3', 'Systemet ska logga uppslag.', { formula: 'X1', result: { error: '#N/A' } }, '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('formula errors', () => {
  it('keep a not-met row whose id and text are errors', async () => {
    const parsed = await parseDeclaration(await workbookWithFormulaErrors(), 'fel.xlsx');
    const broken = parsed.rows.find((row) => row.requirementId === '#REF!');
    expect(broken?.text).toBe('#DIV/0!');
    expect(broken?.answer).toBe('not-met');
  });

  it('warn about an error as the answer', async () => {
    const parsed = await parseDeclaration(await workbookWithFormulaErrors(), 'fel.xlsx');
    expect(parsed.rows.find((row) => row.requirementId === 'K-3')?.answer).toBe('unanswered');
    expect(parsed.report.warnings.some((warning) => warning.includes("'#N/A'") && warning.includes('C4'))).toBe(true);
  });
});
