import { describe, expect, it } from 'vitest';
import { DeclarationFileError } from '../errors.ts';
import type { Grid, GridRow } from './model.ts';
import { readDeclaration } from './table.ts';
import { cleanCellText } from './text.ts';

/** Builds a grid of one requirement table with `count` rows under its header, every tenth answered Nej. */
function requirementGrid(name: string, count: number): Grid {
  const rows: GridRow[] = [{ cells: ['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'], source: { kind: 'sheet', sheet: name, row: 1 } }];
  for (let index = 1; index <= count; index++) {
    rows.push({
      cells: [`K-${index}`, `Systemet ska hantera uppgift ${index}.`, index % 10 === 0 ? 'Nej' : 'Ja', ''],
      source: { kind: 'sheet', sheet: name, row: index + 1 },
    });
  }
  return { name, kind: 'sheet', rows };
}

describe('readDeclaration on a large grid', () => {
  it('reads 100,000 rows without overflowing the stack', () => {
    const parsed = readDeclaration([requirementGrid('Krav', 100_000)], 'xlsx', 'stor.xlsx');
    expect(parsed.rows).toHaveLength(100_000);
    expect(parsed.rows.filter((row) => row.answer === 'not-met')).toHaveLength(10_000);
  });

  it('rejects 100,001 requirement rows', () => {
    const grid = requirementGrid('Krav', 100_001);
    let error: unknown;
    try {
      readDeclaration([grid], 'xlsx', 'stor.xlsx');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(DeclarationFileError);
    expect((error as DeclarationFileError).code).toBe('too-many-requirements');
    expect((error as DeclarationFileError).message).toContain("The declaration 'stor.xlsx' contains more than 100,000 requirement rows");
    expect((error as DeclarationFileError).message).toContain('split it into files of at most 100,000 requirements');
  });

  it('counts the rows of every table together', () => {
    const first = requirementGrid('Krav', 50_001);
    const second = requirementGrid('Fler krav', 50_000);
    for (const row of second.rows.slice(1)) row.cells[0] = `L-${row.cells[0]}`;
    expect(() => readDeclaration([first, second], 'xlsx', 'två.xlsx')).toThrow(/more than 100,000 requirement rows/);
  });

  it('leaves a repeated table out of the count', () => {
    const parsed = readDeclaration([requirementGrid('Krav', 60_000), requirementGrid('Rapport', 60_000)], 'xlsx', 'rapport.xlsx');
    expect(parsed.rows).toHaveLength(60_000);
  });
});

describe('cleanCellText', () => {
  it('removes NUL and escape characters', () => {
    expect(cleanCellText('Svar\u0000 med\u001b[31m färg')).toBe('Svar med[31m färg');
  });

  it('keeps line breaks and tabs as spacing', () => {
    expect(cleanCellText('rad ett\r\nrad\ttvå')).toBe('rad ett\nrad två');
  });
});
