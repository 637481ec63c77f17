/** The answer phrases in Swedish, English and Dutch, as normalizeLabel writes them. */

import type { Answer } from './model.ts';

/**
 * Qualifiers that state that a requirement is met only in part: 'Not fully', and with a state
 * word 'Not fully met' or 'Inte helt uppfyllt'. After a met answer they take part of it back, as
 * in 'Yes, but not fully'.
 */
export const NOT_FULLY_QUALIFIERS = [
  'not fully',
  'not completely',
  'not entirely',
  'inte helt',
  'ej helt',
  'inte fullt ut',
  'ej fullt ut',
];

/** Answer phrases after normalizeLabel, so 'N/A' is 'n a' and 'Non-valid' is 'non valid'. */
const ANSWER_PHRASES: Record<Exclude<Answer, 'unanswered'>, readonly string[]> = {
  met: [
    'ja',
    'yes',
    'y',
    'j',
    'uppfyllt',
    'uppfylls',
    'kravet uppfylls',
    'helt uppfyllt',
    'supports',
    'supported',
    'fully supported',
    'fully supports',
    'voldoet',
    'valid',
    'compliant',
    'fully compliant',
    'true',
    'sant',
  ],
  'not-met': [
    'nej',
    'no',
    'n',
    'ej uppfyllt',
    'inte uppfyllt',
    'ej uppfylld',
    'uppfylls ej',
    'uppfylls inte',
    'kravet uppfylls inte',
    'does not support',
    'not supported',
    'unsupported',
    'voldoet niet',
    'non valid',
    'not valid',
    'invalid',
    'not compliant',
    'non compliant',
    'noncompliant',
    'unmet',
    'unfulfilled',
    'unsatisfied',
    'false',
    'falskt',
  ],
  'partially-met': [
    'delvis',
    'delvis uppfyllt',
    'uppfylls delvis',
    'kravet uppfylls delvis',
    'till viss del',
    'till en del',
    'partially',
    'partial',
    'partly',
    'in part',
    'partially supports',
    'partially supported',
    'partially compliant',
    'voldoet deels',
    ...NOT_FULLY_QUALIFIERS,
  ],
  'not-applicable': [
    'ej tillämpligt',
    'ej tillämplig',
    'inte tillämpligt',
    'ej aktuellt',
    'ej aktuell',
    'inte aktuellt',
    'ej relevant',
    'inte relevant',
    'ej applicerbart',
    'ej applicerbar',
    'inte applicerbart',
    'gäller ej',
    'gäller inte',
    'does not apply',
    'not relevant',
    'n a',
    'na',
    'not applicable',
    'inapplicable',
    'niet van toepassing',
  ],
};

/**
 * Words that state that a requirement is met. Each gives the phrases that state it fully, not or
 * partly, such as 'not met', 'uppfylls ej' and 'delvis uppfyllt'. Swedish puts the negation
 * before or after the word.
 */
const ENGLISH_STATES = ['met', 'fulfilled', 'satisfied', 'implemented', 'supported', 'compliant'];
const SWEDISH_STATES = [
  'uppfyllt',
  'uppfylld',
  'uppfyllda',
  'uppfylls',
  'uppfyller',
  'stöds',
  'tillgodosett',
  'tillgodosedd',
  'tillgodoses',
  'implementerat',
  'implementerad',
  'infört',
  'införd',
];
/** English verbs that state that a requirement is met, as the third person and the base form. */
const ENGLISH_VERBS: readonly [string, string][] = [
  ['meets', 'meet'],
  ['fulfils', 'fulfil'],
  ['fulfills', 'fulfill'],
  ['satisfies', 'satisfy'],
  ['complies', 'comply'],
  ['supports', 'support'],
];
/** Subjects that may open a state phrase: 'kravet är uppfyllt', 'the requirement is not met'. */
const ENGLISH_SUBJECTS = ['requirement', 'requirement is', 'the requirement is'];
const SWEDISH_SUBJECTS = ['krav', 'kravet', 'kravet är'];

type StatePhrases = Record<'met' | 'not-met' | 'partially-met', string[]>;

function englishStatePhrases(state: string): StatePhrases {
  return {
    met: [state, `fully ${state}`, `completely ${state}`, `${state} in full`],
    'not-met': [`not ${state}`],
    'partially-met': [
      `partly ${state}`,
      `partially ${state}`,
      `${state} partly`,
      `${state} partially`,
      `${state} in part`,
      `not fully ${state}`,
      `not completely ${state}`,
      `not entirely ${state}`,
    ],
  };
}

function swedishStatePhrases(state: string): StatePhrases {
  return {
    met: [state, `helt ${state}`, `fullt ${state}`, `${state} helt`],
    'not-met': [`ej ${state}`, `inte ${state}`, `icke ${state}`, `${state} ej`, `${state} inte`],
    'partially-met': [
      `delvis ${state}`,
      `${state} delvis`,
      `till viss del ${state}`,
      `${state} till viss del`,
      `inte helt ${state}`,
      `ej helt ${state}`,
      `${state} inte helt`,
      `${state} ej helt`,
      `inte fullt ut ${state}`,
      `ej fullt ut ${state}`,
      `${state} inte fullt ut`,
      `${state} ej fullt ut`,
    ],
  };
}

function englishVerbPhrases([thirdPerson, base]: [string, string]): StatePhrases {
  return {
    met: [thirdPerson, `fully ${thirdPerson}`],
    'not-met': [`does not ${base}`, `doesn t ${base}`, `do not ${base}`, `don t ${base}`],
    'partially-met': [
      `partly ${thirdPerson}`,
      `partially ${thirdPerson}`,
      `${thirdPerson} partly`,
      `${thirdPerson} partially`,
      `does not fully ${base}`,
      `doesn t fully ${base}`,
      `do not fully ${base}`,
      `don t fully ${base}`,
    ],
  };
}

/** Answer phrase to answer, built once from the lists above. */
export const PHRASE_TO_ANSWER: ReadonlyMap<string, Answer> = buildPhraseMap();

/** Maximum number of words in one answer phrase, so that a lookup tries no longer prefix of a text. */
export const MAX_PHRASE_WORDS = Math.max(...[...PHRASE_TO_ANSWER.keys()].map((phrase) => phrase.split(' ').length));

function buildPhraseMap(): Map<string, Answer> {
  const phrases = new Map<string, Answer>();
  const add = (phrase: string, answer: Answer) => {
    const known = phrases.get(phrase);
    if (known !== undefined && known !== answer) {
      throw new Error(`The answer phrase '${phrase}' is listed both as ${known} and as ${answer}.`);
    }
    phrases.set(phrase, answer);
  };
  const addStates = (statePhrases: StatePhrases[], subjects: readonly string[]) => {
    for (const byAnswer of statePhrases) {
      for (const [answer, list] of Object.entries(byAnswer) as [Answer, string[]][]) {
        for (const phrase of list) {
          add(phrase, answer);
          for (const subject of subjects) add(`${subject} ${phrase}`, answer);
        }
      }
    }
  };

  for (const [answer, list] of Object.entries(ANSWER_PHRASES) as [Answer, string[]][]) {
    for (const phrase of list) add(phrase, answer);
  }
  addStates(ENGLISH_STATES.map(englishStatePhrases), ENGLISH_SUBJECTS);
  addStates(SWEDISH_STATES.map(swedishStatePhrases), SWEDISH_SUBJECTS);
  addStates(ENGLISH_VERBS.map(englishVerbPhrases), []);
  return phrases;
}
