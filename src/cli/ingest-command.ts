import path from 'node:path';
import type { Queue } from 'bullmq';
import { describeRedisUrl } from '../config.ts';
import { loadDeclarationResult, type DeclarationResult } from '../declarations/result.ts';
import { isDeclarationFileError } from '../errors.ts';
import { storeDeclaration } from '../ingest/intake.ts';
import { markFailed, processDeclaration } from '../workers/process-declaration.ts';
import { connectRedis, createDeclarationQueue, enqueueDeclaration, type DeclarationJobData } from '../workers/queue.ts';
import type { AppContext } from './context.ts';
import { readDeclarationFile } from './read-errors.ts';

const POLL_INTERVAL_MS = 250;
const NO_WORKER_NOTICE_AFTER_MS = 3_000;
const NO_WORKER_CHECK_INTERVAL_MS = 1_000;
const PROGRESS_INTERVAL_MS = 10_000;

export interface Intake {
  file: string;
  declarationId: string | null;
  /** False when the same bytes were stored before. */
  created: boolean;
  /** Set when the file could not even be read from disk. */
  readError?: { code: string; message: string };
  needsProcessing: boolean;
}

/** Stores each file, has it processed by the queue or in this process, and returns the results. */
export interface IngestOptions {
  /** Process again the stored declarations of these files whose processing failed. */
  retryFailed: boolean;
}

export async function ingestFiles(
  context: AppContext,
  files: string[],
  options: IngestOptions = { retryFailed: false },
): Promise<DeclarationResult[]> {
  const intakes: Intake[] = [];
  for (const file of files) intakes.push(await intakeFile(context, file, options));

  const pending = intakes.filter((intake) => intake.needsProcessing).map((intake) => intake.declarationId!);
  if (pending.length > 0) {
    if (context.config.REDIS_URL) await processThroughQueue(context, pending);
    else await processInProcess(context, pending);
  }

  const results: DeclarationResult[] = [];
  for (const intake of intakes) {
    if (!intake.declarationId) {
      results.push(unreadableResult(intake));
      continue;
    }
    results.push(await loadDeclarationResult(context.database.prisma, intake.declarationId, intake.file));
  }
  return results;
}

/** Stores one file and reports whether its declaration still has to be processed. */
export async function intakeFile(
  context: AppContext,
  file: string,
  options: IngestOptions = { retryFailed: false },
): Promise<Intake> {
  const read = await readDeclarationFile(file, context.config.AVVIK_MAX_FILE_BYTES);
  if ('error' in read) return { file, declarationId: null, created: false, needsProcessing: false, readError: read.error };
  const { bytes } = read;

  const stored = await storeDeclaration(context.database.prisma, bytes, {
    fileName: path.basename(file),
    maxBytes: context.config.AVVIK_MAX_FILE_BYTES,
  });
  const log = context.log.child({ declarationId: stored.id, file: path.basename(file) });
  if (stored.created) log.info({ sizeBytes: bytes.byteLength }, 'declaration stored');
  else log.warn({ status: stored.status }, 'same file already stored; using that declaration');

  if (options.retryFailed && stored.status === 'failed') await requeueFailed(context, stored.id);
  const needsProcessing =
    stored.status === 'queued' ||
    stored.status === 'processing' ||
    (options.retryFailed && stored.status === 'failed') ||
    (await failedTransiently(context, stored.id));
  return { file, declarationId: stored.id, created: stored.created, needsProcessing };
}

/** Clears a failed declaration's error so that it is processed again; its file was kept. */
async function requeueFailed(context: AppContext, declarationId: string): Promise<void> {
  await context.database.prisma.declaration.update({
    where: { id: declarationId },
    data: { status: 'queued', errorCode: null, errorMessage: null },
  });
  context.log.info({ declarationId }, 'failed declaration queued again');
}

/** Tells whether processing failed for a reason outside the file, so another try may succeed. */
async function failedTransiently(context: AppContext, declarationId: string): Promise<boolean> {
  const declaration = await context.database.prisma.declaration.findUniqueOrThrow({
    where: { id: declarationId },
    select: { status: true, errorCode: true },
  });
  return declaration.status === 'failed' && declaration.errorCode === 'processing-failed';
}

async function processInProcess(context: AppContext, declarationIds: string[]): Promise<void> {
  context.log.info({ declarations: declarationIds.length }, 'REDIS_URL is not set; processing in this process without a queue');
  for (const declarationId of declarationIds) await processOneInProcess(context, declarationId);
}

/**
 * Processes one stored declaration in this process, retrying failures outside the file.
 * Every outcome ends in the database, so the caller reads the result from there.
 */
export async function processOneInProcess(context: AppContext, declarationId: string): Promise<void> {
  const log = context.log.child({ declarationId });
  try {
    const outcome = await processWithRetries(context, declarationId);
    log.info({ outcome: outcome.status }, 'declaration processed');
  } catch (error) {
    if (isDeclarationFileError(error)) {
      log.warn({ code: error.code }, 'declaration rejected');
      return;
    }
    log.error({ err: error }, 'declaration failed');
    await markFailed(context.database.prisma, declarationId, {
      code: 'processing-failed',
      message: `Processing failed: ${(error as Error).message}. Ingest the file again to retry.`,
    });
  }
}

async function processWithRetries(context: AppContext, declarationId: string) {
  const attempts = context.config.AVVIK_JOB_ATTEMPTS;
  for (let attempt = 1; ; attempt++) {
    try {
      return await processDeclaration(
        { ...context, prisma: context.database.prisma, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
        declarationId,
      );
    } catch (error) {
      if (isDeclarationFileError(error) || attempt >= attempts) throw error;
      const delay = context.config.AVVIK_RETRY_DELAY_MS * 2 ** (attempt - 1);
      context.log.warn({ declarationId, attempt, delayMs: delay, err: error }, 'attempt failed; retrying');
      await sleep(delay);
    }
  }
}

async function processThroughQueue(context: AppContext, declarationIds: string[]): Promise<void> {
  const opened = await openDeclarationQueue(context);
  try {
    for (const declarationId of declarationIds) {
      const result = await enqueueDeclaration(opened.queue, declarationId);
      context.log.info({ declarationId, queue: opened.queue.name, job: result }, 'declaration queued');
    }
    await waitForDeclarations(context, opened.queue, declarationIds);
  } finally {
    await opened.close();
  }
}

export interface OpenedQueue {
  queue: Queue<DeclarationJobData>;
  close(): Promise<void>;
}

/**
 * Opens the declaration queue on REDIS_URL and checks that Redis answers, so that an unreachable
 * Redis stops the command with a message instead of an endless wait.
 */
export async function openDeclarationQueue(context: AppContext): Promise<OpenedQueue> {
  const redisUrl = context.config.REDIS_URL!;
  const connection = connectRedis(redisUrl, context.log);
  const queue = createDeclarationQueue({
    connection,
    queueName: context.config.AVVIK_QUEUE,
    attempts: context.config.AVVIK_JOB_ATTEMPTS,
    retryDelayMs: context.config.AVVIK_RETRY_DELAY_MS,
  });
  const close = async () => {
    await queue.close();
    connection.disconnect();
  };
  try {
    await checkRedisReachable(connection, redisUrl);
  } catch (error) {
    await close();
    throw error;
  }
  return { queue, close };
}

/** Waits until every declaration is parsed or failed, saying once if no worker is listening. */
async function waitForDeclarations(context: AppContext, queue: Queue<DeclarationJobData>, declarationIds: string[]): Promise<void> {
  const noWorkerNotice = createNoWorkerNotice(context, queue);
  let lastProgressAt = Date.now();
  for (;;) {
    const open = await context.database.prisma.declaration.count({
      where: { id: { in: declarationIds }, status: { in: ['queued', 'processing'] } },
    });
    if (open === 0) return;

    if (Date.now() - lastProgressAt >= PROGRESS_INTERVAL_MS) {
      context.log.info({ done: declarationIds.length - open, total: declarationIds.length }, 'waiting for declarations');
      lastProgressAt = Date.now();
    }

    await noWorkerNotice.check(open);
    await sleep(POLL_INTERVAL_MS);
  }
}

export interface NoWorkerNotice {
  /** Logs the notice once, when declarations have waited long enough and no worker listens. */
  check(waiting: number): Promise<void>;
}

/**
 * Creates the check that warns once when declarations wait on the queue and no worker listens
 * on it, so that a command waiting for workers logs why it does not finish. The first
 * NO_WORKER_NOTICE_AFTER_MS after creation are left for a worker that is still starting.
 */
export function createNoWorkerNotice(context: AppContext, queue: Queue<DeclarationJobData>): NoWorkerNotice {
  const started = Date.now();
  let lastCheckAt = 0;
  let noticeLogged = false;
  return {
    async check(waiting: number) {
      if (noticeLogged || waiting === 0 || Date.now() - started <= NO_WORKER_NOTICE_AFTER_MS) return;
      // getWorkersCount reads Redis's whole CLIENT LIST, so it runs at most once per interval.
      if (Date.now() - lastCheckAt < NO_WORKER_CHECK_INTERVAL_MS) return;
      lastCheckAt = Date.now();
      if ((await queue.getWorkersCount()) > 0) return;
      context.log.warn(
        { queue: queue.name, redis: describeRedisUrl(context.config.REDIS_URL!), waiting },
        'no worker is listening on the queue; start one with `avvik worker` (still waiting)',
      );
      noticeLogged = true;
    },
  };
}

const REDIS_CHECK_TIMEOUT_MS = 10_000;

/** Rejects with a message naming Redis and the fix when Redis sends no reply in time. */
async function checkRedisReachable(connection: ReturnType<typeof connectRedis>, redisUrl: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(
        new Error(
          `Redis at ${describeRedisUrl(redisUrl)} did not reply within ${REDIS_CHECK_TIMEOUT_MS / 1000} s. ` +
            'Start Redis, or unset REDIS_URL to process files in this process. The files are stored; ' +
            'ingest them again to queue them.',
        ),
      );
    }, REDIS_CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([connection.ping(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function unreadableResult(intake: Intake): DeclarationResult {
  return {
    file: intake.file,
    declarationId: null,
    status: 'failed',
    error: intake.readError!,
    cover: null,
    requirements: null,
    warnings: [],
    deviations: [],
  };
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
