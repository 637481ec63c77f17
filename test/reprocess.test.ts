// `avvik reprocess` with a changed rule set: proposals that nobody touched change with history
// events and versions, every decision a person made stays, a dry run writes nothing and a second
// run changes nothing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from 'commander';
import { readDeviation } from '../src/api/deviation-reads.ts';
import { openAppContext, type AppContext } from '../src/cli/context.ts';
import { ingestFiles } from '../src/cli/ingest-command.ts';
import { parseSince, selectorOf } from '../src/cli/reprocess-command.ts';
import { readConfig } from '../src/config.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { reprocessDeclarations, UnknownSelectionError, type ReprocessSelector, type ReprocessSummary } from '../src/reprocess/reprocess.ts';
import { DEFAULT_RULESET_PATH, loadRuleSet, type RuleSet } from '../src/rules/ruleset.ts';
import { todayInSweden } from '../src/workflow/dates.ts';
import { addAttachment, addComment, changeStatus, confirmOwner, type Actor } from '../src/workflow/index.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const NEXT_VERSION = '2026.12.99';

/** Writes a copy of the rule set in which the business-system area hint votes for the operations party. */
function writeChangedRules(folder: string): string {
  const rules = JSON.parse(fs.readFileSync(DEFAULT_RULESET_PATH, 'utf8'));
  rules.version = NEXT_VERSION;
  const rule = rules.rules.find((candidate: { id: string }) => candidate.id === 'area-hint-business-system');
  rule.vote = { area: 'ssbtek', party: 'operations', weight: rule.vote.weight };
  const file = path.join(folder, 'ownership-next.json');
  fs.writeFileSync(file, JSON.stringify(rules, null, 2));
  return file;
}

/** Row counts of every table and the latest change times, to show that nothing was written. */
async function tableState(prisma: PrismaClient) {
  const [declarations, rows, covers, deviations, occurrences, events, comments, attachments] = await Promise.all([
    prisma.declaration.count(),
    prisma.requirementRow.count(),
    prisma.coverFacts.count(),
    prisma.deviation.count(),
    prisma.deviationOccurrence.count(),
    prisma.deviationEvent.count(),
    prisma.deviationComment.count(),
    prisma.deviationAttachment.count(),
  ]);
  const changed = await prisma.deviation.aggregate({ _max: { updatedAt: true } });
  const processed = await prisma.declaration.aggregate({ _max: { processedAt: true } });
  const rowIds = (await prisma.requirementRow.findMany({ select: { id: true }, orderBy: { id: 'asc' } })).map((row) => row.id);
  return {
    counts: { declarations, rows, covers, deviations, occurrences, events, comments, attachments },
    deviationsUpdatedAt: changed._max.updatedAt,
    declarationsProcessedAt: processed._max.processedAt,
    rowIds,
  };
}

describe('reprocess', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-reprocess-'));
  let testDatabase: TestDatabase;
  let context: AppContext;
  let changedRules: RuleSet;
  let actor: Actor;
  let declarationId: string;
  const ids: Record<'confirmed' | 'decided' | 'discussed' | 'untouched', string> = { confirmed: '', decided: '', discussed: '', untouched: '' };

  const run = (dryRun: boolean, ruleSet = changedRules): Promise<ReprocessSummary> =>
    reprocessDeclarations(
      { ...context, ruleSet, prisma: context.database.prisma, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
      { all: true },
      { dryRun },
    );

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    changedRules = loadRuleSet(writeChangedRules(folder));

    // Twelve requirements, every third not met: K-3, K-6, K-9 and K-12 become deviations.
    const file = path.join(folder, 'deklaration.xlsx');
    fs.writeFileSync(file, await buildDeclarationWorkbook({ requirements: 12, notMetEvery: 3 }));
    const [result] = await ingestFiles(context, [file]);
    declarationId = result!.declarationId!;
    const byRequirement = new Map(result!.deviations.map((deviation) => [deviation.requirementId, deviation.id]));
    ids.confirmed = byRequirement.get('K-3')!;
    ids.decided = byRequirement.get('K-6')!;
    ids.discussed = byRequirement.get('K-9')!;
    ids.untouched = byRequirement.get('K-12')!;

    const prisma = context.database.prisma;
    const user = await prisma.user.create({ data: { name: 'Förvaltningen', role: 'administration', tokenHash: `test-${Date.now()}` } });
    actor = { userId: user.id, name: user.name, role: 'administration', party: null, businessSystem: null, municipality: null };
    await confirmOwner(prisma, actor, await prisma.deviation.findUniqueOrThrow({ where: { id: ids.confirmed } }), null);
    await changeStatus(prisma, actor, await prisma.deviation.findUniqueOrThrow({ where: { id: ids.decided } }), {
      status: 'in-dialogue',
      reason: 'Dialog med leverantören',
    });
    await addComment(prisma, actor, ids.discussed, 'Leverantören har svarat.');
    await addAttachment(prisma, actor, ids.discussed, { fileName: 'logg.txt', mediaType: 'text/plain', bytes: Buffer.from('fel 42\n') });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('changes nothing with the rule set it was ingested with', async () => {
    const before = await tableState(context.database.prisma);
    const summary = await run(false, context.ruleSet);
    expect(summary.total).toBe(1);
    expect(summary.unchanged).toBe(1);
    expect(await tableState(context.database.prisma)).toEqual(before);
  });

  it('writes nothing in a dry run', async () => {
    const prisma = context.database.prisma;
    const before = await tableState(prisma);
    const summary = await run(true);
    expect(await tableState(prisma)).toEqual(before);

    expect(summary.dryRun).toBe(true);
    expect(summary.changed).toBe(1);
    const result = summary.declarations[0]!;
    if (result.status === 'failed') throw new Error(result.error.message);
    const changedProposals = result.changes.changedProposals.map((change) => change.deviationId).sort();
    expect(changedProposals).toEqual([ids.decided, ids.discussed, ids.untouched].sort());
    expect(result.changes.keptProposals.map((kept) => kept.deviationId)).toEqual([ids.confirmed]);
    const untouchedChange = result.changes.changedProposals.find((change) => change.deviationId === ids.untouched)!;
    expect(untouchedChange.from).toMatchObject({ area: 'business-system', partyKind: 'supplier' });
    expect(untouchedChange.to).toMatchObject({ area: 'ssbtek', partyKind: 'operations' });
    expect(result.changes.newCandidates).toEqual([]);
    expect(result.changes.vanishedCandidates).toEqual([]);
  });

  it('updates untouched proposals and keeps human decisions', async () => {
    const prisma = context.database.prisma;
    const summary = await run(false);
    expect(summary.changed).toBe(1);
    expect(summary.failed).toBe(0);

    const load = (id: string) =>
      prisma.deviation.findUniqueOrThrow({ where: { id }, include: { events: { orderBy: { id: 'asc' } }, comments: true, attachments: true } });

    const untouched = await load(ids.untouched);
    expect(untouched.proposedArea).toBe('ssbtek');
    expect(untouched.proposedPartyKind).toBe('operations');
    expect(untouched.ruleSetVersion).toBe(NEXT_VERSION);
    const update = untouched.events.at(-1)!;
    expect(update.type).toBe('proposal-updated');
    expect(update.actor).toBe('system');
    expect(update.fromValue).toMatchObject({ area: 'business-system', partyKind: 'supplier', ruleSetVersion: context.ruleSet.version });
    expect(update.toValue).toMatchObject({ area: 'ssbtek', partyKind: 'operations', ruleSetVersion: NEXT_VERSION });
    const created = untouched.events[0]!;
    expect(created.type).toBe('created');
    expect(created.toValue).toMatchObject({ proposal: { area: 'business-system', partyKind: 'supplier' } });

    const confirmed = await load(ids.confirmed);
    expect(confirmed.ownerArea).toBe('business_system');
    expect(confirmed.ownerPartyCode).toBe('ORG-5560000001');
    expect(confirmed.ownerSetBy).toBe(actor.userId);
    expect(confirmed.proposedArea).toBe('business_system');
    expect(confirmed.ruleSetVersion).toBe(context.ruleSet.version);
    expect(confirmed.events.map((event) => event.type)).toEqual(['created', 'owner-confirmed']);
    expect(confirmed.fieldSources).toMatchObject({ owner: 'person' });

    const decided = await load(ids.decided);
    expect(decided.status).toBe('in_dialogue');
    expect(decided.fieldSources).toMatchObject({ status: 'person' });
    expect(decided.events.map((event) => event.type)).toEqual(['created', 'status-changed', 'proposal-updated']);

    const discussed = await load(ids.discussed);
    expect(discussed.comments.map((comment) => comment.body)).toEqual(['Leverantören har svarat.']);
    expect(discussed.attachments.map((attachment) => attachment.fileName)).toEqual(['logg.txt']);
    expect(discussed.events.map((event) => event.type)).toEqual(['created', 'comment-added', 'attachment-added', 'proposal-updated']);
    for (const deviation of [untouched, confirmed, decided, discussed]) expect(deviation.pendingSuggestion).toBeNull();
  });

  it('changes nothing on a second run', async () => {
    const prisma = context.database.prisma;
    const before = await tableState(prisma);
    const summary = await run(false);
    expect(summary.unchanged).toBe(1);
    expect(summary.changed).toBe(0);
    expect(await tableState(prisma)).toEqual(before);
  });

  it('keeps a vanished candidate and proposes it to the administration', async () => {
    const prisma = context.database.prisma;
    // The stored file now reads K-12 as met, as a changed parser could.
    const fixedFile = await buildDeclarationWorkbook({ requirements: 12, notMetEvery: 3 });
    const patched = await patchAnswer(fixedFile, 'K-12', 'Ja');
    await prisma.declarationFile.update({ where: { declarationId }, data: { content: Uint8Array.from(patched) } });

    const summary = await run(false);
    const result = summary.declarations[0]!;
    if (result.status === 'failed') throw new Error(result.error.message);
    expect(result.changes.vanishedCandidates.map((vanished) => vanished.deviationId)).toEqual([ids.untouched]);
    expect(result.changes.changedCandidates).toEqual([]);

    const vanished = await prisma.deviation.findUniqueOrThrow({ where: { id: ids.untouched }, include: { occurrences: true, events: { orderBy: { id: 'asc' } } } });
    expect(vanished.status).toBe('new');
    expect(vanished.pendingSuggestion).toMatchObject({ kind: 'vanished', declarationId });
    expect(vanished.occurrences).toHaveLength(1);
    expect(vanished.occurrences[0]!.withdrawnAt).not.toBeNull();
    expect(vanished.requirementRowId).not.toBeNull();
    expect(vanished.events.slice(-2).map((event) => event.type)).toEqual(['candidate-vanished', 'suggestion-made']);
    expect(vanished.events.at(-2)!.fromValue).toMatchObject({ answer: 'not-met' });
    expect(vanished.events.at(-2)!.toValue).toEqual({ answer: 'met' });
    expect(await prisma.requirementRow.count({ where: { declarationId, answer: 'met' } })).toBe(9);

    const again = await tableState(prisma);
    expect((await run(false)).unchanged).toBe(1);
    expect(await tableState(prisma)).toEqual(again);
  });

  it('records a changed answer in kebab case', async () => {
    const prisma = context.database.prisma;
    // K-12 stays met, as the previous test left it, and K-9 is now partly met.
    const workbook = await buildDeclarationWorkbook({ requirements: 12, notMetEvery: 3 });
    const patched = await patchAnswer(await patchAnswer(workbook, 'K-12', 'Ja'), 'K-9', 'Delvis');
    await prisma.declarationFile.update({ where: { declarationId }, data: { content: Uint8Array.from(patched) } });

    const summary = await run(false);
    expect(summary.changed).toBe(1);
    const discussed = await prisma.deviation.findUniqueOrThrow({ where: { id: ids.discussed }, include: { events: { orderBy: { id: 'asc' } } } });
    expect(discussed.answer).toBe('partially_met');
    const update = discussed.events.filter((event) => event.type === 'fields-updated').at(-1)!;
    expect(update.fromValue).toMatchObject({ answer: 'not-met' });
    expect(update.toValue).toMatchObject({ answer: 'partially-met' });
  });

  it('shows every history value in kebab case', async () => {
    const prisma = context.database.prisma;
    // An event stored before every writer used kebab case, as re-processing once wrote them.
    await prisma.deviationEvent.create({
      data: {
        deviationId: ids.decided,
        actor: 'system',
        type: 'proposal-updated',
        fromValue: { area: 'business_system', partyKind: 'data_provider', partyCode: 'FK', ruleIds: ['area_hint'] },
        toValue: { area: 'base_service', partyKind: 'data_provider', answer: 'not_met', status: 'in_dialogue' },
        reason: 'Nytt förslag när deklarationen lästes om',
      },
    });
    for (const id of Object.values(ids)) {
      const detail = await readDeviation(prisma, actor, id, todayInSweden());
      for (const event of detail.history) {
        const values = JSON.stringify([event.from, event.to]);
        expect(values, `${id} ${event.type}`).not.toMatch(/"(area|partyKind|answer|status)":"[a-z]+_/);
      }
    }
    const legacy = (await readDeviation(prisma, actor, ids.decided, todayInSweden())).history.at(-1)!;
    expect(legacy.from).toEqual({ area: 'business-system', partyKind: 'data-provider', partyCode: 'FK', ruleIds: ['area_hint'] });
    expect(legacy.to).toEqual({ area: 'base-service', partyKind: 'data-provider', answer: 'not-met', status: 'in-dialogue' });
  });

  it('accepts exactly one selector', () => {
    expect(selectorOf({ all: true })).toEqual({ all: true });
    expect(selectorOf({ supplier: 'ORG-5560000001' })).toEqual({ supplierCode: 'ORG-5560000001' });
    expect(() => selectorOf({})).toThrow(InvalidArgumentError);
    expect(() => selectorOf({ all: true, supplier: 'ORG-5560000001' })).toThrow(InvalidArgumentError);
    expect(parseSince('2026-01-15').toISOString()).toBe('2026-01-14T23:00:00.000Z');
    expect(parseSince('2026-07-15').toISOString()).toBe('2026-07-14T22:00:00.000Z');
    expect(() => parseSince('15/1/2026')).toThrow(InvalidArgumentError);
    expect(() => parseSince('2026-02-30')).toThrow('It must be a date that exists, and 2026-02-30 does not, because February 2026 has 28 days.');
  });
});

describe('reprocess failures and selections', () => {
  const ROOT = path.resolve(import.meta.dirname, '..');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-reprocess-failures-'));
  let testDatabase: TestDatabase;
  let context: AppContext;
  let parsedId: string;
  let failedId: string;

  const run = (maxBytes: number) =>
    reprocessDeclarations({ ...context, prisma: context.database.prisma, maxBytes }, { all: true }, { dryRun: false });

  const avvik = (args: string[], extraEnvironment: Record<string, string> = {}) => {
    const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'warn', ...extraEnvironment };
    delete environment.REDIS_URL;
    return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), ...args], { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
  };

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    const file = path.join(folder, 'hel.xlsx');
    fs.writeFileSync(file, await buildDeclarationWorkbook({ requirements: 6, notMetEvery: 3 }));
    const fixtures = path.resolve(import.meta.dirname, '..', 'fixtures');
    const [parsed, failed] = await ingestFiles(context, [file, path.join(fixtures, 'truncated.xlsx')]);
    expect(parsed!.status).toBe('parsed');
    expect(failed!.status).toBe('failed');
    parsedId = parsed!.declarationId!;
    failedId = failed!.declarationId!;
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('tells a stored failure from a new one', async () => {
    const stored = await run(context.config.AVVIK_MAX_FILE_BYTES);
    expect(stored.failed).toBe(1);
    expect(stored.failedBefore).toBe(1);
    expect(stored.newlyFailed).toBe(0);
    expect(stored.declarations.find((result) => result.declarationId === failedId)).toMatchObject({ status: 'failed', failedBefore: true });

    // A limit below the parsed file's size makes it fail now, although it was stored as parsed.
    const both = await run(1_000);
    expect(both.failed).toBe(2);
    expect(both.failedBefore).toBe(1);
    expect(both.newlyFailed).toBe(1);
    const newly = both.declarations.find((result) => result.declarationId === parsedId);
    expect(newly).toMatchObject({ status: 'failed', failedBefore: false, error: { code: 'file-too-large' } });
    expect((await context.database.prisma.declaration.findUniqueOrThrow({ where: { id: parsedId } })).status).toBe('parsed');
  });

  it('exits 0 when only stored failures fail again', () => {
    const result = avvik(['reprocess', '--all']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 failed (0 newly, 1 stored as failed before).');
    expect(result.stdout).toContain('failed again, as stored: truncated-file:');
  });

  it('exits 1 when a declaration newly fails', () => {
    const result = avvik(['reprocess', '--all'], { AVVIK_MAX_FILE_BYTES: '1000' });
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('2 failed (1 newly, 1 stored as failed before).');
    expect(result.stdout).toContain('newly failed: file-too-large:');
  });

  it.each<[string, ReprocessSelector, string]>([
    ['an unknown supplier', { supplierCode: 'ORG-0000' }, 'No supplier has the code ORG-0000. List the suppliers and their codes with `avvik suppliers list`.'],
    ['a data provider', { supplierCode: 'FK' }, 'Party FK is a data provider, not a supplier.'],
    ['the operations party', { supplierCode: 'DRIFT' }, 'Party DRIFT is an operations party, not a supplier.'],
    ['an unknown system', { businessSystemId: '00000000-0000-4000-8000-000000000001' }, 'No business system has the id 00000000-0000-4000-8000-000000000001.'],
    ['an unknown declaration', { declarationId: '00000000-0000-4000-8000-000000000002' }, 'No declaration has the id 00000000-0000-4000-8000-000000000002.'],
  ])('rejects %s', async (_case, selector, message) => {
    const select = () => reprocessDeclarations({ ...context, prisma: context.database.prisma, maxBytes: 1_000_000 }, selector, { dryRun: true });
    await expect(select()).rejects.toThrow(UnknownSelectionError);
    await expect(select()).rejects.toThrow(message);
  });

  it('names an unknown supplier on the command line', () => {
    const result = avvik(['reprocess', '--supplier', 'ORG-0000']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('avvik: No supplier has the code ORG-0000. List the suppliers and their codes with `avvik suppliers list`.');
    expect(result.stdout).toBe('');
  });

  it('names the stored spelling of a supplier code', () => {
    const result = avvik(['reprocess', '--supplier', 'org-5560000001']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('avvik: No supplier has the code org-5560000001. Party codes are case-sensitive, so give ORG-5560000001 instead.');
    expect(result.stdout).toBe('');
  });

  it('suggests no other party for a supplier code', () => {
    const result = avvik(['reprocess', '--supplier', 'fk']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('avvik: No supplier has the code fk. List the suppliers and their codes with `avvik suppliers list`.');
    expect(result.stderr).not.toContain('give FK');
  });

  it('says where declaration ids are printed', () => {
    const result = avvik(['reprocess', '--declaration', '123']);
    expect(result.status).toBe(1);
    const [error, pointer, ...rest] = result.stderr.split('\n');
    expect(error).toContain("option '--declaration <id>' argument '123' is invalid. It must be a UUID");
    expect(error).toContain('as `avvik ingest FILE` prints it for a stored file');
    expect(error).not.toContain('suppliers list');
    expect(pointer).toBe('Run `avvik reprocess --help` to list its options.');
    expect(rest).toEqual(['']);
  });

  it('lists the suppliers and their systems', () => {
    const result = avvik(['suppliers', 'list', '--json']);
    expect(result.status, result.stderr).toBe(0);
    const suppliers = JSON.parse(result.stdout) as { code: string; declarations: number; systems: { id: string; name: string }[] }[];
    expect(suppliers).toHaveLength(1);
    expect(suppliers[0]!.declarations).toBe(1);
    expect(suppliers[0]!.systems).toHaveLength(1);
    expect(avvik(['reprocess', '--system', suppliers[0]!.systems[0]!.id]).status).toBe(0);
    expect(avvik(['suppliers', 'list']).stdout).toContain(`${suppliers[0]!.code}  `);
  });
});

/** Rewrites the answer of one requirement in a workbook built by buildDeclarationWorkbook. */
async function patchAnswer(bytes: Buffer, requirementId: string, answer: string): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.getWorksheet('Krav')!;
  sheet.eachRow((row) => {
    if (row.getCell(1).value === requirementId) {
      row.getCell(4).value = answer;
      row.getCell(5).value = '';
    }
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
