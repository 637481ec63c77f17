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
  it('builds one text per chunk', () => {
    const fields: CopyField<{ n: number; label: string | null }>[] = [
      { column: 'n', kind: 'number', value: (record) => record.n },
      { column: 'label', kind: 'text', value: (record) => record.label },
    ];
    const records = [{ n: 1, label: 'ett' }, { n: 2, label: null }, { n: 3, label: 'tre\tfyra' }];
    expect([...copyLines(fields, (start, end) => records.slice(start, end), records.length, 2)]).toEqual(['1\tett\n2\t\\N\n', '3\ttre\\tfyra\n']);
    expect(copyStatement('Tabell', fields)).toBe('COPY "Tabell" ("n", "label") FROM STDIN');
  });
});
