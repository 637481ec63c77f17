import { describe, expect, it } from 'vitest';
import { matchHeaderCell, readHeaderBlock } from './headers.ts';
import type { GridRow } from './model.ts';

function rows(...cellRows: string[][]): GridRow[] {
  return cellRows.map((cells, index) => ({ cells, source: { kind: 'sheet', sheet: 'Krav', row: index + 1 } }));
}

describe('matchHeaderCell', () => {
  it.each([
    ['ID', 'id'],
    ['Kravnr', 'id'],
    ['Req. ID', 'id'],
    ['#', 'id'],
    ['Kravbeskrivning', 'text'],
    ['Criteria', 'text'],
    ['Kravet uppfylls', 'answer'],
    ['Conformance Level', 'answer'],
    ['Supporting Features', 'answer'],
    ['Åtgärdsplan', 'comment'],
    ['Additional Information', 'comment'],
    ['Område', 'area'],
    ['Bilagor', 'attachment'],
  ])('matches %j exactly as %s', (text, field) => {
    expect(matchHeaderCell(text)).toMatchObject({ field, exact: true });
  });

  it('matches labels that contain a synonym', () => {
    expect(matchHeaderCell('CSP CAIQ Answer')).toMatchObject({ field: 'answer', exact: false });
    expect(matchHeaderCell('Consensus Assessment Questions')).toMatchObject({ field: 'text', exact: false });
    expect(matchHeaderCell('Requirement Area')).toMatchObject({ field: 'area' });
  });

  it('ignores a parenthesised note', () => {
    expect(matchHeaderCell('Uppfyllt (Ja/Nej)')).toMatchObject({ field: 'answer', exact: true });
  });

  it('rejects sentences', () => {
    expect(matchHeaderCell('Systemet ska logga varje uppslag och visa vilken handläggare som gjorde det')).toBeNull();
  });

  it('ranks exact above partial', () => {
    const exact = matchHeaderCell('Question ID')!;
    const partial = matchHeaderCell('Control ID')!;
    expect(exact.field).toBe('id');
    expect(partial.field).toBe('id');
    expect(exact.strength).toBeGreaterThan(partial.strength);
  });
});

describe('readHeaderBlock', () => {
  it('rejects a row without an answer column', () => {
    expect(readHeaderBlock(rows(['ID', 'Krav', 'Kommentar']), 0)).toBeNull();
  });

  it('rejects a title merged across columns', () => {
    expect(readHeaderBlock(rows(['Vendor Response', 'Vendor Response', 'Vendor Response']), 0)).toBeNull();
  });

  it('rejects a data row with label words', () => {
    const dataRow = rows(['SEF-04.1', 'BOSS > Legal Services > Incident Response Legal Preparation', 'Domain 2']);
    expect(readHeaderBlock(dataRow, 0)).toBeNull();
  });

  it('spans a two-level header', () => {
    const block = readHeaderBlock(rows(['Krav', 'Uppfyllt', 'Uppfyllt', 'Kommentar'], ['', 'Ja', 'Nej', '']), 0)!;
    expect(block.first).toBe(0);
    expect(block.last).toBe(1);
    expect(block.columns.fields).toEqual({ text: 0, comment: 3 });
    expect(block.columns.markColumns).toEqual([
      { column: 1, answer: 'met', header: 'Ja' },
      { column: 2, answer: 'not-met', header: 'Nej' },
    ]);
  });

  it('reads answers under two answer labels', () => {
    const grid = rows(
      ['Nr', 'Krav', 'Leverantörens svar', 'Kommunens svar', 'Kommentar'],
      ['1', 'Loggning', 'Ja', 'Nej', ''],
    );
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(0);
    expect(block.columns.markColumns).toEqual([]);
    expect(block.columns.fields).toEqual({ id: 0, text: 1, answer: 2, comment: 4 });
    expect(block.columns.otherAnswerColumns).toEqual([3]);
  });

  it('reads a requirement row as data', () => {
    const grid = rows(['Nr', 'Krav', 'Uppfyllt', '', 'Kommentar'], ['1', 'Loggning', 'Ja', 'Nej', '']);
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(0);
    expect(block.columns.markColumns).toEqual([]);
    expect(block.columns.fields.answer).toBe(2);
  });

  it('reads answers without a text label', () => {
    const grid = rows(
      ['', 'Leverantörens svar', 'Kommunens svar', 'Kommentar'],
      ['Loggning av uppslag', 'Ja', 'Nej', ''],
    );
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(0);
    expect(block.columns.markColumns).toEqual([]);
    expect(block.columns.fields).toEqual({ answer: 1, comment: 3 });
    expect(block.columns.otherAnswerColumns).toEqual([2]);
  });

  it.each([
    ['the supplier column on the right', ['Nr', 'Krav', 'Kommunens svar', 'Leverantörens svar'], 3, [2]],
    ['an English supplier column', ['ID', 'Requirement', "Municipality's answer", "Supplier's answer"], 3, [2]],
    ['the exact label without a supplier column', ['Nr', 'Krav', 'Kommunens svar', 'Svar'], 3, [2]],
    ['the leftmost of equal labels', ['Nr', 'Krav', 'Svar 1', 'Svar 2'], 2, [3]],
  ])('picks %s as the answer column', (_case, header, answer, others) => {
    const block = readHeaderBlock(rows(header), 0)!;
    expect(block.columns.fields.answer).toBe(answer);
    expect(block.columns.otherAnswerColumns).toEqual(others);
  });

  it.each([
    ['the supplier group on the right', ['Kommunens svar', 'Leverantörens svar'], [4, 5], 'Leverantörens svar', [2, 3]],
    ['the exact label without a supplier group', ['Kommunens svar', 'Svar'], [4, 5], 'Svar', [2, 3]],
    ['the leftmost of equal labels', ['Svar 1', 'Svar 2'], [2, 3], 'Svar 1', [4, 5]],
  ])('picks %s as the X-mark group', (_case, [left, right], chosen, group, others) => {
    const grid = rows(['Nr', 'Krav', left!, left!, right!, right!], ['Nr', 'Krav', 'Ja', 'Nej', 'Ja', 'Nej']);
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(1);
    expect(block.columns.fields).toEqual({ id: 0, text: 1 });
    expect(block.columns.markColumns.map((mark) => mark.column)).toEqual(chosen);
    expect(block.columns.markGroup).toBe(group);
    expect(block.columns.otherMarkGroups.flatMap((other) => other.markColumns.map((mark) => mark.column))).toEqual(others);
  });

  it('splits groups under labels not merged', () => {
    const grid = rows(
      ['Nr', 'Krav', 'Leverantörens svar', '', '', 'Kommunens svar', '', ''],
      ['', '', 'Ja', 'Nej', 'Delvis', 'Ja', 'Nej', 'Delvis'],
    );
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(1);
    expect(block.columns.fields).toEqual({ id: 0, text: 1 });
    expect(block.columns.markColumns.map((mark) => mark.column)).toEqual([2, 3, 4]);
    expect(block.columns.markGroup).toBe('Leverantörens svar');
    expect(block.columns.otherMarkGroups.map((group) => group.label)).toEqual(['Kommunens svar']);
    expect(block.columns.otherMarkGroups.flatMap((group) => group.markColumns.map((mark) => mark.column))).toEqual([5, 6, 7]);
  });

  it('keeps X-mark columns under one label together', () => {
    const grid = rows(['Nr', 'Krav', 'Svar', 'Svar', 'Kommentar'], ['Nr', 'Krav', 'Ja', 'Nej', 'Kommentar']);
    const block = readHeaderBlock(grid, 0)!;
    expect(block.columns.markColumns.map((mark) => mark.column)).toEqual([2, 3]);
    expect(block.columns.markGroup).toBeNull();
    expect(block.columns.otherMarkGroups).toEqual([]);
  });

  it.each(['No', 'No.'])('reads a leading %j as the id column', (numberLabel) => {
    const block = readHeaderBlock(rows([numberLabel, 'Requirement', 'Yes', 'No', 'Partly']), 0)!;
    expect(block.columns.fields).toEqual({ id: 0, text: 1 });
    expect(block.columns.markColumns.map((mark) => [mark.column, mark.answer])).toEqual([
      [2, 'met'],
      [3, 'not-met'],
      [4, 'partially-met'],
    ]);
  });

  it.each([
    ['after the requirement label', ['ID', 'Requirement', 'Yes', 'No'], [2, 3]],
    ['with Yes before the requirement label', ['Yes', 'No', 'Requirement'], [0, 1]],
  ])('reads No as an answer %s', (_case, header, markColumns) => {
    const block = readHeaderBlock(rows(header), 0)!;
    expect(block.columns.fields.id).toBe(header[0] === 'ID' ? 0 : undefined);
    expect(block.columns.markColumns.map((mark) => mark.column)).toEqual(markColumns);
  });

  it('rejects a leading No without an answer column', () => {
    expect(readHeaderBlock(rows(['No', 'Requirement', 'Comment']), 0)).toBeNull();
  });

  it('reads No in a sub-label row as the id column', () => {
    const grid = rows(['No', 'Requirement', 'Answer', 'Answer'], ['No', 'Requirement', 'Yes', 'No']);
    const block = readHeaderBlock(grid, 0)!;
    expect(block.last).toBe(1);
    expect(block.columns.fields).toEqual({ id: 0, text: 1 });
    expect(block.columns.markColumns.map((mark) => mark.column)).toEqual([2, 3]);
  });

  it('leaves a cover line out of a header', () => {
    const grid = rows(['Leverantör', 'Exempel AB'], ['Krav-ID', 'Krav', 'Ja', 'Nej']);
    expect(readHeaderBlock(grid, 0)).toBeNull();
    expect(readHeaderBlock(grid, 1)).toMatchObject({ first: 1, last: 1, columns: { fields: { id: 0, text: 1 } } });
  });

  it('stops at a cover line below a title', () => {
    const grid = rows(['Självdeklaration'], ['Leverantör: Exempel AB'], ['Krav', 'Ja', 'Nej']);
    expect(readHeaderBlock(grid, 0)).toBeNull();
    expect(readHeaderBlock(grid, 2)).toMatchObject({ first: 2, last: 2 });
  });
});
