// The worker stores a first processing with one guarded statement and falls back to the
// transaction that reads the stored state. Both ways must give the same records, and the
// fallback must take over whenever the statement's assumption does not hold.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeProcessedDeclaration } from '../src/db/store-declaration.ts';
import { prismaExecutor, sqlOf } from '../src/db/sql.ts';
import { writeFirstProcessing, type DeviationRecord, type RowRecord } from '../src/db/write-declaration.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { createLogger } from '../src/log.ts';
import { loadParties } from '../src/rules/parties.ts';
import { loadRuleSet } from '../src/rules/ruleset.ts';
import { MARK_PROCESSING_FROM_BYTES, parseAndPropose, processDeclaration } from '../src/workers/process-declaration.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const context = { ruleSet: loadRuleSet(), parties: loadParties(), log: createLogger('silent') };
const MAX_BYTES = 10_000_000;

let oneStatement: TestDatabase;
let transaction: TestDatabase;

beforeAll(async () => {
  [oneStatement, transaction] = await Promise.all([createTestDatabase(), createTestDatabase()]);
});
afterAll(async () => {
  await Promise.all([oneStatement?.drop(), transaction?.drop()]);
});

/** Stores the bytes as a declaration and processes it. With `oneStatementFirst`, the one-statement write is tried first. */
async function ingest(prisma: PrismaClient, bytes: Uint8Array, fileName: string, oneStatementFirst: boolean) {
  const stored = await storeDeclaration(prisma, bytes, { fileName, maxBytes: MAX_BYTES });
  const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, select: { receivedAt: true } });
  const processed = await parseAndPropose(context, bytes, fileName);
  const written = await storeProcessedDeclaration(prisma, stored.id, processed, oneStatementFirst ? declaration.receivedAt : undefined);
  return { id: stored.id, written, processed };
}

/** Reads everything a processing wrote, without ids and clock times, in a stable order. */
async function snapshot(prisma: PrismaClient, declarationId: string) {
  const declaration = await prisma.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    select: { status: true, parserVersion: true, ruleSetVersion: true, counts: true, parseReport: true, errorCode: true, processedAt: true },
  });
  const cover = await prisma.coverFacts.findUniqueOrThrow({ where: { declarationId }, omit: { declarationId: true } });
  const rows = await prisma.requirementRow.findMany({ where: { declarationId }, orderBy: { position: 'asc' }, omit: { id: true, declarationId: true } });
  const deviations = await prisma.deviation.findMany({
    where: { declarationId },
    orderBy: { requirementId: 'asc' },
    omit: { id: true, declarationId: true, requirementRowId: true, businessSystemId: true, naturalKey: true, createdAt: true, updatedAt: true },
    include: {
      requirementRow: { select: { position: true } },
      occurrences: { select: { answer: true, seenAt: true, withdrawnAt: true, requirementRow: { select: { position: true } } } },
      events: { select: { actor: true, type: true, fromValue: true, toValue: true, reason: true }, orderBy: { id: 'asc' } },
    },
  });
  return {
    declaration: { ...declaration, processedAt: declaration.processedAt !== null },
    cover,
    rows,
    deviations: deviations.map((deviation) => ({ ...deviation, naturalKeySet: true })),
  };
}

describe('storing a first processing', () => {
  it('one statement equals the transaction', async () => {
    for (const fixture of ['cover-sheet.xlsx', 'wrapped-pages.pdf']) {
      const bytes = fs.readFileSync(`fixtures/${fixture}`);
      const fast = await ingest(oneStatement.database.prisma, bytes, fixture, true);
      const slow = await ingest(transaction.database.prisma, bytes, fixture, false);
      expect(fast.written).toBe(true);
      expect(slow.written).toBe(true);

      const fastRecords = await snapshot(oneStatement.database.prisma, fast.id);
      const slowRecords = await snapshot(transaction.database.prisma, slow.id);
      expect(fastRecords.deviations.length, fixture).toBe(fast.processed.candidates.length);
      expect(fastRecords.deviations.length, fixture).toBeGreaterThan(0);
      expect(fastRecords.rows.length, fixture).toBe(fast.processed.parsed.rows.length);
      expect(fastRecords, fixture).toEqual(slowRecords);
    }
  });

  it('parsed declaration stays unchanged', async () => {
    const { prisma } = oneStatement.database;
    const bytes = await buildDeclarationWorkbook({ requirements: 12, notMetEvery: 3, system: 'Parsat system' });
    const first = await ingest(prisma, bytes, 'parsed-twice.xlsx', true);
    const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: first.id }, select: { receivedAt: true } });

    const again = await storeProcessedDeclaration(prisma, first.id, first.processed, declaration.receivedAt);
    expect(again).toBe(false);
    expect(await prisma.deviation.count({ where: { declarationId: first.id } })).toBe(4);
    expect(await prisma.deviationOccurrence.count({ where: { declarationId: first.id } })).toBe(4);
    expect(await prisma.requirementRow.count({ where: { declarationId: first.id } })).toBe(12);
  });

  it('concurrent declarations share deviations', async () => {
    const { prisma } = oneStatement.database;
    for (let round = 0; round < 4; round++) {
      const system = `Samtidigt system ${round}`;
      // K-6, K-12, K-18 and K-24 are unmet in both; the second also reports K-9, K-15 and K-21.
      const files = await Promise.all([
        buildDeclarationWorkbook({ requirements: 24, notMetEvery: 6, system }),
        buildDeclarationWorkbook({ requirements: 24, notMetEvery: 3, system }),
      ]);
      const results = await Promise.all(files.map((bytes, index) => ingest(prisma, bytes, `round-${round}-${index}.xlsx`, true)));
      expect(results.every((result) => result.written)).toBe(true);

      const deviations = await prisma.deviation.findMany({
        where: { businessSystem: { name: system } },
        select: { requirementId: true, _count: { select: { occurrences: true } } },
        orderBy: { requirementId: 'asc' },
      });
      const occurrences = Object.fromEntries(deviations.map((deviation) => [deviation.requirementId, deviation._count.occurrences]));
      expect(occurrences, `round ${round}`).toEqual({
        'K-3': 1, 'K-6': 2, 'K-9': 1, 'K-12': 2, 'K-15': 1, 'K-18': 2, 'K-21': 1, 'K-24': 2,
      });
    }
  });

  it('removed supplier is created again', async () => {
    const { prisma } = oneStatement.database;
    const supplier = { supplier: 'Flyttbar AB', organisationNumber: '556000-0099', system: 'Flyttbart system' };
    const first = await ingest(prisma, await buildDeclarationWorkbook({ requirements: 10, notMetEvery: 5, ...supplier }), 'moved-1.xlsx', true);
    expect(first.written).toBe(true);

    // Removes every trace of the supplier, as a restore of an older backup would, while the worker's cache remembers it.
    await prisma.$executeRawUnsafe(`DELETE FROM "Declaration" WHERE id = $1::uuid`, first.id);
    await prisma.$executeRawUnsafe(`DELETE FROM "Deviation" WHERE "supplierCode" = 'ORG-5560000099'`);
    await prisma.$executeRawUnsafe(`DELETE FROM "BusinessSystem" WHERE name = $1`, supplier.system);
    await prisma.$executeRawUnsafe(`DELETE FROM "Party" WHERE code = 'ORG-5560000099'`);

    const second = await ingest(prisma, await buildDeclarationWorkbook({ requirements: 10, notMetEvery: 2, ...supplier }), 'moved-2.xlsx', true);
    expect(second.written).toBe(true);
    const declaration = await prisma.declaration.findUniqueOrThrow({
      where: { id: second.id },
      select: { status: true, supplier: { select: { code: true } }, businessSystem: { select: { name: true } } },
    });
    expect(declaration).toEqual({ status: 'parsed', supplier: { code: 'ORG-5560000099' }, businessSystem: { name: supplier.system } });
    expect(await prisma.deviation.count({ where: { declarationId: second.id } })).toBe(5);
  });
});

describe('a first processing too large for one statement', () => {
  it('equals the transaction', async () => {
    // 5,400 rows and 2,700 deviations, each with an occurrence and an event: several statements per table.
    const bytes = await buildDeclarationWorkbook({ requirements: 5_400, notMetEvery: 2, system: 'Stort system', date: '2026-03-02' });
    const fast = await ingest(oneStatement.database.prisma, bytes, 'stor-deklaration.xlsx', true);
    const slow = await ingest(transaction.database.prisma, bytes, 'stor-deklaration.xlsx', false);
    expect(fast.written).toBe(true);
    expect(slow.written).toBe(true);
    const fastRecords = await snapshot(oneStatement.database.prisma, fast.id);
    expect(fastRecords.rows).toHaveLength(5_400);
    expect(fastRecords.deviations).toHaveLength(2_700);
    expect(fastRecords).toEqual(await snapshot(transaction.database.prisma, slow.id));
  });

  it('copies what the statements write', async () => {
    // Text that COPY's format and an array literal must escape, beside text that must stay as it is.
    const texts = ['tab\there', 'line\nbreak', 'cr\r\nlf', 'back\\slash', '\\N', 'NULL', '', '"quoted"', '{brace},comma', '\\.', ' spaced ', 'end\\', 'emoji 😀', 'höger\u200fvänster', 'å\u030a'];
    const text = (position: number) => texts[position % texts.length]!;
    const rowIds = Array.from({ length: 5_100 }, () => randomUUID());
    const deviationIds = rowIds.slice(0, 40).map(() => randomUUID());
    const writeFor = (declarationId: string) => ({
      rows: rowIds.map((id, position): RowRecord => ({
        id,
        position,
        requirementId: position % 7 === 0 ? null : `${text(position)}-${position}`,
        areaHint: position % 5 === 0 ? null : text(position + 1),
        text: text(position + 2),
        answer: position < 40 ? 'not_met' : 'met',
        answerRaw: text(position + 3),
        comment: position % 3 === 0 ? null : text(position + 4),
        attachments: position % 4 === 0 ? [] : [text(position), text(position + 5), 'bilaga 1.pdf'],
        sourceSheet: text(position + 6),
        sourceRow: position + 2,
        sourcePage: position % 2 === 0 ? null : 1,
        sourceLine: null,
      })),
      cover: null,
      deviations: deviationIds.map((id, index): DeviationRecord => ({
        id,
        declarationId,
        requirementRowId: rowIds[index]!,
        businessSystemId: null,
        supplierCode: index % 2 === 0 ? null : text(index),
        municipality: text(index + 1),
        requirementId: text(index + 2),
        naturalKey: `${text(index)}|${index}`,
        answer: 'not_met',
        title: text(index + 3),
        reproduction: index % 3 === 0 ? null : text(index + 4),
        result: text(index + 5),
        material: [text(index), text(index + 6)],
        contactName: text(index + 7),
        contactPhone: null,
        contactEmail: text(index + 8),
        missingFields: index % 2 === 0 ? [] : ['result'],
        proposedArea: 'unassigned',
        proposedPartyKind: 'administration',
        proposedPartyCode: 'SKR',
        proposalRuleIds: [text(index + 9)],
        proposalEvidence: [{ field: 'text', match: text(index + 10), ruleId: text(index + 11), weight: 1.5 }],
        proposalConfidence: index / 3,
        proposalCandidates: [],
        newRequirement: index % 2 === 0,
        parserVersion: '1.0.0',
        ruleSetVersion: text(index + 12),
        fieldSources: { title: 'system', note: text(index + 13) },
      })),
      occurrences: [],
      events: [],
      declaration: null,
    });

    const stored = async (test: TestDatabase, executor: 'copy' | 'statements') => {
      const { prisma } = test.database;
      const bytes = await buildDeclarationWorkbook({ requirements: 2, notMetEvery: 2, system: `Kopierat system ${executor}` });
      const declaration = await storeDeclaration(prisma, bytes, { fileName: `kopierad-${executor}.xlsx`, maxBytes: MAX_BYTES });
      // The embedded database's executor has no COPY; on PostgreSQL it writes the statements.
      const sql = executor === 'copy' ? sqlOf(prisma) : prismaExecutor(prisma);
      expect(await sql.transaction(async (session) => session.copyFrom !== undefined)).toBe(executor === 'copy');
      expect(await writeFirstProcessing(sql, declaration.id, writeFor(declaration.id), [], null)).toBe('written');
      const rows = await prisma.$queryRawUnsafe<{ row: unknown }[]>(
        `SELECT to_jsonb(r) - 'declarationId' AS row FROM "RequirementRow" r WHERE r."declarationId" = $1::uuid ORDER BY position`,
        declaration.id,
      );
      const deviations = await prisma.$queryRawUnsafe<{ deviation: unknown; stamped: boolean }[]>(
        `SELECT to_jsonb(d) - 'declarationId' - 'createdAt' - 'updatedAt' AS deviation, d."updatedAt" = d."createdAt" AS stamped
         FROM "Deviation" d WHERE d."declarationId" = $1::uuid ORDER BY d.id`,
        declaration.id,
      );
      return { rows, deviations };
    };

    const copied = await stored(oneStatement, 'copy');
    const written = await stored(transaction, 'statements');
    expect(copied.rows).toHaveLength(5_100);
    expect(copied.deviations).toHaveLength(40);
    expect(copied.deviations.every((deviation) => deviation.stamped)).toBe(true);
    expect(copied).toEqual(written);
    const first = copied.rows[1]!.row as { areaHint: string; attachments: string[] };
    expect(first.areaHint).toBe(text(2));
    expect(first.attachments).toEqual([text(1), text(6), 'bilaga 1.pdf']);
  });

  it('writes nothing when a later statement fails', async () => {
    const { prisma } = oneStatement.database;
    const rowsOf = (text: (position: number) => string): RowRecord[] =>
      Array.from({ length: 5_200 }, (_, position) => ({
        id: randomUUID(),
        position,
        requirementId: `R-${position}`,
        areaHint: null,
        text: text(position),
        answer: 'met',
        answerRaw: 'Ja',
        comment: null,
        attachments: [],
        sourceSheet: 'Krav',
        sourceRow: position + 2,
        sourcePage: null,
        sourceLine: null,
      }));
    const declaration = { parserVersion: 'p', ruleSetVersion: 'r', parseReport: {}, supplierId: null, businessSystemId: null, processedAt: new Date() };
    const none = { cover: null, deviations: [], occurrences: [], events: [] };
    const cases = [
      // PostgreSQL rejects a NUL character in text, so the copied rows fail (22021).
      { name: 'a row', code: '22021', write: { ...none, rows: rowsOf((position) => (position === 5_100 ? 'Krav\u0000' : 'Krav')), declaration: null } },
      // It rejects one in jsonb too, so the last statement, the Declaration row's, fails after the rows were copied (22P05).
      { name: 'the declaration', code: '22P05', write: { ...none, rows: rowsOf(() => 'Krav'), declaration: { ...declaration, counts: { note: 'Krav\u0000' } } } },
    ];

    for (const { name, code, write } of cases) {
      const bytes = await buildDeclarationWorkbook({ requirements: 4, notMetEvery: 2, system: `Avbrutet system ${name}` });
      const stored = await storeDeclaration(prisma, bytes, { fileName: `avbruten ${name}.xlsx`, maxBytes: MAX_BYTES });
      await expect(writeFirstProcessing(sqlOf(prisma), stored.id, write, [], null), name).rejects.toMatchObject({ code });
      expect(await prisma.requirementRow.count({ where: { declarationId: stored.id } }), name).toBe(0);
      const after = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, select: { status: true } });
      expect(after.status, name).toBe('queued');
    }
  });
});

/** Builds a dated declaration of one system in which K-1 has the given answer and K-2 is met. */
async function datedDeclaration(system: string, date: string, answer: 'Ja' | 'Nej'): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Leverantör', 'Låsning AB']);
  sheet.addRow(['Organisationsnummer', '556000-0123']);
  sheet.addRow(['Verksamhetssystem', system]);
  sheet.addRow(['Datum', date]);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow(['K-1', 'Systemet ska visa beslutet för handläggaren.', answer, answer === 'Nej' ? 'Saknas i vyn.' : '']);
  sheet.addRow(['K-2', 'Systemet ska logga varje uppslag.', 'Ja', '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

describe('storing declarations of one system at once', () => {
  it('later reports see earlier ones', async () => {
    const { prisma } = transaction.database;
    for (let round = 0; round < 5; round++) {
      const system = `Låst system ${round}`;
      await ingest(prisma, await datedDeclaration(system, '2025-02-01', 'Nej'), `first-${round}.xlsx`, false);

      // A report of K-1 as met, and a later one of it unmet again, stored at the same moment.
      const later = await Promise.all([
        datedDeclaration(system, '2025-04-01', 'Ja').then((bytes) => ({ bytes, name: `met-${round}.xlsx` })),
        datedDeclaration(system, '2025-05-01', 'Nej').then((bytes) => ({ bytes, name: `unmet-${round}.xlsx` })),
      ]);
      const stored = await Promise.all(later.map(({ bytes, name }) => storeDeclaration(prisma, bytes, { fileName: name, maxBytes: MAX_BYTES })));
      const processed = await Promise.all(later.map(({ bytes, name }) => parseAndPropose(context, bytes, name)));
      await Promise.all(stored.map((declaration, index) => storeProcessedDeclaration(prisma, declaration.id, processed[index]!)));

      const deviation = await prisma.deviation.findFirstOrThrow({
        where: { businessSystem: { name: system }, requirementId: 'K-1' },
        select: { pendingSuggestion: true, _count: { select: { occurrences: true } } },
      });
      // Either order leaves no suggestion: the unmet report withdraws the fixed one, or the met report is older than it.
      expect(deviation.pendingSuggestion, `round ${round}`).toBeNull();
      expect(deviation._count.occurrences, `round ${round}`).toBe(2);
    }
  });
});

describe('names in two Unicode spellings', () => {
  it('give one system and one deviation', async () => {
    const { prisma } = transaction.database;
    // 'å' as one character (NFC) and as 'a' with a combining ring (NFD) look the same.
    const spellings = ['Norrbistånd', 'Norrbista\u030And'];
    expect(spellings[0]).not.toBe(spellings[1]);
    for (const [index, system] of spellings.entries()) {
      const bytes = await buildDeclarationWorkbook({ requirements: 4, notMetEvery: 2, system, organisationNumber: '556000-0456', date: `2026-0${index + 1}-01` });
      expect((await ingest(prisma, bytes, `stavning-${index}.xlsx`, false)).written).toBe(true);
    }

    const systems = await prisma.businessSystem.findMany({ where: { supplier: { code: 'ORG-5560000456' } }, select: { name: true } });
    expect(systems).toEqual([{ name: 'Norrbistånd' }]);
    const deviations = await prisma.deviation.findMany({
      where: { supplierCode: 'ORG-5560000456' },
      select: { requirementId: true, _count: { select: { occurrences: true } } },
      orderBy: { requirementId: 'asc' },
    });
    expect(deviations).toEqual([
      { requirementId: 'K-2', _count: { occurrences: 2 } },
      { requirementId: 'K-4', _count: { occurrences: 2 } },
    ]);
  });
});

describe('a requirement id too long for a key', () => {
  it('gives a deviation without a key', async () => {
    const { prisma } = oneStatement.database;
    // Random text does not compress, so a key with it would not fit PostgreSQL's unique index.
    const requirementId = randomBytes(2_400).toString('base64');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Krav');
    sheet.addRow(['Leverantör', 'Långa id AB']);
    sheet.addRow(['Organisationsnummer', '556000-0321']);
    sheet.addRow(['Verksamhetssystem', 'Långa system']);
    sheet.addRow([]);
    sheet.addRow(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']);
    sheet.addRow([requirementId, 'Systemet ska visa beslutet.', 'Nej', 'Saknas.']);
    sheet.addRow(['K-2', 'Systemet ska logga uppslag.', 'Nej', 'Saknas också.']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'långa-id.xlsx', maxBytes: MAX_BYTES });

    const outcome = await processDeclaration({ ...context, prisma, maxBytes: MAX_BYTES }, stored.id);
    expect(outcome).toEqual({ status: 'parsed', declarationId: stored.id, deviations: 2 });
    const deviations = await prisma.deviation.findMany({ where: { declarationId: stored.id }, select: { requirementId: true, naturalKey: true }, orderBy: { requirementId: 'asc' } });
    expect(deviations.find((deviation) => deviation.requirementId === requirementId)?.naturalKey).toBeNull();
    expect(deviations.find((deviation) => deviation.requirementId === 'K-2')?.naturalKey).toContain('"K-2"');
  });
});

describe('the status while a worker processes a file', () => {
  it('is processing only for large files', async () => {
    const { prisma } = oneStatement.database;
    const small = await buildDeclarationWorkbook({ requirements: 8, notMetEvery: 4, system: 'Statussystem' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(small as unknown as ExcelJS.Buffer);
    // Random text does not compress, so this appendix makes the file larger than the limit.
    const appendix = workbook.addWorksheet('Bilaga');
    for (let row = 0; row < 60; row++) appendix.addRow([randomBytes(24_000).toString('base64')]);
    const large = Buffer.from(await workbook.xlsx.writeBuffer());
    expect(large.length).toBeGreaterThan(MARK_PROCESSING_FROM_BYTES);

    for (const [name, bytes, expected] of [['liten.xlsx', small, 'queued'], ['stor.xlsx', large, 'processing']] as const) {
      const stored = await storeDeclaration(prisma, bytes, { fileName: name, maxBytes: MAX_BYTES });
      const statuses: string[] = [];
      const onStage = async (stage: string) => {
        if (stage !== 'parse') return;
        const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, select: { status: true } });
        statuses.push(declaration.status);
      };
      const outcome = await processDeclaration({ ...context, prisma, maxBytes: MAX_BYTES, onStage }, stored.id);
      expect(outcome.status, name).toBe('parsed');
      expect(statuses, name).toEqual([expected]);
    }
  });
});
