import { describe, expect, it } from 'vitest';
import type { Grid, GridRow } from './model.ts';
import { readDeclaration } from './table.ts';
import { cleanCellText } from './text.ts';

describe('readDeclaration on a large grid', () => {
  it('reads 200,000 rows without overflowing the stack', () => {
    const rows: GridRow[] = [{ cells: ['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar'], source: { kind: 'sheet', sheet: 'Krav', row: 1 } }];
    for (let index = 1; index <= 200_000; index++) {
      rows.push({
        cells: [`K-${index}`, `Systemet ska hantera uppgift ${index}.`, index % 10 === 0 ? 'Nej' : 'Ja', ''],
        source: { kind: 'sheet', sheet: 'Krav', row: index + 1 },
      });
    }
    const grid: Grid = { name: 'Krav', kind: 'sheet', rows };

    const parsed = readDeclaration([grid], 'xlsx', 'stor.xlsx');
    expect(parsed.rows).toHaveLength(200_000);
    expect(parsed.rows.filter((row) => row.answer === 'not-met')).toHaveLength(20_000);
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
