/** Normalisation of answer texts in Swedish, English and Dutch to the five answers of the model. */

import type { Answer } from './model.ts';
import { MAX_PHRASE_WORDS, PHRASE_TO_ANSWER } from './answer-phrases.ts';
import { normalizeLabel } from './text.ts';

/** Words that name an answer when they follow a leading answer phrase, and so may contradict it. */
const CONFLICT_WORDS = new Map<string, Answer>([
  ['ja', 'met'],
  ['yes', 'met'],
  ['nej', 'not-met'],
  ['no', 'not-met'],
  ['delvis', 'partially-met'],
  ['partially', 'partially-met'],
  ['partly', 'partially-met'],
]);

/** Separators of the options in a choice prompt such as 'Ja/Nej' or 'Yes | No'. */
const CHOICE_SEPARATOR = /[/|]/;

/** Characters that count as a mark in a column of X marks or in a single answer column. */
const MARK_PATTERN = /^[xX✓✔☑☒■●•*]$/u;

/**
 * Returns the answer that a cell text states, or null when the text is not an answer.
 * An empty text is 'unanswered', and so is an unfilled choice prompt such as 'Ja/Nej'.
 * A text that starts with an answer phrase, such as 'Ja, se bilaga 2' or 'No - planned for Q3',
 * gives that phrase's answer unless the rest names a different answer ('Yes and no').
 * Yes with partly, as in 'Ja delvis' or 'Yes, but only partly', is partly met.
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
  if (spelledOut) {
    if (spelledOut.size === 1) return [...spelledOut][0]!;
    // 'Ja/Delvis' offers two answers, while 'Ja, delvis' gives one.
    if (CHOICE_SEPARATOR.test(trimmed)) return 'unanswered';
    return combineAnswers(spelledOut) ?? 'unanswered';
  }
  return answerFromLeadingPhrase(normalized, normalizeLabel(firstClause(trimmed))) ?? answerFromLabelledParts(trimmed);
}

/**
 * Returns the text up to its first comma, semicolon, full stop or dash between spaces, so that a
 * leading answer is read within it: in 'Uppfyllt, ej några avvikelser' the 'ej' belongs to the
 * remark, not to the answer.
 */
function firstClause(text: string): string {
  return text.split(/[,;.!?]|\s[-\u2013\u2014]\s/u)[0]!;
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
    // The last part has no next label, so it must be an answer phrase as a whole.
    let phrase: string | null = findLeadingPhrase(normalized);
    if (isLast && phrase !== normalized) phrase = null;
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
    const phrase = findLeadingPhrase(rest);
    if (!phrase) return null;
    answers.add(PHRASE_TO_ANSWER.get(phrase)!);
    rest = rest.slice(phrase.length).trimStart();
  }
  return answers;
}

/**
 * Returns the longest answer phrase that a normalised text starts with, as whole words, or null.
 * A phrase of one letter counts only when `minLength` is 1, as 'n' is a word in other texts.
 */
function findLeadingPhrase(normalized: string, minLength = 1): string | null {
  // Only the first words can make a phrase, and splitting the whole text each time would make
  // the callers that walk a long text quadratic in its length.
  const words = normalized.split(' ', MAX_PHRASE_WORDS);
  for (let count = Math.min(MAX_PHRASE_WORDS, words.length); count > 0; count--) {
    const candidate = words.slice(0, count).join(' ');
    if (candidate.length >= minLength && PHRASE_TO_ANSWER.has(candidate)) return candidate;
  }
  return null;
}

/**
 * Phrases that, after a leading met answer, take part of it back, as 'not fully' does in 'Yes,
 * but not fully'. A later not-met answer phrase does the same, as in 'Met for web, not met for
 * mobile'. A negation alone does not, because remarks such as 'Ja, loggar raderas aldrig' are common.
 */
const PARTIAL_QUALIFIERS = [
  'inte helt', 'ej helt', 'not fully', 'not completely', 'not entirely', 'not yet', 'inte ännu', 'ännu inte', 'ej ännu',
];

/**
 * Reads a text that starts with an answer phrase and goes on with other words. The phrase is
 * looked for in the text's first clause only (`clause`, normalised).
 */
function answerFromLeadingPhrase(normalized: string, clause: string): Answer | null {
  const phrase = findLeadingPhrase(clause, 2);
  if (!phrase || phrase === normalized) return null;

  const leading = PHRASE_TO_ANSWER.get(phrase)!;
  const named = new Set<Answer>([leading]);
  const laterWords = normalized.slice(phrase.length).trim().split(' ');
  if (leading === 'met' && takesBackPart(laterWords)) return 'partially-met';
  for (const word of laterWords) {
    const answer = CONFLICT_WORDS.get(word);
    if (answer !== undefined) named.add(answer);
  }
  return combineAnswers(named);
}

/** Tells whether later words contain a partial qualifier or a not-met answer phrase of two words or more. */
function takesBackPart(words: readonly string[]): boolean {
  for (let index = 0; index < words.length; index++) {
    // A window of the longest phrase's length is enough, and keeps the walk linear in the text.
    const rest = words.slice(index, index + MAX_PHRASE_WORDS).join(' ');
    if (PARTIAL_QUALIFIERS.some((qualifier) => rest === qualifier || rest.startsWith(`${qualifier} `))) return true;
    const phrase = findLeadingPhrase(rest);
    if (phrase && phrase.includes(' ') && PHRASE_TO_ANSWER.get(phrase) === 'not-met') return true;
  }
  return false;
}

/**
 * Returns the one answer that a set of answers named in one text gives, or null when they
 * contradict each other. Met and partly met together, as in 'Yes, partly', give partly met.
 */
function combineAnswers(answers: ReadonlySet<Answer>): Answer | null {
  if (answers.size === 1) return [...answers][0]!;
  if (answers.size === 2 && answers.has('met') && answers.has('partially-met')) return 'partially-met';
  return null;
}
