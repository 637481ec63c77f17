// The rule-quality report on deviations whose owners were confirmed, reassigned or not yet set,
// from two rule-set versions. The expected counts are worked out by hand from the seeds below.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../src/generated/prisma/client.ts';
import { buildRulesReport, UnknownRuleSetVersionError } from '../src/rules/report.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SUPPLIER = 'ORG-5560000201';
let testDatabase: TestDatabase;
const temporaryFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-rules-report-'));

type Area = 'business_system' | 'base_service' | 'ssbtek' | 'unassigned';
interface Seed {
  version: string;
  proposal: { area: Area; kind: 'supplier' | 'data_provider' | 'operations' | 'administration'; code: string | null };
  ruleIds: string[];
  owner: { area: Area; code: string } | null;
}

const SEEDS: Seed[] = [
  // 1: confirmed.
  { version: '2026.12.2', proposal: { area: 'business_system', kind: 'supplier', code: SUPPLIER }, ruleIds: ['r-supplier', 'r-section'], owner: { area: 'business_system', code: SUPPLIER } },
  // 2: FK proposed, CSN chosen.
  { version: '2026.12.2', proposal: { area: 'base_service', kind: 'data_provider', code: 'FK' }, ruleIds: ['r-provider'], owner: { area: 'base_service', code: 'CSN' } },
  // 3: confirmed.
  { version: '2026.12.2', proposal: { area: 'base_service', kind: 'data_provider', code: 'FK' }, ruleIds: ['r-provider', 'r-section'], owner: { area: 'base_service', code: 'FK' } },
  // 4: no owner yet.
  { version: '2026.12.2', proposal: { area: 'ssbtek', kind: 'operations', code: 'DRIFT' }, ruleIds: ['r-operations'], owner: null },
  // 5: a conflict left to the administration, which chose the operations party.
  { version: '2026.11.1', proposal: { area: 'unassigned', kind: 'administration', code: null }, ruleIds: ['r-provider', 'r-operations'], owner: { area: 'ssbtek', code: 'DRIFT' } },
  // 6: CSN proposed, the supplier chosen.
  { version: '2026.11.1', proposal: { area: 'base_service', kind: 'data_provider', code: 'CSN' }, ruleIds: ['r-provider'], owner: { area: 'business_system', code: SUPPLIER } },
  // 7: no evidence and no owner.
  { version: '2026.11.1', proposal: { area: 'unassigned', kind: 'administration', code: null }, ruleIds: [], owner: null },
  // 8: the only proposal of its rule set, with no owner yet.
  { version: '2026.10.1', proposal: { area: 'ssbtek', kind: 'operations', code: 'DRIFT' }, ruleIds: ['r-operations'], owner: null },
];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  const prisma = testDatabase.database.prisma;
  const data: Prisma.DeviationCreateManyInput[] = SEEDS.map((seed, index) => ({
    title: `Avvikelse ${index + 1}`,
    proposedArea: seed.proposal.area,
    proposedPartyKind: seed.proposal.kind,
    proposedPartyCode: seed.proposal.code,
    proposalRuleIds: seed.ruleIds,
    proposalEvidence: [],
    proposalCandidates: [],
    proposalConfidence: 0.8,
    ruleSetVersion: seed.version,
    ownerArea: seed.owner?.area ?? null,
    ownerPartyCode: seed.owner?.code ?? null,
  }));
  await prisma.deviation.createMany({ data });
}, 120_000);

afterAll(async () => {
  fs.rmSync(temporaryFolder, { recursive: true, force: true });
  await testDatabase?.drop();
});

function avvik(args: string[], extraEnvironment: Record<string, string> = {}) {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'warn', ...extraEnvironment };
  delete environment.REDIS_URL;
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), ...args], { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const none = { overruledTo: [], decidedTo: [] };

describe('rules report', () => {
  it('counts per rule', async () => {
    const report = await buildRulesReport(testDatabase.database.prisma, { pageSize: 2 });
    expect(report.rules).toEqual([
      {
        ruleId: 'r-provider',
        fired: 4,
        confirmed: 1,
        overruled: 2,
        decidedWithoutProposal: 1,
        open: 0,
        overruledTo: [
          { area: 'base-service', partyCode: 'CSN', count: 1 },
          { area: 'business-system', partyCode: SUPPLIER, count: 1 },
        ],
        decidedTo: [{ area: 'ssbtek', partyCode: 'DRIFT', count: 1 }],
      },
      { ruleId: 'r-operations', fired: 3, confirmed: 0, overruled: 0, decidedWithoutProposal: 1, open: 2, overruledTo: [], decidedTo: [{ area: 'ssbtek', partyCode: 'DRIFT', count: 1 }] },
      { ruleId: 'r-section', fired: 2, confirmed: 2, overruled: 0, decidedWithoutProposal: 0, open: 0, ...none },
      { ruleId: 'r-supplier', fired: 1, confirmed: 1, overruled: 0, decidedWithoutProposal: 0, open: 0, ...none },
    ]);
  });

  it('counts the totals and versions', async () => {
    const report = await buildRulesReport(testDatabase.database.prisma);
    expect(report.totals).toMatchObject({ fired: 8, confirmed: 2, overruled: 2, decidedWithoutProposal: 1, open: 3 });
    expect(report.totals.overruledTo).toHaveLength(2);
    expect(report.ruleSetVersions).toEqual([
      { version: '2026.10.1', deviations: 1 },
      { version: '2026.11.1', deviations: 3 },
      { version: '2026.12.2', deviations: 4 },
    ]);
  });

  it('prints JSON from the command line', () => {
    const result = avvik(['rules', 'report', '--json', '--rule-set', '2026.12.2']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ruleSetVersions).toEqual([{ version: '2026.12.2', deviations: 4 }]);
    expect(report.totals).toMatchObject({ fired: 4, confirmed: 2, overruled: 1, decidedWithoutProposal: 0, open: 1 });
    expect(report.rules.find((rule: { ruleId: string }) => rule.ruleId === 'r-provider')).toMatchObject({ fired: 2, confirmed: 1, overruled: 1 });
  });

  it('prints a table from the command line', () => {
    const result = avvik(['rules', 'report']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Proposals of 8 deviations, rule sets 2026.10.1 (1), 2026.11.1 (3), 2026.12.2 (4).');
    expect(result.stdout).toContain('Owners set for 5: 2 confirmed, 2 overruled, 1 set where the rules proposed none. 3 have no owner yet.');
    expect(result.stdout).toMatch(/^r-provider\s+4\s+1\s+2\s+1\s+0\s+base-service\/CSN 1, business-system\/ORG-5560000201 1$/m);
  });

  it('rejects a rule set without proposals', () => {
    const result = avvik(['rules', 'report', '--rule-set', '9.9.9']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No stored proposal was made by rule set 9.9.9.');
    expect(result.stderr).toContain('Known rule sets: 2026.10.1 (1 deviation), 2026.11.1 (3 deviations), 2026.12.2 (4 deviations, the current rule set).');
    expect(result.stderr).toContain('leave out --rule-set');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects an unknown one with --json', () => {
    const result = avvik(['rules', 'report', '--json', '--rule-set', '9.9.9']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No stored proposal was made by rule set 9.9.9.');
  });

  it('names the unknown ones of several rule sets', () => {
    const result = avvik(['rules', 'report', '--rule-set', '2026.11.1', '9.9.9', '2026.12.2', '2026.1.1']);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('No stored proposal was made by rule sets 9.9.9 and 2026.1.1.');
  });

  it.each(['', '  '])('rejects the empty version %j', (version) => {
    const result = avvik(['rules', 'report', '--rule-set', '2026.12.2', version]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`option '--rule-set <version...>' argument '${version}' is invalid. It must not be empty`);
    expect(result.stderr).not.toContain('No stored proposal');
  });

  it('reports a rule set whose deviations have no owner', () => {
    const result = avvik(['rules', 'report', '--json', '--rule-set', '2026.10.1']);
    expect(result.status, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.ruleSetVersions).toEqual([{ version: '2026.10.1', deviations: 1 }]);
    expect(report.totals).toMatchObject({ fired: 1, confirmed: 0, overruled: 0, decidedWithoutProposal: 0, open: 1 });
  });

  it('accepts the current rule set before its first proposal', () => {
    const rulesFile = path.join(temporaryFolder, 'ownership.json');
    const ruleSet = JSON.parse(fs.readFileSync(path.join(ROOT, 'rules', 'ownership.json'), 'utf8'));
    fs.writeFileSync(rulesFile, JSON.stringify({ ...ruleSet, version: '2027.1.1' }));

    const text = avvik(['rules', 'report', '--rule-set', '2027.1.1'], { AVVIK_RULES_FILE: rulesFile });
    expect(text.status, text.stderr).toBe(0);
    expect(text.stdout.trim()).toBe(
      'No deviation has a proposal from rule set 2027.1.1 yet. Rule sets with proposals: 2026.10.1 (1), 2026.11.1 (3), 2026.12.2 (4).',
    );

    const json = avvik(['rules', 'report', '--json', '--rule-set', '2027.1.1'], { AVVIK_RULES_FILE: rulesFile });
    expect(json.status, json.stderr).toBe(0);
    expect(JSON.parse(json.stdout).totals.fired).toBe(0);

    const stored = avvik(['rules', 'report', '--rule-set', '2026.12.2'], { AVVIK_RULES_FILE: rulesFile });
    expect(stored.status, stored.stderr).toBe(0);
  });

  it('lists the stored rule sets in JSON', async () => {
    const report = await buildRulesReport(testDatabase.database.prisma, { ruleSetVersions: ['2027.1.1'], currentRuleSetVersion: '2027.1.1' });
    expect(report.totals.fired).toBe(0);
    expect(report.requestedRuleSetVersions).toEqual(['2027.1.1']);
    expect(report.storedRuleSetVersions).toEqual([
      { version: '2026.10.1', deviations: 1 },
      { version: '2026.11.1', deviations: 3 },
      { version: '2026.12.2', deviations: 4 },
    ]);
  });

  it('raises UnknownRuleSetVersionError', async () => {
    const request = buildRulesReport(testDatabase.database.prisma, { ruleSetVersions: ['2026.11.1', '9.9.9'], currentRuleSetVersion: '2026.12.2' });
    await expect(request).rejects.toBeInstanceOf(UnknownRuleSetVersionError);
    await expect(request).rejects.toMatchObject({ unknownVersions: ['9.9.9'] });
  });

  it('shows help with an example', () => {
    const result = avvik(['rules', 'report', '--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples?:/);
  });
});
