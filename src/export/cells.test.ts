import { describe, expect, it } from 'vitest';
import { csvField, neutraliseFormula } from './cells.ts';

describe('neutraliseFormula', () => {
  it.each([
    ['=HYPERLINK("http://example.invalid","klicka")', `'=HYPERLINK("http://example.invalid","klicka")`],
    ['+cmd|" /C calc"!A0', `'+cmd|" /C calc"!A0`],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['-2+3', "'-2+3"],
    ['\t=1+1', "'\t=1+1"],
    ['-42', '-42'],
    ['-3,5', '-3,5'],
    ['Svarstiden är för lång', 'Svarstiden är för lång'],
    ['', ''],
  ])('%j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe('csvField', () => {
  it('quotes separators and quotes', () => {
    expect(csvField('a, "b"')).toBe('"a, ""b"""');
    expect(csvField('rad ett\nrad två')).toBe('"rad ett\nrad två"');
  });

  it('quotes a neutralised formula', () => {
    expect(csvField('=1+1')).toBe(`"'=1+1"`);
  });

  it('writes numbers and empty values', () => {
    expect(csvField(0.75)).toBe('0.75');
    expect(csvField(null)).toBe('');
  });
});
