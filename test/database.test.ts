import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.ts';
import { applyMigrations, readMigrationList } from '../src/db/migrate.ts';
import { seedReferenceParties } from '../src/db/seed.ts';
import { sqlOf } from '../src/db/sql.ts';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { createLogger } from '../src/log.ts';
import { loadParties } from '../src/rules/parties.ts';
import { loadRuleSet } from '../src/rules/ruleset.ts';
import { processDeclaration } from '../src/workers/process-declaration.ts';
import { openAppContext } from '../src/cli/context.ts';
import { readConfig } from '../src/config.ts';
import { createTestDatabase, POSTGRES_ADMIN_URL, uniqueName, type TestDatabase } from './support/services.ts';

describe('migrations', () => {
  let testDatabase: TestDatabase;
  beforeAll(async () => {
    testDatabase = await createTestDatabase();
  });
  afterAll(async () => {
    await testDatabase?.drop();
  });

  it('apply nothing twice on PostgreSQL', async () => {
    expect(await applyMigrations(testDatabase.database)).toEqual([]);
    const recorded = await testDatabase.database.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations ORDER BY migration_name',
    );
    const committed = readMigrationList().migrationDirectories.map((directory) => directory.path);
    expect(recorded.map((row) => row.migration_name)).toEqual(committed);
  });

  it('keep the history append-only', async () => {
    const { prisma } = testDatabase.database;
    const bytes = fs.readFileSync(path.join(import.meta.dirname, '..', 'fixtures', 'cover-sheet.xlsx'));
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'historik.xlsx', maxBytes: 10_000_000 });
    const context = { prisma, ruleSet: loadRuleSet(), parties: loadParties(), log: createLogger('silent'), maxBytes: 10_000_000 };
    expect(await processDeclaration(context, stored.id)).toMatchObject({ status: 'parsed' });
    const deviation = await prisma.deviation.findFirstOrThrow({ where: { declarationId: stored.id }, include: { events: true } });
    expect(deviation.events.length).toBeGreaterThan(0);

    const sql = sqlOf(prisma);
    await expect(sql.query('UPDATE "DeviationEvent" SET reason = $1 WHERE "deviationId" = $2::uuid', ['ändrad', deviation.id])).rejects.toMatchObject({
      code: '23001',
    });
    await expect(sql.query('DELETE FROM "DeviationEvent" WHERE "deviationId" = $1::uuid', [deviation.id])).rejects.toThrow(/append-only/);
    expect(await prisma.deviationEvent.count({ where: { deviationId: deviation.id } })).toBe(deviation.events.length);

    // Deleting the deviation itself still takes its history with it.
    await sql.query('DELETE FROM "Deviation" WHERE id = $1::uuid', [deviation.id]);
    expect(await prisma.deviationEvent.count({ where: { deviationId: deviation.id } })).toBe(0);
  });

  it('seed every reference party', async () => {
    const codes = (await testDatabase.database.prisma.party.findMany({ select: { code: true } })).map((party) => party.code);
    for (const code of ['FK', 'CSN', 'SKV', 'AF', 'PM', 'AKASSA', 'TS', 'DRIFT', 'SKR']) expect(codes).toContain(code);
    expect(await testDatabase.database.prisma.baseService.count()).toBeGreaterThanOrEqual(7);
  });

  it('store the same bytes once', async () => {
    const { prisma } = testDatabase.database;
    const bytes = Buffer.from('%PDF-1.4 not really a pdf');
    const first = await storeDeclaration(prisma, bytes, { fileName: 'a.pdf', maxBytes: 1_000 });
    const second = await storeDeclaration(prisma, bytes, { fileName: 'copy-of-a.pdf', maxBytes: 1_000 });
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(second.id).toBe(first.id);
    const stored = await prisma.declarationFile.findUniqueOrThrow({ where: { declarationId: first.id } });
    expect(Buffer.from(stored.content).equals(bytes)).toBe(true);
  });

  it('keep an oversized file and mark it failed', async () => {
    const { prisma } = testDatabase.database;
    const bytes = Buffer.alloc(2_000, 1);
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'big.xlsx', maxBytes: 1_000 });
    const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, include: { file: true } });
    expect(declaration.status).toBe('failed');
    expect(declaration.errorCode).toBe('file-too-large');
    expect(declaration.errorMessage).toContain('big.xlsx');
    expect(declaration.file?.content.byteLength).toBe(2_000);
  });
});

describe('concurrent migrations', () => {
  it('apply each migration once', async () => {
    const testDatabase = await createTestDatabase({ migrate: false });
    const second = await openDatabase({ databaseUrl: testDatabase.url, dataDir: '' });
    try {
      const [a, b] = await Promise.all([applyMigrations(testDatabase.database), applyMigrations(second)]);
      const committed = readMigrationList().migrationDirectories.map((directory) => directory.path);
      expect([...a, ...b].sort()).toEqual(committed);
    } finally {
      await second.close();
      await testDatabase.drop();
    }
  });
});

describe('embedded database', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-pglite-'));
  afterAll(() => fs.rmSync(folder, { recursive: true, force: true }));

  it('opens in one process at a time', async () => {
    const first = await openDatabase({ databaseUrl: undefined, dataDir: folder });
    try {
      await expect(openDatabase({ databaseUrl: undefined, dataDir: folder, lockWaitMs: 300 })).rejects.toThrow(
        /is in use by process \d+/,
      );
    } finally {
      await first.close();
    }
    const again = await openDatabase({ databaseUrl: undefined, dataDir: folder, lockWaitMs: 300 });
    await again.close();
  });

  it('takes over a lock left by a dead process', async () => {
    fs.mkdirSync(path.join(folder, 'pglite'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'pglite.lock'), '999999999');
    const database = await openDatabase({ databaseUrl: undefined, dataDir: folder, lockWaitMs: 300 });
    await database.close();
    expect(fs.existsSync(path.join(folder, 'pglite.lock'))).toBe(false);
  });

  it('migrates and seeds like PostgreSQL', async () => {
    const database = await openDatabase({ databaseUrl: undefined, dataDir: folder });
    try {
      expect((await applyMigrations(database)).length).toBe(readMigrationList().migrationDirectories.length);
      expect(await applyMigrations(database)).toEqual([]);
      await seedReferenceParties(database.prisma, loadParties());
      expect(await database.prisma.party.count()).toBe(9);
    } finally {
      await database.close();
    }
  });
});

describe('missing PostgreSQL database', () => {
  it('names the database and how to create it', async () => {
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${uniqueName('avvik_missing')}`;
    const name = url.pathname.slice(1);
    const open = () => openAppContext(readConfig({ DATABASE_URL: url.toString(), AVVIK_LOG_LEVEL: 'silent' }));
    await expect(open()).rejects.toThrow(`Database ${name} does not exist on ${url.hostname}:${url.port || '5432'}.`);
    await expect(open()).rejects.toThrow(`Create it with \`createdb -h ${url.hostname} `);
    await expect(open()).rejects.toThrow(` ${name}\`, or set DATABASE_URL to an existing database`);
  });
});
