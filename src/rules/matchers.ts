/**
 * Regular expressions for rule terms, rule patterns and party names.
 *
 * JavaScript's `\b` counts only ASCII letters as word characters, so it would split
 * "Försäkringskassan" at "ö". Every expression here is anchored with Unicode-aware
 * look-arounds instead: a match may not be preceded or followed by a letter, a digit
 * or an underscore. Digits count as word characters, so "PM" does not match in "PM2.5".
 */

const WORD_CHARACTER = '[\\p{L}\\p{N}_]';
const WORD_START = `(?<!${WORD_CHARACTER})`;
const WORD_END = `(?!${WORD_CHARACTER})`;
const ANY_LETTERS = '[\\p{L}\\p{N}]*';

/**
 * A cheaper expression per compiled one: the same words without the look-arounds, wildcards or
 * endings, with the same case rule. It matches wherever the full expression does, so text it
 * does not match is skipped. Unicode look-behinds make the full expressions slow to scan, and
 * most rules find nothing in most rows.
 */
const quickTests = new WeakMap<RegExp, RegExp>();

function withQuickTest(regex: RegExp, body: string, flags: string): RegExp {
  quickTests.set(regex, new RegExp(body, flags.replace('g', '')));
  return regex;
}

/**
 * Combines the quick tests of several compiled expressions into at most two expressions, one
 * per case rule. The result is false only when none of the expressions can match the text. A
 * rule or a list of parties whose words appear nowhere in a field then costs one or two scans
 * instead of one per term or name. Expressions without a quick test make it always true.
 */
export function combinedQuickTest(regexes: readonly RegExp[]): (text: string) => boolean {
  const bodies = new Map<string, string[]>();
  for (const regex of regexes) {
    const quick = quickTests.get(regex);
    if (!quick) return () => true;
    const list = bodies.get(quick.flags) ?? [];
    list.push(quick.source);
    bodies.set(quick.flags, list);
  }
  const combined = [...bodies].map(([flags, sources]) => new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags));
  return (text) => combined.some((regex) => regex.test(text));
}

/** One stretch of text that a matcher found. */
export interface TextMatch {
  start: number;
  end: number;
  text: string;
}

/**
 * True when the text has letters and all of them are capitals ("FK", "TLS", "SSBTEK").
 * Such a term or alias matches only in capitals, so "AF" never matches "af" or "Af".
 */
export function isAllCapitals(text: string): boolean {
  return /\p{L}/u.test(text) && text === text.toUpperCase();
}

/** Escapes the characters that have a meaning in a Unicode-mode regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * Compiles a rule term. Words are separated by any whitespace, and a leading or
 * trailing `*` stands for any letters or digits ("*avbrott*" matches "driftavbrottet").
 */
export function compileTerm(term: string): RegExp {
  const trimmed = term.normalize('NFC').trim();
  const leading = trimmed.startsWith('*');
  const trailing = trimmed.endsWith('*');
  const core = trimmed.slice(leading ? 1 : 0, trailing ? -1 : undefined).trim();
  const body = core.split(/\s+/).map(escapeRegExp).join('\\s+');
  const source = `${WORD_START}${leading ? ANY_LETTERS : ''}${body}${trailing ? ANY_LETTERS : ''}${WORD_END}`;
  const flags = isAllCapitals(core) ? 'gu' : 'giu';

  return withQuickTest(new RegExp(source, flags), body, flags);
}

/** Compiles a rule pattern, case-insensitive and anchored at word boundaries. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`${WORD_START}(?:${pattern.normalize('NFC')})${WORD_END}`, 'giu');
}

/**
 * Returns the error message for a pattern that cannot be used, or null when it compiles.
 * `\b` and `\B` are rejected because they treat å, ä and ö as non-word characters.
 */
export function checkPattern(pattern: string): string | null {
  if (/(?:^|[^\\])(?:\\\\)*\\[bB]/.test(pattern)) {
    return 'must not use \\b or \\B, which treat å, ä and ö as non-word characters; patterns are already matched at word boundaries';
  }

  try {
    compilePattern(pattern);
    return null;
  } catch (error) {
    return `is not a valid regular expression: ${(error as Error).message}`;
  }
}

/**
 * Compiles the names of one party. Names in capitals match only in capitals and take
 * no endings, and other names match in any case, optionally followed by one of `endings`
 * ("Skatteverket" with ending "s" also matches "Skatteverkets").
 */
export function compileNames(names: readonly string[], endings: readonly string[]): RegExp[] {
  const normalised = [...new Set(names.map((name) => name.normalize('NFC').trim()))];
  const capitals = normalised.filter(isAllCapitals);
  const others = normalised.filter((name) => !isAllCapitals(name));
  const regexes: RegExp[] = [];

  if (capitals.length > 0) {
    const names = alternation(capitals);
    regexes.push(withQuickTest(new RegExp(`${WORD_START}${names}${WORD_END}`, 'gu'), names, 'gu'));
  }

  if (others.length > 0) {
    const names = alternation(others);
    const ending = endings.length > 0 ? `${alternation(endings)}?` : '';
    regexes.push(withQuickTest(new RegExp(`${WORD_START}${names}${ending}${WORD_END}`, 'giu'), names, 'giu'));
  }

  return regexes;
}

/** Builds `(?:a|b|c)` with the longest alternative first, so that the longest name wins. */
function alternation(words: readonly string[]): string {
  const sorted = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const escaped = sorted.map((word) => word.split(/\s+/).map(escapeRegExp).join('\\s+'));

  return `(?:${escaped.join('|')})`;
}

/**
 * Finds every match of `regexes` in `text`, in order of position, leaving out matches
 * that lie inside a match of `excludes`. The regexes must have the global flag.
 */
export function findMatches(
  text: string,
  regexes: readonly RegExp[],
  excludes: readonly RegExp[] = [],
): TextMatch[] {
  const matches = regexes.flatMap((regex) => collect(text, regex));
  if (matches.length === 0) return matches;
  const excluded = excludes.flatMap((regex) => collect(text, regex));
  const included = matches.filter((match) => !excluded.some((span) => contains(span, match)));

  return included.sort((a, b) => a.start - b.start || b.end - a.end);
}

function collect(text: string, regex: RegExp): TextMatch[] {
  const matches: TextMatch[] = [];
  if (quickTests.get(regex)?.test(text) === false) return matches;

  for (const found of text.matchAll(regex)) {
    if (found[0].length === 0) {
      continue;
    }

    matches.push({ start: found.index, end: found.index + found[0].length, text: found[0] });
  }

  return matches;
}

function contains(outer: TextMatch, inner: TextMatch): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}
