// A worker killed in the middle of storing a declaration leaves nothing half-written,
// and another worker takes the job over and finishes it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { connectRedis, createDeclarationQueue, declarationJobId, enqueueDeclaration } from '../src/workers/queue.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const REPOSITORY_ROOT = path.resolve(import.meta.dirname, '..');
const REQUIREMENTS = 12_000;
const NOT_MET_EVERY = 2;

let testDatabase: TestDatabase;
const queueName = uniqueName('crash');
const workers: ChildProcess[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
});

afterAll(async () => {
  for (const worker of workers) if (worker.exitCode === null) worker.kill('SIGKILL');
  await testDatabase?.drop();
  await removeQueueKeys(queueName);
});

function startWorker(): ChildProcess {
  const worker = spawn(process.execPath, [path.join(REPOSITORY_ROOT, 'bin', 'avvik.js'), 'worker', '--concurrency', '1'], {
    cwd: REPOSITORY_ROOT,
    env: {
      ...process.env,
      DATABASE_URL: testDatabase.url,
      REDIS_URL,
      AVVIK_QUEUE: queueName,
      AVVIK_LOCK_DURATION_MS: '3000',
      AVVIK_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(worker);
  return worker;
}

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Kills a worker once it has started writing the declaration's rows, and clears the job's
 * progress so that the next worker's stages are its own.
 */
async function killInStore(queue: Queue, declarationId: string, worker: ChildProcess): Promise<void> {
  await waitFor(async () => {
    const job = await queue.getJob(declarationJobId(declarationId));
    const progress = job?.progress as { stage?: string } | undefined;
    return progress?.stage === 'store' ? true : undefined;
  }, 'the store stage');
  await new Promise((resolve) => setTimeout(resolve, 150));
  worker.kill('SIGKILL');
  await new Promise((resolve) => worker.once('exit', resolve));
  await (await queue.getJob(declarationJobId(declarationId)))?.updateProgress({});
}

describe('worker killed mid-job', () => {
  it('leaves one complete declaration', async () => {
    const { prisma } = testDatabase.database;
    const bytes = await buildDeclarationWorkbook({ requirements: REQUIREMENTS, notMetEvery: NOT_MET_EVERY });
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'large.xlsx', maxBytes: 50 * 1024 * 1024 });

    const connection = connectRedis(REDIS_URL);
    const queue: Queue = createDeclarationQueue({ connection, queueName, attempts: 5, retryDelayMs: 200 });
    try {
      await enqueueDeclaration(queue, stored.id);
      await killInStore(queue, stored.id, startWorker());

      const afterKill = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id } });
      expect(afterKill.status).not.toBe('parsed');
      expect(await prisma.requirementRow.count({ where: { declarationId: stored.id } })).toBe(0);
      expect(await prisma.deviation.count({ where: { declarationId: stored.id } })).toBe(0);

      startWorker();
      await waitFor(async () => {
        const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id } });
        return declaration.status === 'parsed' || declaration.status === 'failed' ? declaration.status : undefined;
      }, 'the second worker to finish');

      const finished = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id } });
      expect(finished.status).toBe('parsed');
      expect(await prisma.declaration.count()).toBe(1);
      expect(await prisma.requirementRow.count({ where: { declarationId: stored.id } })).toBe(REQUIREMENTS);
      const expectedDeviations = REQUIREMENTS / NOT_MET_EVERY;
      expect(await prisma.deviation.count({ where: { declarationId: stored.id } })).toBe(expectedDeviations);
      expect(await prisma.deviationEvent.count()).toBe(expectedDeviations);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 180_000);

  it('fails the declaration when killed twice', async () => {
    // The first test's worker would take this job over; only the workers started here may run.
    for (const worker of workers) if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGKILL');
    const { prisma } = testDatabase.database;
    const bytes = await buildDeclarationWorkbook({ requirements: REQUIREMENTS, notMetEvery: NOT_MET_EVERY, system: 'Två gånger' });
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'killed-twice.xlsx', maxBytes: 50 * 1024 * 1024 });

    const connection = connectRedis(REDIS_URL);
    const queue: Queue = createDeclarationQueue({ connection, queueName, attempts: 5, retryDelayMs: 200 });
    try {
      await enqueueDeclaration(queue, stored.id);
      await killInStore(queue, stored.id, startWorker());
      await killInStore(queue, stored.id, startWorker());

      // BullMQ allows one stall; the next worker fails the job, and the declaration with it.
      startWorker();
      const failed = await waitFor(async () => {
        const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id } });
        return declaration.status === 'failed' || declaration.status === 'parsed' ? declaration : undefined;
      }, 'the declaration to be marked failed');
      expect(failed.status).toBe('failed');
      expect(failed.errorCode).toBe('processing-failed');
      expect(failed.errorMessage).toContain('job stalled more than allowable limit');
      expect(await prisma.requirementRow.count({ where: { declarationId: stored.id } })).toBe(0);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  }, 180_000);
});
