import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isFormulaError } from './formula-errors.ts';
import { parseDeclaration } from './parse.ts';
import { buildWorkbook } from './test-workbook.ts';

async function workbookWithFormulaErrors(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow(['K-1', 'Systemet ska visa bostadsbidrag.', 'Ja', '']);
  sheet.addRow([{ formula: 'A1', result: { error: '#REF!' } }, { formula: '1/0', result: { error: '#DIV/0!' } }, 'Nej', 'Trasig formel']);
  sheet.addRow(['K-3', 'Systemet ska logga uppslag.', { formula: 'X1', result: { error: '#N/A' } }, '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const ERROR_VALUES: ExcelJS.CellErrorValue['error'][] = ['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?', '#NUM!', '#N/A'];

describe('formula errors', () => {
  it('keep a not-met row whose id and text are errors', async () => {
    const parsed = await parseDeclaration(await workbookWithFormulaErrors(), 'fel.xlsx');
    const broken = parsed.rows.find((row) => row.text === '#DIV/0!');
    expect(broken?.requirementId).toBeNull();
    expect(broken?.answer).toBe('not-met');
    expect(broken?.comment).toBe('Trasig formel');
  });

  it('warn about an error as the id', async () => {
    const parsed = await parseDeclaration(await workbookWithFormulaErrors(), 'fel.xlsx');
    const warning = parsed.report.warnings.find((text) => text.includes('formula error'));
    expect(warning).toContain("sheet 'Krav' cell A3");
    expect(warning).toContain("'#REF!'");
    expect(warning).toContain('without an id');
  });

  it('warn about an error as the answer', async () => {
    const parsed = await parseDeclaration(await workbookWithFormulaErrors(), 'fel.xlsx');
    expect(parsed.rows.find((row) => row.requirementId === 'K-3')?.answer).toBe('unanswered');
    expect(parsed.report.warnings.some((warning) => warning.includes("'#N/A'") && warning.includes('C4'))).toBe(true);
  });

  it('never become requirement ids', async () => {
    const rows = ERROR_VALUES.map((error, index) => [{ formula: `Z${index + 1}`, result: { error } }, `Systemet ska uppfylla krav ${index + 1}.`, 'Ja']);
    const bytes = await buildWorkbook([{ name: 'Krav', rows: [['Krav-ID', 'Krav', 'Uppfyllt'], ['K-1', 'Systemet ska logga.', 'Ja'], ...rows] }]);
    const parsed = await parseDeclaration(bytes, 'fel.xlsx');
    expect(parsed.rows).toHaveLength(1 + ERROR_VALUES.length);
    expect(parsed.rows.map((row) => row.requirementId)).toEqual(['K-1', ...ERROR_VALUES.map(() => null)]);
    expect(parsed.report.warnings.filter((warning) => warning.includes('is the formula error'))).toHaveLength(ERROR_VALUES.length);
  });

  it('are recognised by their codes', () => {
    for (const error of ERROR_VALUES) expect(isFormulaError(error)).toBe(true);
    expect(isFormulaError('#SPILL!')).toBe(true);
    expect(isFormulaError(' #n/a ')).toBe(true);
    expect(isFormulaError('N/A')).toBe(false);
    expect(isFormulaError('#4')).toBe(false);
    expect(isFormulaError('K-1')).toBe(false);
  });
});
