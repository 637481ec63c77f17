/** Normalisation of answer texts in Swedish, English and Dutch to the five answers of the model. */

import type { Answer } from './model.ts';
import { MAX_PHRASE_WORDS, NOT_FULLY_QUALIFIERS, PHRASE_TO_ANSWER } from './answer-phrases.ts';
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
 * Yes with partly, as in 'Ja delvis' or 'Yes, but only partly', is partly met, and so is no
 * with partly as a clause of its own, as in 'Nej, delvis'.
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
  return answerFromLeadingPhrase(trimmed, normalized) ?? answerFromLabelledParts(trimmed);
}

/**
 * Splits a text into clauses at each comma, semicolon, full stop or dash between spaces, so that a
 * leading answer is read within the first: in 'Uppfyllt, ej några avvikelser' the 'ej' belongs to
 * the remark, not to the answer.
 */
function splitClauses(text: string): string[] {
  return text.split(/[,;.!?]|\s[-\u2013\u2014]\s/u);
}

/**
 * Returns the qualifier, such as 'inte helt' or 'not fully', that a text opens with when more words
 * of its first clause follow it and make no answer phrase with it, or null. Such a text, as 'Inte
 * helt klart' or 'Not fully tested', is a remark that `interpretAnswer` reads as partly met,
 * although it may not state an answer at all. 'Not fully met' and 'Not fully, see comment' are answers.
 */
export function findRemarkQualifier(text: string): string | null {
  const firstClause = normalizeLabel(splitClauses(text)[0]!);
  const phrase = findLeadingPhrase(firstClause, 2);
  if (phrase === null || phrase === firstClause || !NOT_FULLY_QUALIFIERS.includes(phrase)) return null;
  return phrase;
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
const PARTIAL_QUALIFIERS = [...NOT_FULLY_QUALIFIERS, 'not yet', 'inte ännu', 'ännu inte', 'ej ännu'];

/** Words that may open a clause before a partly-met answer, as in 'Nej, men bara delvis'. */
const LINKING_WORDS = new Set(['men', 'but', 'bara', 'only', 'endast', 'dock', 'however']);

/**
 * Reads a text that starts with an answer phrase and goes on with other words. The phrase is
 * looked for in the text's first clause only. After a not-met phrase, a partly word counts only
 * as a clause of its own: 'Nej, delvis' is partly met, and 'Nej, delvis planerat till 2027' is
 * not met, because there the word describes the plan.
 */
function answerFromLeadingPhrase(text: string, normalized: string): Answer | null {
  const clauses = splitClauses(text);
  const firstClause = normalizeLabel(clauses[0]!);
  const phrase = findLeadingPhrase(firstClause, 2);
  if (!phrase || phrase === normalized) return null;

  const leading = PHRASE_TO_ANSWER.get(phrase)!;
  const named = new Set<Answer>([leading]);
  const laterWords = normalized.slice(phrase.length).trim().split(' ');
  if (leading === 'met' && takesBackPart(laterWords)) return 'partially-met';
  if (leading === 'not-met') {
    const restOfFirstClause = firstClause.slice(phrase.length).trim();
    const laterClauses = clauses.slice(1).map(normalizeLabel);
    if ([restOfFirstClause, ...laterClauses].some(isPartlyMetClause)) return 'partially-met';
  }
  for (const word of laterWords) {
    const answer = CONFLICT_WORDS.get(word);
    // After a not-met answer, a partly word that is not a clause of its own belongs to a remark.
    if (answer === 'partially-met' && leading === 'not-met') continue;
    if (answer !== undefined) named.add(answer);
  }
  return combineAnswers(named);
}

/** Returns true when a normalised clause, after any linking words, is a partly-met answer phrase alone. */
function isPartlyMetClause(clause: string): boolean {
  const words = clause.split(' ');
  let start = 0;
  while (start < words.length && LINKING_WORDS.has(words[start]!)) start++;
  return PHRASE_TO_ANSWER.get(words.slice(start).join(' ')) === 'partially-met';
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
 * contradict each other. Partly met with met, as in 'Yes, partly', or with not met, as in 'Nej,
 * delvis' and 'Partly not met', gives partly met.
 */
function combineAnswers(answers: ReadonlySet<Answer>): Answer | null {
  if (answers.size === 1) return [...answers][0]!;
  const withPartly = answers.size === 2 && answers.has('partially-met');
  if (withPartly && (answers.has('met') || answers.has('not-met'))) return 'partially-met';
  return null;
}
