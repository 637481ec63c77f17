/** Normalisation of answer texts in Swedish, English and Dutch to the five answers of the model. */

import type { Answer } from './model.ts';
import { normalizeLabel } from './text.ts';

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
    'false',
    'falskt',
  ],
  'partially-met': [
    'delvis',
    'delvis uppfyllt',
    'uppfylls delvis',
    'kravet uppfylls delvis',
    'partially',
    'partial',
    'partly',
    'partially supports',
    'partially supported',
    'partially compliant',
    'voldoet deels',
  ],
  'not-applicable': [
    'ej tillämpligt',
    'ej tillämplig',
    'inte tillämpligt',
    'ej aktuellt',
    'ej aktuell',
    'inte aktuellt',
    'ej relevant',
    'gäller ej',
    'does not apply',
    'not relevant',
    'n a',
    'na',
    'not applicable',
    'niet van toepassing',
  ],
};

const PHRASE_TO_ANSWER = new Map<string, Answer>();
for (const [answer, phrases] of Object.entries(ANSWER_PHRASES)) {
  for (const phrase of phrases) PHRASE_TO_ANSWER.set(phrase, answer as Answer);
}

/** Phrases sorted longest first, so that 'not applicable' is tried before 'no'. */
const PHRASES_LONGEST_FIRST = [...PHRASE_TO_ANSWER.keys()].sort((a, b) => b.length - a.length);

/** Single answer words whose presence later in a text contradicts its leading answer. */
const CONFLICT_WORDS = new Map<string, Answer>([
  ['ja', 'met'],
  ['yes', 'met'],
  ['nej', 'not-met'],
  ['no', 'not-met'],
  ['delvis', 'partially-met'],
  ['partially', 'partially-met'],
]);

/** Characters that count as a mark in a column of X marks or in a single answer column. */
const MARK_PATTERN = /^[xX✓✔☑☒■●•*]$/u;

/**
 * Returns the answer that a cell text states, or null when the text is not an answer.
 * An empty text is 'unanswered', and so is an unfilled choice prompt such as 'Ja/Nej'.
 * A text that starts with an answer phrase, such as 'Ja, se bilaga 2' or 'No - planned for Q3',
 * gives that phrase's answer unless the rest names a different answer ('Yes and no').
 * Answers per part, such as 'Web: Supports Authoring Tool: Partially Supports', give the
 * least favourable answer of the parts that apply.
 */
export function interpretAnswer(text: string): Answer | null {
  const trimmed = text.trim();
  if (trimmed === '') return 'unanswered';
  if (isMark(trimmed)) return 'met';

  const normalized = normalizeLabel(trimmed);
  const exact = PHRASE_TO_ANSWER.get(normalized);
  if (exact) return exact;

  const spelledOut = splitIntoPhrases(normalized);
  if (spelledOut) return spelledOut.size === 1 ? [...spelledOut][0]! : 'unanswered';
  return answerFromLeadingPhrase(normalized) ?? answerFromLabelledParts(trimmed);
}

/** Orders answers from least to most favourable to the supplier. */
export const FAVOURABILITY: Record<Answer, number> = {
  'not-met': 0,
  'partially-met': 1,
  unanswered: 2,
  'not-applicable': 3,
  met: 4,
};

/**
 * Reads 'Label: answer Label: answer' texts. Every part after a colon must start with an
 * answer phrase, and whatever follows the phrase is the next part's label.
 */
function answerFromLabelledParts(text: string): Answer | null {
  const parts = text.split(':').slice(1);
  if (parts.length < 1 || text.split(':')[0]!.trim() === '') return null;

  const answers: Answer[] = [];
  for (const [index, part] of parts.entries()) {
    const normalized = normalizeLabel(part);
    const isLast = index === parts.length - 1;
    const phrase = PHRASES_LONGEST_FIRST.find(
      (candidate) => normalized === candidate || (!isLast && normalized.startsWith(`${candidate} `)),
    );
    if (!phrase) return null;
    answers.push(PHRASE_TO_ANSWER.get(phrase)!);
  }
  const applicable = answers.filter((answer) => answer !== 'not-applicable');
  if (applicable.length === 0) return 'not-applicable';
  return applicable.sort((a, b) => FAVOURABILITY[a] - FAVOURABILITY[b])[0]!;
}

/** Returns true when a text is a single check mark such as 'x' or '✓'. */
export function isMark(text: string): boolean {
  return MARK_PATTERN.test(text.trim());
}

/** Returns the answer that a header text names exactly, for columns of X marks. */
export function answerNamedByHeader(headerText: string): Answer | null {
  return PHRASE_TO_ANSWER.get(normalizeLabel(headerText)) ?? null;
}

/**
 * Splits a text made only of answer phrases ('ja nej ej tillämpligt') into their answers.
 * Returns null when some part of the text is not an answer phrase.
 */
function splitIntoPhrases(normalized: string): Set<Answer> | null {
  const answers = new Set<Answer>();
  let rest = normalized;
  while (rest !== '') {
    const phrase = PHRASES_LONGEST_FIRST.find((candidate) => rest === candidate || rest.startsWith(`${candidate} `));
    if (!phrase) return null;
    answers.add(PHRASE_TO_ANSWER.get(phrase)!);
    rest = rest.slice(phrase.length).trimStart();
  }
  return answers;
}

function answerFromLeadingPhrase(normalized: string): Answer | null {
  const phrase = PHRASES_LONGEST_FIRST.find(
    (candidate) => candidate.length >= 2 && normalized.startsWith(`${candidate} `),
  );
  if (!phrase) return null;

  const answer = PHRASE_TO_ANSWER.get(phrase)!;
  const laterWords = normalized.slice(phrase.length).trim().split(' ');
  const namesOtherAnswer = laterWords.some((word) => {
    const other = CONFLICT_WORDS.get(word);
    return other !== undefined && other !== answer;
  });
  return namesOtherAnswer ? null : answer;
}
