import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseOrganisationNumber, readName } from './suppliers-command.ts';

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

  it('rejects a wrong check digit', () => {
    expect(() => parseOrganisationNumber('5561234568')).toThrow('Its check digit, the last one, is 8, but the first nine digits give 7.');
    expect(() => parseOrganisationNumber('556999-0001')).toThrow(InvalidArgumentError);
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
