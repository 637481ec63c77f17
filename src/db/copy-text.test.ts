import { describe, expect, it } from 'vitest';
import { copyLines, copyStatement, copyValue, type CopyField } from './copy-text.ts';

describe('copyValue', () => {
  it('escapes separators and writes NULL', () => {
    expect(copyValue('a\tb\nc\rd\\e', 'text')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyValue('\\N', 'text')).toBe('\\\\N');
    expect(copyValue(null, 'text')).toBe('\\N');
    expect(copyValue(undefined, 'json')).toBe('\\N');
    expect(copyValue('', 'text')).toBe('');
  });

  it('quotes array elements and escapes twice', () => {
    expect(copyValue(['a,b', 'NULL', 'say "hi"', 'c\\d'], 'text[]')).toBe('{"a,b","NULL","say \\\\"hi\\\\"","c\\\\\\\\d"}');
    expect(copyValue([], 'text[]')).toBe('{}');
  });

  it('writes JSON, numbers and booleans', () => {
    expect(copyValue({ match: 'a\tb' }, 'json')).toBe('{"match":"a\\\\tb"}');
    expect(copyValue(0.25, 'number')).toBe('0.25');
    expect(copyValue(false, 'boolean')).toBe('f');
  });

  it('rejects a number that is not finite', () => {
    expect(() => copyValue(Number.NaN, 'number')).toThrow('Invalid value NaN for a number column; pass a finite number.');
    expect(() => copyValue('7', 'number')).toThrow('Invalid value 7 for a number column');
  });
});

describe('copyLines', () => {
  it('builds lines in chunks', () => {
    const fields: CopyField<{ n: number; label: string | null }>[] = [
      { column: 'n', kind: 'number', value: (record) => record.n },
      { column: 'label', kind: 'text', value: (record) => record.label },
    ];
    const records = [{ n: 1, label: 'ett' }, { n: 2, label: null }, { n: 3, label: 'tre\tfyra' }];
    expect([...copyLines(fields, (start, end) => records.slice(start, end), records.length)]).toEqual(['1\tett\n2\t\\N\n3\ttre\\tfyra\n']);

    // 5,000 lines of 12 to 15 characters, about 72,000 in all, make two full chunks and a rest.
    const many = Array.from({ length: 5_000 }, (_, index) => ({ n: index, label: 'raden här' }));
    const chunks = [...copyLines(fields, (start, end) => many.slice(start, end), many.length)];
    expect(chunks.map((chunk) => chunk.length >= 32 * 1024 && chunk.length < 32 * 1024 + 15)).toEqual([true, true, false]);
    expect(chunks.join('').split('\n')).toHaveLength(5_001);
    expect(chunks.join('').split('\n')[4_999]).toBe('4999\traden här');
    expect(copyStatement('Tabell', fields)).toBe('COPY "Tabell" ("n", "label") FROM STDIN');
  });
});
