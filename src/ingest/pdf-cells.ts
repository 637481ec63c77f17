/**
 * Joining the lines of a wrapped cell into one text. A word split at a line end is
 * rejoined only when the rest of the document shows the whole word.
 */

/** Lower-case words of the document that are certainly whole, with their number of occurrences. */
export type Vocabulary = ReadonlyMap<string, number>;

/** Words after which a trailing hyphen is a shared-suffix hyphen, as in 'in- och utloggning'. */
const CONJUNCTIONS = new Set(['och', 'eller', 'samt', 'resp', 'respektive', 'som', 'and', 'or', 'nor', 'to']);
const SOFT_HYPHEN = '\u00ad';

/**
 * Counts the words of the document's line texts that cannot be half of a split word. These are
 * the words inside a line, a line's first word when it starts in upper case or with a digit,
 * and its last word when punctuation ends it.
 */
export function buildVocabulary(lineTexts: Iterable<string>): Vocabulary {
  const counts = new Map<string, number>();
  for (const text of lineTexts) {
    const tokens = text.split(/\s+/).filter((token) => token !== '');
    for (const [index, token] of tokens.entries()) {
      const isFirst = index === 0;
      const isLast = index === tokens.length - 1;
      const mayBeSecondHalf = isFirst && !/^[\p{Lu}\p{N}]/u.test(token);
      const mayBeFirstHalf = isLast && !/[.,;:!?)]$/.test(token);
      if (mayBeSecondHalf || mayBeFirstHalf) continue;
      const word = bareWord(token);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  }
  return counts;
}

/** Joins a cell's lines with spaces, rejoining words that the layout split at a line end. */
export function joinCellLines(lines: readonly string[], vocabulary: Vocabulary): string {
  let result = '';
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '') continue;
    result = result === '' ? line : joinPair(result, line, vocabulary);
  }
  return result;
}

function joinPair(before: string, after: string, vocabulary: Vocabulary): string {
  if (before.endsWith(SOFT_HYPHEN)) {
    return before.slice(0, -1) + after;
  }
  const tail = lastToken(before);
  const head = firstToken(after);
  if (/\p{L}-$/u.test(before)) {
    return joinAfterHyphen(before, after, tail.slice(0, -1), head, vocabulary);
  }
  if (isSplitWord(tail, head, vocabulary)) {
    return before + after;
  }
  return `${before} ${after}`;
}

/**
 * Joins a line that ends in 'word-'. The hyphen goes when the document uses the whole word,
 * stays with a space before 'och', 'or' and similar words, and stays without a space otherwise
 * (IT-säkerhet, e-post, A&A-01.1).
 */
function joinAfterHyphen(
  before: string,
  after: string,
  fragment: string,
  head: string,
  vocabulary: Vocabulary,
): string {
  const startsLowerCase = /^\p{Ll}/u.test(head);
  if (startsLowerCase && vocabulary.has(bareWord(fragment + head))) {
    return before.slice(0, -1) + after;
  }
  if (CONJUNCTIONS.has(bareWord(head))) {
    return `${before} ${after}`;
  }
  return before + after;
}

/**
 * Tells whether the layout broke one word over two lines without a hyphen, as narrow
 * columns do: the joined word occurs in the document more often than its first half alone.
 */
function isSplitWord(tail: string, head: string, vocabulary: Vocabulary): boolean {
  if (!/\p{L}$/u.test(tail) || !/^\p{Ll}/u.test(head)) {
    return false;
  }
  const joinedCount = vocabulary.get(bareWord(tail + head)) ?? 0;
  return joinedCount > (vocabulary.get(bareWord(tail)) ?? 0);
}

function lastToken(text: string): string {
  return text.slice(text.lastIndexOf(' ') + 1);
}

function firstToken(text: string): string {
  const end = text.indexOf(' ');
  return end === -1 ? text : text.slice(0, end);
}

/** Lower-cases a token and strips punctuation around it, keeping inner hyphens and dots. */
function bareWord(token: string): string {
  return token.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}
