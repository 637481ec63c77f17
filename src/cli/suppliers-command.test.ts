import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { describeWrongCheckDigit, parseOrganisationNumber, readName } from './suppliers-command.ts';

describe('parseOrganisationNumber', () => {
  it.each([
    ['556123-4567', '556123-4567'],
    ['5561234567', '556123-4567'],
    ['556123–4567', '556123-4567'],
    [' 212000-1355 ', '212000-1355'],
  ])('reads %j as %j', (value, expected) => {
    expect(parseOrganisationNumber(value)).toBe(expected);
  });

  it.each(['12', 'abc-def', '556123-456', '55612-34567', '556123 4567', '16556123-4567', '195561234567'])('rejects the form of %j', (value) => {
    expect(() => parseOrganisationNumber(value)).toThrow(InvalidArgumentError);
    expect(() => parseOrganisationNumber(value)).toThrow('10 digits as NNNNNN-NNNN or NNNNNNNNNN');
  });

  it('names the prefix of a 12-digit number', () => {
    expect(() => parseOrganisationNumber('16556123-4567')).toThrow('Leave out the first two digits');
  });

  it('reads a wrong check digit as written', () => {
    expect(parseOrganisationNumber('5561234568')).toBe('556123-4568');
  });
});

describe('describeWrongCheckDigit', () => {
  it('describes a wrong check digit', () => {
    expect(describeWrongCheckDigit('556123-4568')).toBe('Its check digit, the last one, is 8, but the first nine digits give 7.');
    expect(describeWrongCheckDigit('556999-0001')).toBe('Its check digit, the last one, is 1, but the first nine digits give 4.');
  });

  it.each(['556123-4567', '556999-0004', '212000-1355', '556000-0001'])('accepts %j', (value) => {
    expect(describeWrongCheckDigit(value)).toBeNull();
  });
});

describe('readName', () => {
  it('trims and composes a name', () => {
    expect(readName('--system', ' Norrbista\u030And ')).toBe('Norrbistånd');
  });

  it('rejects empty and overlong names', () => {
    expect(() => readName('--name', '   ')).toThrow('--name is empty; give the name as the declarations write it.');
    expect(() => readName('--name', 'x'.repeat(121))).toThrow('--name has 121 characters, more than the 120 a declaration');
  });
});
