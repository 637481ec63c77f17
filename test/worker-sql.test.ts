// A worker on PostgreSQL sends every statement of its start and its jobs through the pg pool
// (src/db/sql.ts). Prisma's query compiler, which its first query would load, adds tens of MB to
// every worker process. Here the processor gets a client that throws on any use of Prisma
// itself, and must still store first and later declarations, suggestions and failures.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pendingMigrationNames } from '../src/db/migrate.ts';
import { seedReferenceParties } from '../src/db/seed.ts';
import { registerSqlExecutor, sqlOf } from '../src/db/sql.ts';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { createLogger } from '../src/log.ts';
import { loadParties } from '../src/rules/parties.ts';
import { loadRuleSet } from '../src/rules/ruleset.ts';
import { processDeclaration, type ProcessorContext } from '../src/workers/process-declaration.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

let test: TestDatabase;
let prisma: PrismaClient;
/** Stands in for the client in the processor: any property read other than `then` throws. */
let sqlOnly: PrismaClient;
let context: ProcessorContext;

beforeAll(async () => {
  test = await createTestDatabase();
  prisma = test.database.prisma;
  sqlOnly = new Proxy({} as PrismaClient, {
    get(_target, property) {
      if (property === 'then') return undefined;
      throw new Error(`Prisma's ${String(property)} was used.`);
    },
  });
  registerSqlExecutor(sqlOnly, sqlOf(prisma));
  context = { prisma: sqlOnly, ruleSet: loadRuleSet(), parties: loadParties(), log: createLogger('silent'), maxBytes: 10_000_000 };
});
afterAll(async () => {
  await test?.drop();
});

/** One version of a declaration of the system "Socialtjänst Plus" from the same supplier. */
async function version(date: string, rows: [string, 'Ja' | 'Nej' | 'Delvis'][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Leverantör', 'Sqlväg AB']);
  sheet.addRow(['Organisationsnummer', '556000-0099']);
  sheet.addRow(['Verksamhetssystem', 'Socialtjänst Plus']);
  sheet.addRow(['Datum', date]);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Krav', 'Uppfyllt', 'Kommentar']);
  for (const [id, answer] of rows) {
    sheet.addRow([id, `Systemet ska hämta uppgiften ${id} från Försäkringskassan.`, answer, answer === 'Ja' ? '' : `Uppgiften ${id} saknas.`]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

async function ingest(bytes: Uint8Array, fileName: string) {
  const stored = await storeDeclaration(prisma, bytes, { fileName, maxBytes: 10_000_000 });
  return processDeclaration(context, stored.id);
}

async function deviationsByRequirement() {
  const deviations = await prisma.deviation.findMany({
    include: { occurrences: { orderBy: { seenAt: 'asc' } } },
    orderBy: { requirementId: 'asc' },
  });
  return new Map(deviations.map((deviation) => [deviation.requirementId, deviation]));
}

describe('a worker on PostgreSQL', () => {
  it('starts without Prisma queries', async () => {
    expect(await pendingMigrationNames({ ...test.database, prisma: sqlOnly })).toEqual([]);
    expect(await seedReferenceParties(sqlOnly, loadParties())).toBe(loadParties().length);
    expect(await prisma.party.count({ where: { kind: { not: 'supplier' } } })).toBe(loadParties().length);
  });

  it('stores first and later declarations of one system without Prisma queries', async () => {
    const first = await ingest(await version('2026-01-10', [['SSB-001', 'Nej'], ['SSB-002', 'Delvis'], ['SSB-003', 'Ja']]), 'v1.xlsx');
    expect(first).toMatchObject({ status: 'parsed', deviations: 2 });

    // SSB-001 is now met, SSB-002 is not met at all, and SSB-004 is new.
    const second = await ingest(await version('2026-03-10', [['SSB-001', 'Ja'], ['SSB-002', 'Nej'], ['SSB-004', 'Nej']]), 'v2.xlsx');
    expect(second).toMatchObject({ status: 'parsed', deviations: 2 });
    let deviations = await deviationsByRequirement();
    expect([...deviations.keys()]).toEqual(['SSB-001', 'SSB-002', 'SSB-004']);
    expect(deviations.get('SSB-001')!.pendingSuggestion).toMatchObject({ kind: 'fixed', declaredAt: '2026-03-10T00:00:00.000Z' });
    expect(deviations.get('SSB-001')!.updatedAt.getTime()).toBeGreaterThan(deviations.get('SSB-001')!.createdAt.getTime());
    // The deviation keeps its own declaration's answer, and each occurrence has its declaration's answer.
    expect(deviations.get('SSB-002')!.answer).toBe('partially_met');
    expect(deviations.get('SSB-002')!.occurrences.map((occurrence) => occurrence.answer)).toEqual(['partially_met', 'not_met']);

    // A still later declaration reports SSB-001 unmet again, which withdraws the suggestion.
    await ingest(await version('2026-05-10', [['SSB-001', 'Nej'], ['SSB-002', 'Nej'], ['SSB-004', 'Nej']]), 'v3.xlsx');
    deviations = await deviationsByRequirement();
    expect(deviations.get('SSB-001')!.pendingSuggestion).toBeNull();
    expect(deviations.get('SSB-001')!.occurrences.map((occurrence) => occurrence.seenAt.toISOString())).toEqual([
      '2026-01-10T00:00:00.000Z',
      '2026-05-10T00:00:00.000Z',
    ]);
    const events = await prisma.deviationEvent.findMany({ where: { deviationId: deviations.get('SSB-001')!.id }, orderBy: { id: 'asc' } });
    expect(events.map((event) => event.type)).toEqual(['created', 'suggestion-made', 'occurrence-added', 'suggestion-withdrawn']);
  });

  it('stamps events when they are written, after the system lock', async () => {
    const system = await prisma.businessSystem.findFirstOrThrow({ where: { name: 'Socialtjänst Plus' } });
    let locked!: () => void;
    let release!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    // Another store of the system holds its lock while this declaration waits for it.
    const blocker = sqlOf(prisma).transaction(async (session) => {
      await session.query('SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtextextended($1, 0))', [system.id]);
      locked();
      await released;
    });
    await isLocked;
    const stored = ingest(await version('2026-07-10', [['SSB-001', 'Nej'], ['SSB-005', 'Nej']]), 'v4.xlsx');
    await new Promise((resolve) => setTimeout(resolve, 400));
    const releasedAt = Date.now();
    release();
    await blocker;
    expect(await stored).toMatchObject({ status: 'parsed' });

    const created = await prisma.deviation.findFirstOrThrow({ where: { requirementId: 'SSB-005' }, include: { events: true } });
    expect(created.events.length).toBeGreaterThan(0);
    for (const event of created.events) expect(event.at.getTime()).toBeGreaterThanOrEqual(releasedAt - 50);
  });

  it('marks an unreadable file failed without Prisma queries', async () => {
    await expect(ingest(Buffer.from('not a workbook at all'), 'broken.xlsx')).rejects.toMatchObject({ code: 'unsupported-format' });
    const declaration = await prisma.declaration.findFirstOrThrow({ where: { fileName: 'broken.xlsx' } });
    expect(declaration).toMatchObject({ status: 'failed', errorCode: 'unsupported-format' });
    expect(declaration.processedAt).toBeInstanceOf(Date);
  });
});
