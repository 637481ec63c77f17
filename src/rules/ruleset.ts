/**
 * The rule file: its schema, loading with validation, and compilation of its terms and
 * patterns into regular expressions. The file format is described in docs/rules.md.
 */

import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { ConfigFileError, describeIssues, formatPath, readJsonFile, type ConfigIssue } from './config-file.ts';
import { checkPattern, compilePattern, compileTerm } from './matchers.ts';
import type { Area, Evidence } from './model.ts';

/** rules/ownership.json, resolved from this module's location so that the working directory does not matter. */
export const DEFAULT_RULESET_PATH = fileURLToPath(new URL('../../rules/ownership.json', import.meta.url));

const LABEL = 'rule set';

export type RuleField = Evidence['field'];
export const RULE_FIELDS = ['areaHint', 'sheet', 'text', 'comment', 'requirementId'] as const satisfies readonly RuleField[];

const OWNER_AREAS = ['business-system', 'base-service', 'ssbtek'] as const satisfies readonly Exclude<Area, 'unassigned'>[];
const VOTE_PARTIES = ['supplier', 'operations', 'administration', 'mentioned-provider'] as const;

/** The area that each party of a vote belongs to. A vote for the administration may name any area. */
const AREA_OF_PARTY: Record<VoteParty, Exclude<Area, 'unassigned'> | null> = {
  supplier: 'business-system',
  'mentioned-provider': 'base-service',
  operations: 'ssbtek',
  administration: null,
};

const nonEmpty = z.string().trim().min(1);
const term = z.string().regex(/[\p{L}\p{N}]/u, 'a term must contain a letter or a digit');

const VoteSchema = z.strictObject({
  area: z.enum(OWNER_AREAS),
  party: z.enum(VOTE_PARTIES),
  weight: z.number().positive().finite(),
});

const PartyMatchSchema = z.strictObject({
  kinds: z.array(z.enum(['supplier', 'data-provider', 'operations', 'administration'])).min(1),
  endings: z.array(z.string().regex(/^\p{L}+$/u, 'an ending must be letters only')).default([]),
  names: z.enum(['all', 'party', 'base-services']).default('all'),
});

const MatchSchema = z.strictObject({
  terms: z.array(term).default([]),
  patterns: z.array(nonEmpty).default([]),
  parties: PartyMatchSchema.optional(),
  exclude: z.array(term).default([]),
});

const RuleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be kebab-case: lower-case letters and digits joined by single hyphens'),
    description: nonEmpty,
    fields: z.array(z.enum(RULE_FIELDS)).min(1),
    match: MatchSchema,
    vote: VoteSchema.optional(),
    flag: z.enum(['newRequirement']).optional(),
  })
  .superRefine(checkRule);

/** The rule file as written, before compilation. */
export const RuleFileSchema = z
  .strictObject({
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be three dot-separated numbers, such as 2026.12.1'),
    description: z.string().optional(),
    threshold: z.number().gt(0).max(1),
    conflictMargin: z.number().min(0).lt(1),
    fullStrength: z.number().positive().finite(),
    rules: z.array(RuleSchema).min(1),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();

    file.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) {
        context.addIssue({ code: 'custom', path: ['rules', index, 'id'], message: `duplicate rule id '${rule.id}'` });
      }
      seen.add(rule.id);
    });
  });

export type VoteParty = (typeof VOTE_PARTIES)[number];
export type Vote = z.infer<typeof VoteSchema>;
export type PartyMatch = z.infer<typeof PartyMatchSchema>;
export type RuleFile = z.infer<typeof RuleFileSchema>;
type RuleDefinition = z.infer<typeof RuleSchema>;

/** A rule with its terms, patterns and exclusions compiled. Exactly one of vote and flag is set. */
export interface CompiledRule {
  id: string;
  description: string;
  fields: readonly RuleField[];
  regexes: readonly RegExp[];
  excludes: readonly RegExp[];
  parties: PartyMatch | null;
  vote: Vote | null;
  flag: 'newRequirement' | null;
}

export interface RuleSet {
  version: string;
  /** Minimum confidence, 0 to 1, for a proposal to name an owner. */
  threshold: number;
  /** When the best two owners' scores differ by less than this share of the total, they conflict. */
  conflictMargin: number;
  /** The score at which the best owner's evidence counts as strong enough on its own. */
  fullStrength: number;
  rules: readonly CompiledRule[];
  /** The file the rule set was loaded from. */
  file: string;
}

/** Reads, validates and compiles a rule file. Raises ConfigFileError naming the file, each rule and field. */
export function loadRuleSet(file: string = DEFAULT_RULESET_PATH): RuleSet {
  return parseRuleSet(readJsonFile(file, LABEL), file);
}

/** Validates and compiles parsed rule file data. `file` names the source in error messages. */
export function parseRuleSet(data: unknown, file: string): RuleSet {
  const result = RuleFileSchema.safeParse(data);

  if (!result.success) {
    const issues = result.error.issues.map((issue) => toConfigIssue(issue.path, issue.message, data));
    throw new ConfigFileError(file, describeIssues(LABEL, file, issues), issues);
  }

  const { version, threshold, conflictMargin, fullStrength, rules } = result.data;

  return { version, threshold, conflictMargin, fullStrength, rules: rules.map(compileRule), file };
}

function compileRule(rule: RuleDefinition): CompiledRule {
  return {
    id: rule.id,
    description: rule.description,
    fields: [...new Set(rule.fields)],
    regexes: [...rule.match.terms.map(compileTerm), ...rule.match.patterns.map(compilePattern)],
    excludes: rule.match.exclude.map(compileTerm),
    parties: rule.match.parties ?? null,
    vote: rule.vote ?? null,
    flag: rule.flag ?? null,
  };
}

/** Checks what the field types cannot: a rule's effect, its matchers and its patterns. */
function checkRule(rule: RuleDefinition, context: z.RefinementCtx): void {
  const report = (path: PropertyKey[], message: string) => context.addIssue({ code: 'custom', path, message });

  if ((rule.vote === undefined) === (rule.flag === undefined)) {
    report(['vote'], 'a rule must have exactly one of vote and flag');
  }

  const { terms, patterns, parties } = rule.match;
  if (terms.length === 0 && patterns.length === 0 && parties === undefined) {
    report(['match'], 'must list at least one term or pattern, or parties');
  }

  patterns.forEach((pattern, index) => {
    const problem = checkPattern(pattern);
    if (problem !== null) {
      report(['match', 'patterns', index], `pattern '${pattern}' ${problem}`);
    }
  });

  const expectedArea = rule.vote === undefined ? null : AREA_OF_PARTY[rule.vote.party];
  if (rule.vote !== undefined && expectedArea !== null && rule.vote.area !== expectedArea) {
    report(['vote', 'area'], `a vote for party '${rule.vote.party}' must have area '${expectedArea}', not '${rule.vote.area}'`);
  }
}

/** Splits a zod path into the id of the rule it points into and the field within that rule. */
function toConfigIssue(path: readonly PropertyKey[], message: string, data: unknown): ConfigIssue {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') {
    return { ruleId: null, field: formatPath(path), message };
  }

  const rawRules = typeof data === 'object' && data !== null ? (data as { rules?: unknown }).rules : undefined;
  const rawRule = Array.isArray(rawRules) ? (rawRules[path[1]] as { id?: unknown } | null | undefined) : undefined;
  const rawId = rawRule?.id;
  const ruleId = typeof rawId === 'string' && rawId !== '' ? rawId : `rules[${path[1]}]`;

  return { ruleId, field: formatPath(path.slice(2)), message };
}
