import { describe, expect, it } from 'vitest';
import { buildCandidates, buildTitle } from './candidates.ts';
import { emptyCover, type RequirementRow } from './model.ts';

const row = (overrides: Partial<RequirementRow>): RequirementRow => ({
  requirementId: 'K-1',
  areaHint: null,
  text: 'Systemet ska visa bostadsbidrag.',
  answer: 'met',
  answerRaw: 'Ja',
  comment: null,
  attachments: [],
  source: { kind: 'sheet', sheet: 'Krav', row: 5 },
  ...overrides,
});

const fullCover = () => ({
  ...emptyCover(),
  contact: { name: 'Kim Testare', phone: '070-000 00 00', email: 'kim@example.se' },
});

describe('buildCandidates', () => {
  it('keeps only not-met and partly met rows', () => {
    const rows = [
      row({ answer: 'met' }),
      row({ answer: 'not-met', requirementId: 'K-2' }),
      row({ answer: 'partially-met', requirementId: 'K-3' }),
      row({ answer: 'not-applicable' }),
      row({ answer: 'unanswered' }),
    ];
    const candidates = buildCandidates(rows, fullCover(), 'a.xlsx');
    expect(candidates.map((candidate) => candidate.row.requirementId)).toEqual(['K-2', 'K-3']);
    expect(candidates.map((candidate) => candidate.rowIndex)).toEqual([1, 2]);
  });

  it('lists the reason and contact fields that are missing', () => {
    const [candidate] = buildCandidates([row({ answer: 'not-met' })], emptyCover(), 'a.xlsx');
    expect(candidate!.missingFields).toEqual(['reason', 'contact-name', 'contact-phone', 'contact-email']);
  });

  it('takes the reason from the comment and the material from the row', () => {
    const [candidate] = buildCandidates(
      [row({ answer: 'partially-met', answerRaw: 'Delvis', comment: ' Se loggen. ', attachments: ['logg.txt'] })],
      fullCover(),
      'deklaration.xlsx',
    );
    expect(candidate!.reproduction).toBe('Se loggen.');
    expect(candidate!.material).toEqual(['declaration:deklaration.xlsx', 'logg.txt']);
    expect(candidate!.result).toBe('Kravet uppfylls delvis enligt självdeklarationen (svar: Delvis).');
    expect(candidate!.missingFields).toEqual([]);
  });

  it('drops direction overrides from the reason', () => {
    const [candidate] = buildCandidates([row({ answer: 'not-met', comment: 'Saknas \u202Eevil\u202C i vyn.' })], fullCover(), 'deklaration.xlsx');
    expect(candidate!.reproduction).toBe('Saknas evil i vyn.');
  });
});

describe('buildTitle', () => {
  it('uses the id and the first sentence', () => {
    expect(buildTitle({ requirementId: 'K-7', text: 'Systemet ska logga uppslag. Loggen sparas i två år.' })).toBe(
      'K-7: Systemet ska logga uppslag.',
    );
  });

  it('cuts long text at a word', () => {
    const title = buildTitle({ requirementId: null, text: `${'ord '.repeat(40)}slut` });
    expect(title.length).toBeLessThanOrEqual(100);
    expect(title.endsWith('…')).toBe(true);
    expect(title).not.toMatch(/or…$/);
  });

  it('drops direction overrides', () => {
    // U+202E would show "evil" as "live".
    expect(buildTitle({ requirementId: 'K-\u202E1', text: 'Visa inkomst \u202Eevil\u202C.' })).toBe('K-1: Visa inkomst evil.');
  });

  it('falls back to the id for empty text', () => {
    expect(buildTitle({ requirementId: 'K-9', text: '  ' })).toBe('Krav K-9');
  });
});
