import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from './config-file.ts';
import { DEFAULT_RULESET_PATH, loadRuleSet } from './ruleset.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'avvik-rules-'));

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

const validRule = {
  id: 'operations-terms',
  description: 'Response times belong to the operations party.',
  fields: ['text', 'comment'],
  match: { terms: ['svarstid*'] },
  vote: { area: 'ssbtek', party: 'operations', weight: 3 },
};

function ruleFile(rules: unknown[], overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { version: '2026.12.1', threshold: 0.6, conflictMargin: 0.2, fullStrength: 4, rules, ...overrides };
}

let fileCount = 0;

function writeRuleFile(content: unknown): string {
  fileCount += 1;
  const file = join(directory, `ownership-${fileCount}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** Loads the file and returns the ConfigFileError it raises. */
function loadError(content: unknown): { file: string; error: ConfigFileError } {
  const file = writeRuleFile(content);

  try {
    loadRuleSet(file);
  } catch (error) {
    if (error instanceof ConfigFileError) {
      return { file, error };
    }
    throw error;
  }

  throw new Error(`Expected ${file} to be rejected, but it loaded.`);
}

describe('loadRuleSet default file', () => {
  const ruleSet = loadRuleSet();

  it('resolves from the repository root', () => {
    expect(DEFAULT_RULESET_PATH).toBe(join(REPOSITORY_ROOT, 'rules', 'ownership.json'));
    expect(existsSync(DEFAULT_RULESET_PATH)).toBe(true);
  });

  it('has a version and settings', () => {
    expect(ruleSet.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(ruleSet.threshold).toBeGreaterThan(0);
    expect(ruleSet.conflictMargin).toBeGreaterThan(0);
    expect(ruleSet.file).toBe(DEFAULT_RULESET_PATH);
  });

  it('contains the expected rules', () => {
    const ids = ruleSet.rules.map((rule) => rule.id);

    expect(ids).toEqual([
      'area-hint-business-system',
      'area-hint-base-service',
      'area-hint-ssbtek',
      'provider-mentioned-in-text',
      'provider-service-named-in-text',
      'base-service-named-in-text',
      'operations-terms',
      'supplier-own-system',
      'supplier-own-gap',
      'wish-wording',
    ]);
  });

  it('compiles each rule once', () => {
    const again = loadRuleSet();

    for (const rule of ruleSet.rules) {
      expect(rule.regexes.length > 0 || rule.parties !== null).toBe(true);
      expect(rule.regexes.every((regex) => regex.flags.includes('g') && regex.flags.includes('u'))).toBe(true);
    }
    expect(again.rules[0]?.regexes[0]).not.toBe(ruleSet.rules[0]?.regexes[0]);
  });

  it('weights supplier gap above section', () => {
    const weight = (id: string) => ruleSet.rules.find((rule) => rule.id === id)?.vote?.weight ?? 0;

    expect(weight('supplier-own-gap')).toBeGreaterThan(weight('area-hint-base-service') + weight('provider-mentioned-in-text'));
  });
});

describe('loadRuleSet invalid files', () => {
  it('names file, rule and field', () => {
    const { file, error } = loadError(ruleFile([{ ...validRule, vote: { ...validRule.vote, weight: -1 } }]));

    expect(error.file).toBe(file);
    expect(error.message).toContain(`Rule set ${file} is invalid:`);
    expect(error.message).toContain("rule 'operations-terms', field 'vote.weight'");
    expect(error.issues).toEqual([{ ruleId: 'operations-terms', field: 'vote.weight', message: expect.stringMatching(/>0/) }]);
  });

  it('rejects an invalid regular expression', () => {
    const rule = { ...validRule, match: { patterns: ['svarstid(er'] } };
    const { error } = loadError(ruleFile([rule]));

    expect(error.message).toContain("rule 'operations-terms', field 'match.patterns[0]'");
    expect(error.message).toContain('is not a valid regular expression');
  });

  it('rejects an ASCII word boundary', () => {
    const { error } = loadError(ruleFile([{ ...validRule, match: { patterns: ['\\bsvarstid\\b'] } }]));

    expect(error.issues[0]?.field).toBe('match.patterns[0]');
    expect(error.issues[0]?.message).toContain('must not use \\b');
  });

  it('rejects an unknown field name', () => {
    const { error } = loadError(ruleFile([{ ...validRule, fields: ['body'] }]));

    expect(error.issues[0]).toMatchObject({ ruleId: 'operations-terms', field: 'fields[0]' });
  });

  it('rejects a misspelt key', () => {
    const { error } = loadError(ruleFile([{ ...validRule, vote: { area: 'ssbtek', party: 'operations', wieght: 3 } }]));
    const fields = error.issues.map((issue) => issue.field);

    expect(fields).toContain('vote');
    expect(fields).toContain('vote.weight');
  });

  it('rejects a rule with both vote and flag', () => {
    const { error } = loadError(ruleFile([{ ...validRule, flag: 'newRequirement' }]));

    expect(error.issues).toEqual([{ ruleId: 'operations-terms', field: 'vote', message: 'a rule must have exactly one of vote and flag' }]);
  });

  it('rejects a rule without matchers', () => {
    const { error } = loadError(ruleFile([{ ...validRule, match: {} }]));

    expect(error.issues[0]).toMatchObject({ ruleId: 'operations-terms', field: 'match' });
  });

  it('rejects a party in the wrong area', () => {
    const { error } = loadError(ruleFile([{ ...validRule, vote: { area: 'base-service', party: 'operations', weight: 3 } }]));

    expect(error.issues[0]?.field).toBe('vote.area');
    expect(error.issues[0]?.message).toContain("must have area 'ssbtek'");
  });

  it('rejects duplicate rule ids', () => {
    const { error } = loadError(ruleFile([validRule, validRule]));

    expect(error.issues).toEqual([{ ruleId: 'operations-terms', field: 'id', message: "duplicate rule id 'operations-terms'" }]);
  });

  it('rejects an id that is not kebab-case', () => {
    const { error } = loadError(ruleFile([{ ...validRule, id: 'Operations_Terms' }]));

    expect(error.message).toContain("rule 'Operations_Terms', field 'id': must be kebab-case");
  });

  it('names a rule without id by index', () => {
    const { id: _id, ...withoutId } = validRule;
    const { error } = loadError(ruleFile([validRule, withoutId]));

    expect(error.issues[0]).toMatchObject({ ruleId: 'rules[1]', field: 'id' });
  });

  it('rejects a term of stars only', () => {
    const { error } = loadError(ruleFile([{ ...validRule, match: { terms: ['*'] } }]));

    expect(error.issues[0]).toMatchObject({ field: 'match.terms[0]' });
  });

  it('rejects settings out of range', () => {
    const { error } = loadError(ruleFile([validRule], { threshold: 1.5, version: 'v1' }));
    const fields = error.issues.map((issue) => issue.field).sort();

    expect(fields).toEqual(['threshold', 'version']);
    expect(error.issues.every((issue) => issue.ruleId === null)).toBe(true);
  });

  it('reports a missing file', () => {
    const file = join(directory, 'missing.json');

    expect(() => loadRuleSet(file)).toThrow(`Cannot read rule set ${file}: ENOENT.`);
  });

  it('reports invalid JSON', () => {
    const { file, error } = loadError('{ "version": ');

    expect(error.message).toContain(`Rule set ${file} is not valid JSON`);
  });

  it('reports a file that is not an object', () => {
    const { error } = loadError('[]');

    expect(error.issues[0]).toMatchObject({ ruleId: null, field: '(top level)' });
  });
});
