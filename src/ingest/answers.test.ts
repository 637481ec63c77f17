import { describe, expect, it } from 'vitest';
import { answerNamedByHeader, interpretAnswer } from './answers.ts';
import type { Answer } from './model.ts';

const VOCABULARY: [string, Answer][] = [
  ['Ja', 'met'],
  ['JA', 'met'],
  [' ja. ', 'met'],
  ['Nej', 'not-met'],
  ['nej!', 'not-met'],
  ['Delvis', 'partially-met'],
  ['Ej tillämpligt', 'not-applicable'],
  ['ej  tillämpligt.', 'not-applicable'],
  ['Uppfyllt', 'met'],
  ['Ej uppfyllt', 'not-met'],
  ['Delvis uppfyllt', 'partially-met'],
  ['Ej aktuellt', 'not-applicable'],
  ['Yes', 'met'],
  ['No', 'not-met'],
  ['Partially', 'partially-met'],
  ['Partial', 'partially-met'],
  ['N/A', 'not-applicable'],
  ['NA', 'not-applicable'],
  ['n/a', 'not-applicable'],
  ['Not applicable', 'not-applicable'],
  ['Supports', 'met'],
  ['Supported', 'met'],
  ['Partially Supports', 'partially-met'],
  ['Partially Supported', 'partially-met'],
  ['Does Not Support', 'not-met'],
  ['Not Supported', 'not-met'],
  ['Not Applicable', 'not-applicable'],
  ['Does not apply', 'not-applicable'],
  ['voldoet', 'met'],
  ['voldoet deels', 'partially-met'],
  ['voldoet niet', 'not-met'],
  ['niet van toepassing', 'not-applicable'],
  ['Valid', 'met'],
  ['Non-valid', 'not-met'],
  ['x', 'met'],
  ['✓', 'met'],
  ['TRUE', 'met'],
  ['', 'unanswered'],
  ['   ', 'unanswered'],
];

describe('interpretAnswer', () => {
  it.each(VOCABULARY)('reads %j as %s', (text, expected) => {
    expect(interpretAnswer(text)).toBe(expected);
  });

  it('reads an answer followed by a remark', () => {
    expect(interpretAnswer('Ja, se bilaga 2')).toBe('met');
    expect(interpretAnswer('No - planned for Q3')).toBe('not-met');
    expect(interpretAnswer('Delvis (version 6 krävs)')).toBe('partially-met');
  });

  it('reads answers given per part', () => {
    expect(interpretAnswer('Web: Supports Authoring Tool: Partially Supports')).toBe('partially-met');
    expect(interpretAnswer('Web: Supports Authoring Tool: Not Applicable')).toBe('met');
    expect(interpretAnswer('Web: Not Applicable')).toBe('not-applicable');
    expect(interpretAnswer('Web: see remarks')).toBeNull();
  });

  it('treats an unfilled choice prompt as unanswered', () => {
    expect(interpretAnswer('Ja/Nej')).toBe('unanswered');
    expect(interpretAnswer('Yes / No / N/A')).toBe('unanswered');
  });

  it('rejects contradicting texts', () => {
    expect(interpretAnswer('Yes and no')).toBeNull();
    expect(interpretAnswer('Ja/Nej. Ja krävs')).toBeNull();
  });

  it('rejects unknown texts', () => {
    expect(interpretAnswer('Kanske')).toBeNull();
    expect(interpretAnswer('Instructure was founded in 2008')).toBeNull();
    expect(interpretAnswer('42')).toBeNull();
  });
});

describe('answerNamedByHeader', () => {
  it('names answers for X-mark headers', () => {
    expect(answerNamedByHeader('Ja')).toBe('met');
    expect(answerNamedByHeader('Nej')).toBe('not-met');
    expect(answerNamedByHeader('Ej tillämpligt')).toBe('not-applicable');
    expect(answerNamedByHeader('Not Applicable')).toBe('not-applicable');
  });

  it('ignores ordinary headers', () => {
    expect(answerNamedByHeader('Kravtext')).toBeNull();
    expect(answerNamedByHeader('Svar')).toBeNull();
  });
});
