/** Evaluation of each rule's matchers against the fields of one candidate deviation. */

import { appendAll } from '../ingest/arrays.ts';
import { combinedQuickTest, compileNames, findMatches } from './matchers.ts';
import type { PartyKind, RuleInput } from './model.ts';
import { namesOfParty, type Party } from './parties.ts';
import type { CompiledRule, PartyMatch, RuleField, RuleSet } from './ruleset.ts';

/** One match of one rule in one field. */
export interface RuleHit {
  rule: CompiledRule;
  field: RuleField;
  match: string;
  /** The party whose name matched, or null when a term or pattern matched. */
  party: { code: string; kind: PartyKind } | null;
}

interface PartyMatcher {
  code: string;
  kind: PartyKind;
  regexes: RegExp[];
}

/** The parties a rule can name, with one test that is false when none of their names can be in a text. */
interface PartyMatchers {
  matchers: PartyMatcher[];
  mayMatch: (text: string) => boolean;
}

/** Per compiled rule, a test that is false when none of its terms or patterns can match a text. */
const ruleQuickTests = new WeakMap<CompiledRule, (text: string) => boolean>();

function ruleMayMatch(rule: CompiledRule, text: string): boolean {
  let test = ruleQuickTests.get(rule);
  if (!test) ruleQuickTests.set(rule, (test = rule.regexes.length === 0 ? () => false : combinedQuickTest(rule.regexes)));
  return test(text);
}

/** Compiled party names per parties list and per kinds-and-endings combination, built on first use. */
const partyMatcherCache = new WeakMap<readonly Party[], Map<string, PartyMatchers>>();

/**
 * Returns every match of every rule, ordered by rule, then by the rule's field order,
 * then by position in the field. Text is compared in Unicode NFC, so a decomposed
 * "a" with a combining ring matches "å".
 */
export function findRuleHits(input: RuleInput, ruleSet: RuleSet, parties: readonly Party[]): RuleHit[] {
  const hits: RuleHit[] = [];
  const normalised = new Map<RuleField, string | null>();
  const valueOf = (field: RuleField) => {
    if (!normalised.has(field)) {
      const value = input[field];
      normalised.set(field, value === null || value.trim() === '' ? null : value.normalize('NFC'));
    }
    return normalised.get(field)!;
  };

  for (const rule of ruleSet.rules) {
    for (const field of rule.fields) {
      const value = valueOf(field);
      if (value !== null) {
        appendAll(hits, matchField(rule, field, value, parties));
      }
    }
  }

  return hits;
}

function matchField(rule: CompiledRule, field: RuleField, value: string, parties: readonly Party[]): RuleHit[] {
  const hits: RuleHit[] = [];

  if (ruleMayMatch(rule, value)) {
    for (const found of findMatches(value, rule.regexes, rule.excludes)) {
      hits.push({ rule, field, match: found.text, party: null });
    }
  }

  if (rule.parties === null) {
    return hits;
  }

  const { matchers, mayMatch } = partyMatchers(parties, rule.parties);
  if (!mayMatch(value)) {
    return hits;
  }

  for (const matcher of matchers) {
    for (const found of findMatches(value, matcher.regexes, rule.excludes)) {
      hits.push({ rule, field, match: found.text, party: { code: matcher.code, kind: matcher.kind } });
    }
  }

  return hits;
}

/** The matchers found for each rule's party options, so that a rule's key is built once, not once per field and row. */
const partyMatchersByRule = new WeakMap<readonly Party[], WeakMap<PartyMatch, PartyMatchers>>();

function partyMatchers(parties: readonly Party[], match: PartyMatch): PartyMatchers {
  let byRule = partyMatchersByRule.get(parties);
  if (byRule === undefined) {
    byRule = new WeakMap();
    partyMatchersByRule.set(parties, byRule);
  }
  let matchers = byRule.get(match);
  if (matchers === undefined) {
    matchers = partyMatchersForOptions(parties, match);
    byRule.set(match, matchers);
  }
  return matchers;
}

function partyMatchersForOptions(parties: readonly Party[], match: PartyMatch): PartyMatchers {
  let byOptions = partyMatcherCache.get(parties);
  if (byOptions === undefined) {
    byOptions = new Map();
    partyMatcherCache.set(parties, byOptions);
  }

  const key = `${[...match.kinds].sort().join(',')}|${match.endings.join(',')}|${match.names}`;
  let matchers = byOptions.get(key);
  if (matchers === undefined) {
    const list = parties
      .filter((party) => match.kinds.includes(party.kind))
      .map((party) => ({ code: party.code, kind: party.kind, regexes: compileNames(namesOfParty(party, match.names), match.endings) }));
    matchers = { matchers: list, mayMatch: combinedQuickTest(list.flatMap((matcher) => matcher.regexes)) };
    byOptions.set(key, matchers);
  }

  return matchers;
}
