// Deduplication across declarations: the natural key, occurrences, suggestions to the
// administration and what GET /api/deviations/{id} shows of them.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFolder } from '../src/cli/import-command.ts';
import { ingestFiles } from '../src/cli/ingest-command.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { reprocessDeclarations } from '../src/reprocess/reprocess.ts';
import { assignOwner, changeStatus, type Actor } from '../src/workflow/index.ts';
import { createUser, request, useTestApi, type TestUser } from './support/api.ts';

const SUPPLIER = 'ORG-5560000077';

interface VersionOptions {
  system: string;
  date: string;
  municipality?: string | null;
  /** Requirement id (or null) and answer, in row order. */
  rows: [string | null, 'Ja' | 'Nej' | 'Delvis'][];
}

/** Builds one version of a supplier's declaration: a cover block with a date above one requirement table. */
async function buildVersion(options: VersionOptions): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Självdeklaration SSBTEK']);
  sheet.addRow(['Leverantör', 'Dubblett AB']);
  sheet.addRow(['Organisationsnummer', '556000-0077']);
  sheet.addRow(['Verksamhetssystem', options.system]);
  sheet.addRow(['Version', options.date.slice(0, 4)]);
  if (options.municipality !== null) sheet.addRow(['Kommun', options.municipality ?? 'Provstad kommun']);
  sheet.addRow(['Datum', options.date]);
  sheet.addRow(['Kontaktperson', 'Kim Testare']);
  sheet.addRow(['Telefon', '070-000 00 00']);
  sheet.addRow(['E-post', 'kim.testare@example.se']);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  for (const [id, answer] of options.rows) {
    const topic = id ?? 'utan id';
    sheet.addRow([
      id ?? '',
      'Verksamhetssystem',
      `Systemet ska visa uppgiften ${topic} från SSBTEK i handläggarens vy.`,
      answer,
      answer === 'Ja' ? '' : `Stöd för ${topic} saknas i nuvarande version.`,
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-dedup-'));
afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

async function writeVersion(name: string, options: VersionOptions): Promise<string> {
  const file = path.join(folder, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await buildVersion(options));
  return file;
}

interface YearlyVersions {
  system: string;
  /** Month and day of every version's cover date, as MM-DD. */
  date: string;
  requirementId: string;
  /** The one requirement's answer in each year's version. */
  answers: Record<string, 'Ja' | 'Nej' | 'Delvis'>;
}

/** Writes one version of a declaration per year under `folder` and ingests them in `order`, one at a time. */
async function ingestYears(context: Parameters<typeof ingestFiles>[0], folder: string, versions: YearlyVersions, order: readonly string[]) {
  for (const year of order) {
    const file = await writeVersion(`${folder}/${year}.xlsx`, {
      system: versions.system,
      date: `${year}-${versions.date}`,
      rows: [[versions.requirementId, versions.answers[year]!]],
    });
    await ingestFiles(context, [file]);
  }
}

async function deviationsOfSystem(prisma: PrismaClient, system: string) {
  return prisma.deviation.findMany({
    where: { businessSystem: { is: { name: system } } },
    include: { occurrences: { orderBy: { seenAt: 'asc' } }, events: { orderBy: { id: 'asc' } } },
    orderBy: { requirementId: 'asc' },
  });
}

/** Everything deduplication decides, in a stable order, for comparing two runs. */
async function snapshot(prisma: PrismaClient) {
  const deviations = await prisma.deviation.findMany({
    select: {
      id: true,
      naturalKey: true,
      status: true,
      declarationId: true,
      requirementRowId: true,
      proposedArea: true,
      proposedPartyCode: true,
      proposalRuleIds: true,
      proposalConfidence: true,
      ruleSetVersion: true,
      pendingSuggestion: true,
      fieldSources: true,
      updatedAt: true,
    },
    orderBy: { id: 'asc' },
  });
  const occurrences = await prisma.deviationOccurrence.findMany({ orderBy: { id: 'asc' } });
  const events = await prisma.deviationEvent.count();
  return { deviations, occurrences, events };
}

describe('deduplication', () => {
  const api = useTestApi({ queue: false });
  let admin: TestUser;
  let supplier: TestUser;

  beforeAll(async () => {
    admin = await createUser(api().prisma, { name: 'Förvaltningen', role: 'administration' });
  });

  const adminActor = (): Actor => ({ userId: admin.id, name: admin.name, role: 'administration', party: null, businessSystem: null, municipality: null });

  it('imports the same folder twice with the same result', async () => {
    const { context, prisma } = api();
    const archive = path.join(folder, 'arkiv');
    await writeVersion('arkiv/2025/arkiv.xlsx', { system: 'Arkivsystemet', date: '2025-03-01', rows: [['A-1', 'Nej'], ['A-2', 'Nej'], ['A-3', 'Ja']] });
    await writeVersion('arkiv/2026/arkiv.xlsx', { system: 'Arkivsystemet', date: '2026-03-01', rows: [['A-1', 'Delvis'], ['A-2', 'Ja'], ['A-4', 'Nej']] });

    const first = await importFolder(context, archive);
    expect(first.parsed).toBe(2);
    const before = await snapshot(prisma);
    const second = await importFolder(context, archive);
    expect(second.duplicate).toBe(2);
    const after = await snapshot(prisma);

    expect(after).toEqual(before);
    expect(before.deviations.map((deviation) => deviation.naturalKey)).toHaveLength(3);
    expect(before.occurrences).toHaveLength(4);
    expect(before.deviations.filter((deviation) => deviation.pendingSuggestion !== null)).toHaveLength(1);
  });

  it('adds occurrences, suggests fixed and creates new deviations', async () => {
    const { context, prisma, app } = api();
    const older = await writeVersion('prov/v1.xlsx', { system: 'Provsystemet', date: '2025-05-01', rows: [['K-1', 'Nej'], ['K-2', 'Nej'], ['K-3', 'Ja']] });
    const newer = await writeVersion('prov/v2.xlsx', { system: 'Provsystemet', date: '2026-05-01', rows: [['K-3', 'Nej'], ['K-1', 'Nej'], ['K-2', 'Ja']] });

    const [firstResult] = await ingestFiles(context, [older]);
    expect(firstResult!.deviations.map((deviation) => deviation.requirementId)).toEqual(['K-1', 'K-2']);
    const [secondResult] = await ingestFiles(context, [newer]);
    expect(secondResult!.deviations.map((deviation) => deviation.requirementId)).toEqual(['K-3', 'K-1']);

    const deviations = await deviationsOfSystem(prisma, 'Provsystemet');
    expect(deviations.map((deviation) => deviation.requirementId)).toEqual(['K-1', 'K-2', 'K-3']);
    const [stillUnmet, nowMet, newUnmet] = deviations;

    expect(stillUnmet!.occurrences.map((occurrence) => occurrence.declarationId)).toEqual([firstResult!.declarationId, secondResult!.declarationId]);
    expect(stillUnmet!.declarationId).toBe(firstResult!.declarationId);
    expect(stillUnmet!.pendingSuggestion).toBeNull();
    expect(stillUnmet!.events.map((event) => event.type)).toEqual(['created', 'occurrence-added']);

    expect(nowMet!.status).toBe('new');
    expect(nowMet!.occurrences).toHaveLength(1);
    expect(nowMet!.pendingSuggestion).toMatchObject({ kind: 'fixed', declarationId: secondResult!.declarationId, declaredAt: '2026-05-01T00:00:00.000Z' });
    expect(nowMet!.events.map((event) => event.type)).toEqual(['created', 'suggestion-made']);

    expect(newUnmet!.declarationId).toBe(secondResult!.declarationId);
    expect(newUnmet!.occurrences).toHaveLength(1);

    // The API shows both declarations, the original source and the latest one.
    const detail = await request(app, admin, 'GET', `/api/deviations/${stillUnmet!.id}`);
    expect(detail.statusCode, JSON.stringify(detail.body)).toBe(200);
    expect(detail.body.occurrences).toHaveLength(2);
    expect(detail.body.occurrences.map((occurrence: { original: boolean }) => occurrence.original)).toEqual([true, false]);
    expect(detail.body.occurrences[1].declaredAt).toBe('2026-05-01T00:00:00.000Z');
    expect(detail.body.source).toEqual(detail.body.occurrences[0].source);
    expect(detail.body.latestSource).toEqual(detail.body.occurrences[1].source);
    expect(detail.body.latestSource).not.toEqual(detail.body.source);
    expect(detail.body.fieldSources.title).toBe('system');
    const suggested = await request(app, admin, 'GET', `/api/deviations/${nowMet!.id}`);
    expect(suggested.body.suggestion.kind).toBe('fixed');
    expect(suggested.body.status).toBe('new');

    // The supplier sees the deduplicated deviation, and the list by declaration finds it through the later declaration.
    supplier = await createUser(prisma, { name: 'Dubblett AB', role: 'supplier', party: SUPPLIER });
    const seenBySupplier = await request(app, supplier, 'GET', `/api/deviations/${stillUnmet!.id}`);
    expect(seenBySupplier.statusCode).toBe(200);
    expect(seenBySupplier.body.occurrences).toHaveLength(2);
    const listed = await request(app, supplier, 'GET', `/api/deviations?declaration=${secondResult!.declarationId}`);
    expect(listed.body.items.map((item: { requirementId: string }) => item.requirementId).sort()).toEqual(['K-1', 'K-3']);
  });

  it('proposes reopening a closed deviation and leaves it closed', async () => {
    const { context, prisma, app } = api();
    const older = await writeVersion('stang/v1.xlsx', { system: 'Stängsystemet', date: '2025-02-01', rows: [['S-1', 'Nej']] });
    const newer = await writeVersion('stang/v2.xlsx', { system: 'Stängsystemet', date: '2026-02-01', rows: [['S-1', 'Delvis']] });
    await ingestFiles(context, [older]);
    const [closed] = await deviationsOfSystem(prisma, 'Stängsystemet');
    for (const status of ['in-dialogue', 'wont-fix', 'closed'] as const) {
      const current = await prisma.deviation.findUniqueOrThrow({ where: { id: closed!.id } });
      await changeStatus(prisma, adminActor(), current, { status, reason: `Beslut: ${status}` });
    }

    const [result] = await ingestFiles(context, [newer]);
    const [after] = await deviationsOfSystem(prisma, 'Stängsystemet');
    expect(after!.status).toBe('closed');
    expect(after!.occurrences).toHaveLength(2);
    expect(after!.occurrences[1]!.answer).toBe('partially_met');
    expect(after!.pendingSuggestion).toMatchObject({ kind: 'reopen', declarationId: result!.declarationId });
    expect(after!.fieldSources).toMatchObject({ status: 'person', dueDate: 'person' });

    // Reopening is the administration's decision, and settles the suggestion.
    await changeStatus(prisma, adminActor(), after!, { status: 'in-dialogue', reason: 'Rapporterad igen' });
    const reopened = await request(app, admin, 'GET', `/api/deviations/${closed!.id}`);
    expect(reopened.body.status).toBe('in-dialogue');
    expect(reopened.body.suggestion).toBeNull();
    expect(reopened.body.history.map((event: { type: string }) => event.type)).toEqual([
      'created',
      'status-changed',
      'status-changed',
      'status-changed',
      'occurrence-added',
      'suggestion-made',
      'suggestion-settled',
      'reopened',
    ]);
  });

  it('gives rows without a requirement id a deviation per declaration', async () => {
    const { context, prisma } = api();
    const older = await writeVersion('utan/v1.xlsx', { system: 'Utansystemet', date: '2025-01-10', rows: [[null, 'Nej'], ['U-1', 'Nej']] });
    const newer = await writeVersion('utan/v2.xlsx', { system: 'Utansystemet', date: '2026-01-10', rows: [[null, 'Nej'], ['U-1', 'Nej']] });
    await ingestFiles(context, [older, newer]);

    const deviations = await deviationsOfSystem(prisma, 'Utansystemet');
    const withoutId = deviations.filter((deviation) => deviation.requirementId === null);
    expect(withoutId).toHaveLength(2);
    for (const deviation of withoutId) {
      expect(deviation.naturalKey).toBeNull();
      expect(deviation.occurrences).toHaveLength(1);
    }
    expect(deviations.filter((deviation) => deviation.requirementId === 'U-1')).toHaveLength(1);
  });

  it('suggests fixed when the newer declaration came first', async () => {
    const { context, prisma } = api();
    const newer = await writeVersion('omvand/v2.xlsx', { system: 'Omvändsystemet', date: '2026-04-01', rows: [['R-1', 'Ja'], ['R-2', 'Nej']] });
    const older = await writeVersion('omvand/v1.xlsx', { system: 'Omvändsystemet', date: '2025-04-01', rows: [['R-1', 'Nej'], ['R-2', 'Nej']] });
    const [newerResult] = await ingestFiles(context, [newer]);
    await ingestFiles(context, [older]);

    const [fixed, stillUnmet] = await deviationsOfSystem(prisma, 'Omvändsystemet');
    expect(fixed!.requirementId).toBe('R-1');
    expect(fixed!.pendingSuggestion).toMatchObject({ kind: 'fixed', declarationId: newerResult!.declarationId, declaredAt: '2026-04-01T00:00:00.000Z' });
    expect(fixed!.events.map((event) => event.type)).toEqual(['created', 'suggestion-made']);
    expect(stillUnmet!.pendingSuggestion).toBeNull();
    expect(stillUnmet!.occurrences).toHaveLength(2);
  });

  it('matches later met answers by the normalised id', async () => {
    const { context, prisma } = api();
    // The newer declaration writes the ids in lower case and with a decomposed Å.
    const newer = await writeVersion('skrift/v2.xlsx', { system: 'Skriftsystemet', date: '2026-04-01', rows: [['n-1', 'Ja'], ['A\u030a-2', 'Ja']] });
    const older = await writeVersion('skrift/v1.xlsx', { system: 'Skriftsystemet', date: '2025-04-01', rows: [['N-1', 'Nej'], ['\u00c5-2', 'Nej']] });
    const [newerResult] = await ingestFiles(context, [newer]);
    await ingestFiles(context, [older]);

    const deviations = await deviationsOfSystem(prisma, 'Skriftsystemet');
    expect(deviations).toHaveLength(2);
    for (const deviation of deviations) {
      expect(deviation.pendingSuggestion, deviation.requirementId ?? '').toMatchObject({ kind: 'fixed', declarationId: newerResult!.declarationId });
    }
  });

  it('names the latest met report in any order', async () => {
    const { context, prisma } = api();
    const named: Record<string, string> = {};
    for (const order of [['2024', '2025', '2026', '2027'], ['2027', '2026', '2025', '2024'], ['2027', '2025', '2026', '2024']]) {
      const system = `Ordning ${order.join('-')}`;
      const answers = { 2024: 'Nej', 2025: 'Nej', 2026: 'Ja', 2027: 'Ja' } as const;
      await ingestYears(context, `ordning/${order.join('-')}`, { system, date: '01-15', requirementId: 'O-1', answers }, order);

      const [deviation] = await deviationsOfSystem(prisma, system);
      const suggestion = deviation!.pendingSuggestion as { kind: string; declarationId: string; declaredAt: string };
      const source = await prisma.declaration.findUniqueOrThrow({ where: { id: suggestion.declarationId } });
      named[order.join('-')] = `${suggestion.kind} ${path.basename(source.fileName)} ${suggestion.declaredAt.slice(0, 10)}`;
    }
    expect(named).toEqual({
      '2024-2025-2026-2027': 'fixed 2027.xlsx 2027-01-15',
      '2027-2026-2025-2024': 'fixed 2027.xlsx 2027-01-15',
      '2027-2025-2026-2024': 'fixed 2027.xlsx 2027-01-15',
    });
  });

  it('takes texts and proposal from the oldest declaration in any order', async () => {
    const { context, prisma } = api();
    const sources: Record<string, unknown> = {};
    for (const order of [['2024', '2025'], ['2025', '2024']]) {
      const system = `Källa ${order.join('-')}`;
      const answers = { 2024: 'Delvis', 2025: 'Nej' } as const;
      await ingestYears(context, `kalla/${order.join('-')}`, { system, date: '02-01', requirementId: 'Q-1', answers }, order);

      const [deviation] = await deviationsOfSystem(prisma, system);
      const source = await prisma.declaration.findUniqueOrThrow({ where: { id: deviation!.declarationId! } });
      const row = await prisma.requirementRow.findUniqueOrThrow({ where: { id: deviation!.requirementRowId! } });
      sources[order.join('-')] = {
        file: path.basename(source.fileName),
        rowOfSource: row.declarationId === source.id,
        answer: deviation!.answer,
        title: deviation!.title,
        reproduction: deviation!.reproduction,
        proposal: [deviation!.proposedArea, deviation!.proposedPartyCode],
        occurrences: deviation!.occurrences.length,
      };
    }
    expect(sources['2025-2024']).toEqual(sources['2024-2025']);
    expect(sources['2024-2025']).toMatchObject({ file: '2024.xlsx', rowOfSource: true, answer: 'partially_met', occurrences: 2 });
  });

  it('keeps an owner a person assigned when an older declaration takes over', async () => {
    const { context, prisma } = api();
    const newer = await writeVersion('kalla-agd/2025.xlsx', { system: 'Ägdsystemet', date: '2025-02-01', rows: [['Q-2', 'Nej']] });
    const older = await writeVersion('kalla-agd/2024.xlsx', { system: 'Ägdsystemet', date: '2024-02-01', rows: [['Q-2', 'Delvis']] });
    await ingestFiles(context, [newer]);
    const [created] = await deviationsOfSystem(prisma, 'Ägdsystemet');
    await assignOwner(prisma, adminActor(), created!, { area: 'base-service', partyCode: 'CSN', reason: 'CSN levererar uppgiften' });

    const [olderResult] = await ingestFiles(context, [older]);
    const [after] = await deviationsOfSystem(prisma, 'Ägdsystemet');
    expect(after!.declarationId).toBe(olderResult!.declarationId);
    expect(after!.answer).toBe('partially_met');
    expect(after!.ownerPartyCode).toBe('CSN');
    expect(after!.proposedPartyCode).toBe(created!.proposedPartyCode);
    expect(after!.events.map((event) => event.type)).toContain('source-changed');
  });

  it('does not bring back a settled suggestion from an older report', async () => {
    const { context, prisma } = api();
    const answers = { 2024: 'Nej', 2025: 'Ja', 2026: 'Ja' } as const;
    await ingestYears(context, 'avgjord', { system: 'Avgjordsystemet', date: '03-01', requirementId: 'A-9', answers }, ['2026', '2025', '2024']);
    const [suggested] = await deviationsOfSystem(prisma, 'Avgjordsystemet');
    expect(suggested!.pendingSuggestion).toMatchObject({ kind: 'fixed', declaredAt: '2026-03-01T00:00:00.000Z' });
    await changeStatus(prisma, adminActor(), suggested!, { status: 'in-dialogue', reason: 'Inte åtgärdat enligt kommunen' });

    const systemId = suggested!.businessSystemId!;
    const summary = await reprocessDeclarations(
      { ...context, prisma, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
      { businessSystemId: systemId },
      { dryRun: false },
    );
    expect(summary.changed).toBe(0);
    const [after] = await deviationsOfSystem(prisma, 'Avgjordsystemet');
    expect(after!.pendingSuggestion).toBeNull();
    expect(after!.events.filter((event) => event.type === 'suggestion-made')).toHaveLength(1);
  });

  it('suggests nothing when a still later declaration reports it unmet', async () => {
    const { context, prisma } = api();
    const latest = await writeVersion('sen/v3.xlsx', { system: 'Sensystemet', date: '2026-06-01', rows: [['L-1', 'Nej']] });
    const middle = await writeVersion('sen/v2.xlsx', { system: 'Sensystemet', date: '2026-03-01', rows: [['L-1', 'Ja']] });
    const oldest = await writeVersion('sen/v1.xlsx', { system: 'Sensystemet', date: '2025-03-01', rows: [['L-1', 'Nej']] });
    await ingestFiles(context, [latest, middle, oldest]);

    const [deviation] = await deviationsOfSystem(prisma, 'Sensystemet');
    expect(deviation!.occurrences.map((occurrence) => occurrence.seenAt.toISOString().slice(0, 10))).toEqual(['2025-03-01', '2026-06-01']);
    expect(deviation!.pendingSuggestion).toBeNull();
  });

  it('suggests fixed when both versions are stored at once', async () => {
    const { context, prisma } = api();
    const systems = Array.from({ length: 6 }, (_, index) => `Samtidigt ${index + 1}`);
    const pairs = await Promise.all(
      systems.map(async (system, index) => [
        await writeVersion(`samtidigt/${index}/v1.xlsx`, { system, date: '2025-09-01', rows: [['C-1', 'Nej'], ['C-2', 'Ja']] }),
        await writeVersion(`samtidigt/${index}/v2.xlsx`, { system, date: '2026-09-01', rows: [['C-1', 'Ja'], ['C-2', 'Ja']] }),
      ]),
    );
    // Two ingests at once, each taking one version of every system, in opposite orders.
    await Promise.all([
      ingestFiles(context, pairs.map(([older]) => older!)),
      ingestFiles(context, pairs.map(([, newer]) => newer!).reverse()),
    ]);

    for (const system of systems) {
      const deviations = await deviationsOfSystem(prisma, system);
      expect(deviations.map((deviation) => deviation.requirementId), system).toEqual(['C-1']);
      expect(deviations[0]!.pendingSuggestion, system).toMatchObject({ kind: 'fixed', declaredAt: '2026-09-01T00:00:00.000Z' });
    }
  });

  it('keys by municipality when the declaration names one', async () => {
    const { context, prisma } = api();
    const north = await writeVersion('kommun/norr.xlsx', { system: 'Kommunsystemet', date: '2026-01-01', municipality: 'Norrby kommun', rows: [['M-1', 'Nej']] });
    const south = await writeVersion('kommun/syd.xlsx', { system: 'Kommunsystemet', date: '2026-01-02', municipality: 'Söderby kommun', rows: [['M-1', 'Nej']] });
    const northAgain = await writeVersion('kommun/norr-2.xlsx', { system: 'Kommunsystemet', date: '2026-02-01', municipality: 'NORRBY KOMMUN', rows: [['M-1', 'Nej']] });
    await ingestFiles(context, [north, south, northAgain]);

    const deviations = await deviationsOfSystem(prisma, 'Kommunsystemet');
    expect(deviations).toHaveLength(2);
    expect(deviations.map((deviation) => deviation.occurrences.length).sort()).toEqual([1, 2]);
  });

  it('re-processes every declaration without a change', async () => {
    const { context, prisma } = api();
    const before = await snapshot(prisma);
    const summary = await reprocessDeclarations(
      { ...context, prisma, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
      { all: true },
      { dryRun: false },
    );
    expect(summary.failed).toBe(0);
    expect(summary.changed).toBe(0);
    expect(summary.unchanged).toBe(summary.total);
    expect(await snapshot(prisma)).toEqual(before);
  });
});
