// Runs every fixture declaration through the whole pipeline, once in-process on the embedded
// database and once through BullMQ workers on PostgreSQL, and compares the result with the
// expected result that lies beside each fixture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppContext, type AppContext } from '../src/cli/context.ts';
import { ingestFiles } from '../src/cli/ingest-command.ts';
import { readConfig } from '../src/config.ts';
import type { DeclarationResult } from '../src/declarations/result.ts';
import { connectRedis, createDeclarationQueue, declarationJobId, startDeclarationWorker } from '../src/workers/queue.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './support/services.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

interface ExpectedDeviation {
  requirementId: string | null;
  answer: 'not-met' | 'partially-met';
  expectedOwner: { area: string; partyCode: string; newRequirement: boolean };
  missingFields: string[];
  source: { sheet: string; row: number } | { page: number };
}

interface Expected {
  status: 'parsed' | 'failed';
  error?: { code: string };
  cover?: {
    supplier: string | null;
    organisationNumber: string | null;
    system: string | null;
    version: string | null;
    municipality: string | null;
    date: string | null;
    contact: { name: string | null; phone: string | null; email: string | null };
  };
  requirements?: Record<string, number>;
  deviations?: ExpectedDeviation[];
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.expected.json'))
  .map((name) => {
    const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Expected;
    const file = fs.readdirSync(FIXTURES).find((candidate) => candidate !== name && candidate.startsWith(name.replace('.expected.json', '.')) && !candidate.endsWith('.json'));
    if (!file) throw new Error(`No fixture file beside ${name}`);
    return { file: path.join(FIXTURES, file), expected };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

function checkResult(result: DeclarationResult, expected: Expected) {
  const name = path.basename(result.file);
  expect(result.status, `${name} status (${result.error?.message ?? 'no error'})`).toBe(expected.status);
  if (expected.status === 'failed') {
    expect(result.error?.code, `${name} error code`).toBe(expected.error?.code);
    expect(result.error?.message, `${name} error message names the file`).toContain(path.basename(result.file));
    return;
  }

  const { organisationNumber: _, ...cover } = expected.cover!;
  expect(result.cover, `${name} cover`).toEqual(cover);
  expect(result.requirements, `${name} counts`).toEqual(expected.requirements);
  const actual = result.deviations.map((deviation) => ({
    requirementId: deviation.requirementId,
    answer: deviation.answer,
    owner: {
      area: deviation.proposal.area,
      partyCode: deviation.proposal.partyKind === 'supplier' ? 'SUPPLIER' : deviation.proposal.partyCode,
      newRequirement: deviation.proposal.newRequirement,
    },
    missingFields: [...deviation.missingFields].sort(),
    source: deviation.source && 'page' in deviation.source ? { page: deviation.source.page } : deviation.source,
  }));
  const wanted = expected.deviations!.map((deviation) => ({
    requirementId: deviation.requirementId,
    answer: deviation.answer,
    owner: deviation.expectedOwner,
    missingFields: [...deviation.missingFields].sort(),
    source: deviation.source,
  }));
  expect(actual, `${name} deviations`).toEqual(wanted);
  for (const deviation of result.deviations) expect(deviation.status).toBe('new');
}

describe('fixtures in-process on the embedded database', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-fixtures-'));
  let context: AppContext;
  let results: DeclarationResult[];

  beforeAll(async () => {
    context = await openAppContext(readConfig({ AVVIK_DATA_DIR: dataDir, AVVIK_LOG_LEVEL: 'silent' }));
    results = await ingestFiles(context, fixtures.map((fixture) => fixture.file));
  }, 300_000);
  afterAll(async () => {
    await context?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(fixtures.map((fixture) => [path.basename(fixture.file), fixture] as const))('%s', (_, fixture) => {
    const result = results.find((candidate) => candidate.file === fixture.file)!;
    checkResult(result, fixture.expected);
  });

  it('creates nothing new on a second ingest', async () => {
    const prisma = context.database.prisma;
    const before = { declarations: await prisma.declaration.count(), deviations: await prisma.deviation.count() };
    const again = await ingestFiles(context, fixtures.map((fixture) => fixture.file));
    expect(again.map((result) => result.declarationId)).toEqual(results.map((result) => result.declarationId));
    expect(await prisma.declaration.count()).toBe(before.declarations);
    expect(await prisma.deviation.count()).toBe(before.deviations);
  });
});

describe('fixtures through BullMQ workers on PostgreSQL', () => {
  const queueName = uniqueName('fixtures');
  let testDatabase: TestDatabase;
  let context: AppContext;
  let worker: Worker;
  let workerConnection: ReturnType<typeof connectRedis>;
  let results: DeclarationResult[];

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const settings = readConfig({
      DATABASE_URL: testDatabase.url,
      REDIS_URL,
      AVVIK_QUEUE: queueName,
      AVVIK_LOG_LEVEL: 'silent',
      AVVIK_RETRY_DELAY_MS: '100',
    });
    context = await openAppContext(settings);
    workerConnection = connectRedis(REDIS_URL);
    worker = startDeclarationWorker({
      connection: workerConnection,
      queueName,
      concurrency: 2,
      context: { prisma: context.database.prisma, ruleSet: context.ruleSet, parties: context.parties, maxBytes: settings.AVVIK_MAX_FILE_BYTES },
      log: context.log,
    });
    results = await ingestFiles(context, fixtures.map((fixture) => fixture.file));
  }, 300_000);
  afterAll(async () => {
    await worker?.close();
    workerConnection?.disconnect();
    await context?.close();
    await testDatabase?.drop();
    await removeQueueKeys(queueName);
  });

  it.each(fixtures.map((fixture) => [path.basename(fixture.file), fixture] as const))('%s', (_, fixture) => {
    const result = results.find((candidate) => candidate.file === fixture.file)!;
    checkResult(result, fixture.expected);
  });

  it('failed files are not retried', async () => {
    const failed = results.filter((result) => result.status === 'failed');
    expect(failed.length).toBeGreaterThan(0);
    const connection = connectRedis(REDIS_URL);
    const queue = createDeclarationQueue({ connection, queueName, attempts: 5, retryDelayMs: 100 });
    try {
      for (const result of failed) {
        const job = await queue.getJob(declarationJobId(result.declarationId!));
        // Files over the size limit are failed at intake and never queued.
        if (result.error?.code === 'file-too-large') continue;
        expect(job, `job of ${result.file}`).toBeDefined();
        expect(await job!.getState()).toBe('failed');
        expect(job!.attemptsMade, `attempts on ${result.file}`).toBe(1);
      }
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('creates nothing new on a second ingest', async () => {
    const prisma = context.database.prisma;
    const before = { declarations: await prisma.declaration.count(), deviations: await prisma.deviation.count() };
    const again = await ingestFiles(context, fixtures.map((fixture) => fixture.file));
    expect(again.map((result) => result.declarationId)).toEqual(results.map((result) => result.declarationId));
    expect(await prisma.declaration.count()).toBe(before.declarations);
    expect(await prisma.deviation.count()).toBe(before.deviations);
  });
});
