import { describe, expect, it } from 'vitest';
import { answerNamedByHeader, findRemarkQualifier, interpretAnswer } from './answers.ts';
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

/** Common ways to say met, not met, partly met and not applicable in English and Swedish. */
const COMMON_PHRASINGS: [string, Answer][] = [
  ['Met', 'met'],
  ['Not met', 'not-met'],
  ['Fulfilled', 'met'],
  ['Not fulfilled', 'not-met'],
  ['Fully met', 'met'],
  ['Unmet', 'not-met'],
  ['Unfulfilled', 'not-met'],
  ['Partly met', 'partially-met'],
  ['Partially met', 'partially-met'],
  ['Partially fulfilled', 'partially-met'],
  ['Met in part', 'partially-met'],
  ['Satisfied', 'met'],
  ['Not satisfied', 'not-met'],
  ['Implemented', 'met'],
  ['Not implemented', 'not-met'],
  ['Partially implemented', 'partially-met'],
  ['Meets', 'met'],
  ['Meets the requirement', 'met'],
  ['Does not meet', 'not-met'],
  ["Doesn't meet the requirement", 'not-met'],
  ['Partially meets', 'partially-met'],
  ['Complies', 'met'],
  ['Does not comply', 'not-met'],
  ['Requirement met', 'met'],
  ['Requirement not met', 'not-met'],
  ['The requirement is not met', 'not-met'],
  ['Yes, partly', 'partially-met'],
  ['Yes - partially', 'partially-met'],
  ['Partly, yes', 'partially-met'],
  ['Yes, fully met', 'met'],
  ['No, not fulfilled', 'not-met'],
  ['Inapplicable', 'not-applicable'],
  ['Not relevant', 'not-applicable'],
  ['Uppfylld', 'met'],
  ['Inte uppfyllt', 'not-met'],
  ['Ej uppfyllt', 'not-met'],
  ['Uppfylls ej', 'not-met'],
  ['Uppfylls inte', 'not-met'],
  ['Inte uppfylld', 'not-met'],
  ['Uppfyller ej', 'not-met'],
  ['Uppfyller inte kravet', 'not-met'],
  ['Uppfyller kravet', 'met'],
  ['Uppfyller kravet delvis', 'partially-met'],
  ['Kravet är uppfyllt', 'met'],
  ['Kravet är inte uppfyllt', 'not-met'],
  ['Kravet uppfylls ej', 'not-met'],
  ['Kravet är delvis uppfyllt', 'partially-met'],
  ['Helt uppfyllt', 'met'],
  ['Delvis uppfylld', 'partially-met'],
  ['Uppfylls delvis', 'partially-met'],
  ['Till viss del', 'partially-met'],
  ['Stöds', 'met'],
  ['Stöds ej', 'not-met'],
  ['Ja delvis', 'partially-met'],
  ['Ja, delvis', 'partially-met'],
  ['Delvis ja', 'partially-met'],
  ['Ja, delvis uppfyllt', 'partially-met'],
  ['Ja, uppfyllt', 'met'],
  ['Nej, inte uppfyllt', 'not-met'],
  ['Gäller inte', 'not-applicable'],
  ['Inte relevant', 'not-applicable'],
  ['Ej applicerbart', 'not-applicable'],
  // Partly anywhere after yes.
  ['Ja, delvis. Se bilaga 2', 'partially-met'],
  ['Yes, but only partly in version 5', 'partially-met'],
  ['Ja, men bara delvis', 'partially-met'],
  // A negation after a leading met answer takes part of it back.
  ['Ja, men inte uppfyllt för CSN', 'partially-met'],
  ['Met for web, not met for mobile', 'partially-met'],
  ['Ja men inte helt', 'partially-met'],
  ['Ja, men inte helt', 'partially-met'],
  ['Yes, but not fully', 'partially-met'],
  ['Yes \u2013 not yet', 'partially-met'],
  ['Ja, men inte ännu i produktion', 'partially-met'],
  // A negation in a remark after a met answer does not take it back.
  ['Ja, loggar raderas aldrig', 'met'],
  ['Ja, det finns inte något hinder', 'met'],
  ['Yes, data is never shared with third parties', 'met'],
  ['Yes, not only web but also mobile', 'met'],
  ['Ja, sparas ej i klartext', 'met'],
  ['Uppfyllt, ej några avvikelser', 'met'],
  ['Kravet är uppfyllt, inte relevant för CSN', 'met'],
  // Not fully, and no with partly, state that a part is met.
  ['Not fully met', 'partially-met'],
  ['Not fully', 'partially-met'],
  ['Not completely met', 'partially-met'],
  ['The requirement is not fully met', 'partially-met'],
  ['Does not fully meet', 'partially-met'],
  ['Inte helt uppfyllt', 'partially-met'],
  ['Ej helt uppfyllt', 'partially-met'],
  ['Uppfylls inte helt', 'partially-met'],
  ['Kravet är inte helt uppfyllt', 'partially-met'],
  ['Partly not met', 'partially-met'],
  ['Nej, delvis', 'partially-met'],
  ['Nej delvis', 'partially-met'],
  ['Delvis, nej', 'partially-met'],
  ['Nej, delvis uppfyllt', 'partially-met'],
  ['Nej, inte helt', 'partially-met'],
  ['No, partly', 'partially-met'],
  ['Nej, inte fullt ut', 'partially-met'],
  ['Nej inte fullt ut', 'partially-met'],
  ['Inte fullt ut', 'partially-met'],
  ['Ej fullt ut', 'partially-met'],
  ['Uppfylls inte fullt ut', 'partially-met'],
  ['Kravet uppfylls inte fullt ut', 'partially-met'],
  ['Kravet är inte fullt ut uppfyllt', 'partially-met'],
  ['Ja, men inte fullt ut', 'partially-met'],
  ['Not entirely', 'partially-met'],
  ['Not entirely met', 'partially-met'],
  // A remark that opens with not fully reads as partly met, and the table reader warns about it.
  ['Inte helt klart', 'partially-met'],
  ['Inte helt säker, troligen ja', 'partially-met'],
  ['Not fully tested', 'partially-met'],
];

/** Texts that start with a not-met answer, with and without a clause that states partly. */
const NOT_MET_WITH_REMARKS: [string, Answer][] = [
  ['Nej', 'not-met'],
  ['Nej, men delvis', 'partially-met'],
  ['Nej men bara delvis', 'partially-met'],
  ['No, only partially.', 'partially-met'],
  ['Nej, delvis. Planeras till 2027', 'partially-met'],
  ['Nej. Planeras till 2027, delvis', 'partially-met'],
  // Partly inside a longer clause describes the remark, such as a plan, not the answer.
  ['Nej, delvis planerat till 2027', 'not-met'],
  ['Nej delvis planerat till 2027', 'not-met'],
  ['No, partly planned', 'not-met'],
  ['Nej, men delvis i version 6', 'not-met'],
  ['No, not yet', 'not-met'],
];

/** Texts that contain answer words but no answer that the reader takes. */
const NOT_ANSWERS: string[] = [
  // Answer words match only as whole words.
  'Metadata',
  'Metod beskrivs i bilaga',
  'Nothing',
  'Uppfyllelsegrad okänd',
];

describe('interpretAnswer', () => {
  it.each(VOCABULARY)('reads %j as %s', (text, expected) => {
    expect(interpretAnswer(text)).toBe(expected);
  });

  it.each(COMMON_PHRASINGS)('reads %j as %s', (text, expected) => {
    expect(interpretAnswer(text)).toBe(expected);
  });

  it('reads an answer followed by a remark', () => {
    expect(interpretAnswer('Ja, se bilaga 2')).toBe('met');
    expect(interpretAnswer('No - planned for Q3')).toBe('not-met');
    expect(interpretAnswer('Delvis (version 6 krävs)')).toBe('partially-met');
    expect(interpretAnswer('Not met - planned for Q3')).toBe('not-met');
    expect(interpretAnswer('Uppfylls ej, se åtgärdsplan')).toBe('not-met');
    expect(interpretAnswer('Met, see appendix 2')).toBe('met');
  });

  it.each(NOT_MET_WITH_REMARKS)('reads %j as %s', (text, expected) => {
    expect(interpretAnswer(text)).toBe(expected);
  });

  it.each(NOT_ANSWERS)('rejects %j', (text) => {
    expect(interpretAnswer(text)).toBeNull();
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
    expect(interpretAnswer('Ja / Delvis')).toBe('unanswered');
    expect(interpretAnswer('Met/Not met')).toBe('unanswered');
    expect(interpretAnswer('Nej/Delvis')).toBe('unanswered');
  });

  it('rejects contradicting texts', () => {
    expect(interpretAnswer('Yes and no')).toBeNull();
    expect(interpretAnswer('Ja/Nej. Ja krävs')).toBeNull();
    expect(interpretAnswer('Nej, men ja i version 6')).toBeNull();
  });

  it('rejects unknown texts', () => {
    expect(interpretAnswer('Kanske')).toBeNull();
    expect(interpretAnswer('Instructure was founded in 2008')).toBeNull();
    expect(interpretAnswer('42')).toBeNull();
  });
});

describe('findRemarkQualifier', () => {
  it.each([
    ['Inte helt klart', 'inte helt'],
    ['Inte helt säker, troligen ja', 'inte helt'],
    ['Ej helt klart ännu', 'ej helt'],
    ['Not fully tested', 'not fully'],
    ['Not entirely sure', 'not entirely'],
    ['Inte fullt ut testat', 'inte fullt ut'],
  ])('finds the qualifier of %j', (text, qualifier) => {
    expect(findRemarkQualifier(text)).toBe(qualifier);
  });

  it.each([
    'Not fully',
    'Not fully met',
    'Not fully, see comment',
    'Inte helt uppfyllt',
    'Inte fullt ut',
    'Nej, inte helt',
    'Ja, men inte helt',
    'Delvis klart',
  ])('finds no remark in %j', (text) => {
    expect(findRemarkQualifier(text)).toBeNull();
  });
});

describe('answerNamedByHeader', () => {
  it('names answers for X-mark headers', () => {
    expect(answerNamedByHeader('Ja')).toBe('met');
    expect(answerNamedByHeader('Nej')).toBe('not-met');
    expect(answerNamedByHeader('Ej tillämpligt')).toBe('not-applicable');
    expect(answerNamedByHeader('Not Applicable')).toBe('not-applicable');
    expect(answerNamedByHeader('Met')).toBe('met');
    expect(answerNamedByHeader('Not met')).toBe('not-met');
    expect(answerNamedByHeader('Partly met')).toBe('partially-met');
    expect(answerNamedByHeader('Not fully met')).toBe('partially-met');
  });

  it('ignores ordinary headers', () => {
    expect(answerNamedByHeader('Kravtext')).toBeNull();
    expect(answerNamedByHeader('Svar')).toBeNull();
  });
});
