// A failure outside the file (here: the database refusing the first query) is retried with
// backoff, and the declaration ends parsed.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaClient } from '../src/generated/prisma/client.ts';
import { storeDeclaration } from '../src/ingest/intake.ts';
import { createLogger } from '../src/log.ts';
import { loadParties } from '../src/rules/parties.ts';
import { loadRuleSet, type RuleSet } from '../src/rules/ruleset.ts';
import { connectRedis, createDeclarationQueue, declarationJobId, enqueueDeclaration, startDeclarationWorker } from '../src/workers/queue.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

let testDatabase: TestDatabase;
const queueName = uniqueName('retries');

beforeAll(async () => {
  testDatabase = await createTestDatabase();
});
afterAll(async () => {
  await testDatabase?.drop();
  await removeQueueKeys(queueName);
});

/**
 * Wraps a Prisma client so that the worker's first database call, whichever it is (a raw query
 * or a call on `declaration`), fails like an unreachable server.
 */
function failingOnce(prisma: PrismaClient): { prisma: PrismaClient; failures: () => number } {
  let failures = 0;
  const failFirst = <T extends object>(target: T) =>
    new Proxy(target, {
      get(inner, property, receiver) {
        const value = Reflect.get(inner, property, receiver);
        if (typeof value !== 'function' || failures > 0) return value;
        return async () => {
          failures += 1;
          throw new Error("Can't reach database server at 127.0.0.1:5432");
        };
      },
    });
  const declaration = failFirst(prisma.declaration);
  const wrapped = new Proxy(prisma, {
    get(target, property, receiver) {
      if (property === 'declaration') return declaration;
      const value = Reflect.get(target, property, receiver);
      if (property !== '$queryRawUnsafe' || failures > 0) return value;
      return failFirst({ call: value }).call;
    },
  });
  return { prisma: wrapped, failures: () => failures };
}

/** Starts a queue and one worker on it with the given database client and rule set; `close` stops both. */
function startQueueWorker(context: { prisma: PrismaClient; ruleSet: RuleSet }) {
  const connection = connectRedis(REDIS_URL);
  const workerConnection = connectRedis(REDIS_URL);
  const queue = createDeclarationQueue({ connection, queueName, attempts: 3, retryDelayMs: 100 });
  const worker = startDeclarationWorker({
    connection: workerConnection,
    queueName,
    concurrency: 1,
    context: { ...context, parties: loadParties(), maxBytes: 1_000_000 },
    log: createLogger('silent'),
  });
  const close = async () => {
    await worker.close();
    await queue.close();
    connection.disconnect();
    workerConnection.disconnect();
  };
  return { queue, close };
}

/** Waits up to 30 seconds for a job to complete or fail. */
async function waitUntilSettled(job: Job): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await job.isCompleted()) && !(await job.isFailed()) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('transient failure', () => {
  it('is retried until the declaration is parsed', async () => {
    const { prisma } = testDatabase.database;
    const bytes = await buildDeclarationWorkbook({ requirements: 20, notMetEvery: 5 });
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'retry.xlsx', maxBytes: 1_000_000 });

    const faulty = failingOnce(prisma);
    const { queue, close } = startQueueWorker({ prisma: faulty.prisma, ruleSet: loadRuleSet() });
    try {
      await enqueueDeclaration(queue, stored.id);
      const job = (await queue.getJob(declarationJobId(stored.id)))!;
      await waitUntilSettled(job);

      expect(await job.getState()).toBe('completed');
      expect(faulty.failures()).toBe(1);
      const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id } });
      expect(declaration.status).toBe('parsed');
      expect(await prisma.deviation.count({ where: { declarationId: stored.id } })).toBe(4);
    } finally {
      await close();
    }
  });
});

describe('parser fault', () => {
  it('fails at once and keeps the file', async () => {
    const { prisma } = testDatabase.database;
    const bytes = await buildDeclarationWorkbook({ requirements: 10, notMetEvery: 2, supplier: 'Felaktiga regler AB' });
    const stored = await storeDeclaration(prisma, bytes, { fileName: 'fault.xlsx', maxBytes: 1_000_000 });

    // A rule set without rules makes the rules stage throw, as a bug in the engine would.
    const brokenRuleSet = { ...loadRuleSet(), rules: undefined } as unknown as ReturnType<typeof loadRuleSet>;
    const { queue, close } = startQueueWorker({ prisma, ruleSet: brokenRuleSet });
    try {
      await enqueueDeclaration(queue, stored.id);
      const job = (await queue.getJob(declarationJobId(stored.id)))!;
      await waitUntilSettled(job);

      const failedJob = (await queue.getJob(declarationJobId(stored.id)))!;
      expect(await failedJob.getState()).toBe('failed');
      expect(failedJob.attemptsMade).toBe(1);
      const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: stored.id }, include: { file: true } });
      expect(declaration.status).toBe('failed');
      expect(declaration.errorCode).toBe('parser-error');
      expect(declaration.errorMessage).toContain('fault.xlsx');
      expect(declaration.file?.content.byteLength).toBe(bytes.byteLength);
      expect(await prisma.requirementRow.count({ where: { declarationId: stored.id } })).toBe(0);
    } finally {
      await close();
    }
  });
});

describe('job with invalid data', () => {
  it('is rejected without touching any declaration', async () => {
    const { prisma } = testDatabase.database;
    const bytes = await buildDeclarationWorkbook({ requirements: 6, notMetEvery: 2, supplier: 'Väntande AB' });
    const waiting = await storeDeclaration(prisma, bytes, { fileName: 'väntar.xlsx', maxBytes: 1_000_000 });

    const { queue, close } = startQueueWorker({ prisma, ruleSet: loadRuleSet() });
    try {
      // Job data that names no declaration, as a hand-made or older job could contain.
      const job = await queue.add('process-declaration', {} as never);
      await waitUntilSettled(job);
      expect(await job.isFailed()).toBe(true);
      // Let the worker's failure handler run before looking.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const declaration = await prisma.declaration.findUniqueOrThrow({ where: { id: waiting.id } });
      expect(declaration.status).toBe('queued');
      expect(declaration.errorCode).toBeNull();
    } finally {
      await close();
    }
  });
});
