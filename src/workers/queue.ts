import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { describeRedisUrl } from '../config.ts';
import { isDeclarationFileError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { markFailed, processDeclaration, STAGES, type DeclarationOutcome, type ProcessorContext } from './process-declaration.ts';

/** How long a job runs before it reports the stage it has reached as job progress. */
export const PROGRESS_AFTER_MS = 100;

/** The only job type on the declaration queue. */
export const PROCESS_DECLARATION = 'process-declaration';

const jobDataSchema = z.object({ declarationId: z.uuid() });
export type DeclarationJobData = z.infer<typeof jobDataSchema>;

/** Derives the job id from the declaration, so adding the same declaration twice finds the existing job. */
export function declarationJobId(declarationId: string): string {
  return `declaration-${declarationId}`;
}

/**
 * Opens a Redis connection as BullMQ needs it: blocking commands wait for Redis to come back
 * rather than fail. An outage is logged once when it starts and once when it ends.
 */
export function connectRedis(redisUrl: string, log?: Logger): Redis {
  const connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  let unreachable = false;
  connection.on('error', (error: Error) => {
    if (unreachable) return;
    unreachable = true;
    log?.warn({ redis: describeRedisUrl(redisUrl), err: error }, 'Redis is unreachable; retrying until it answers');
  });
  connection.on('ready', () => {
    if (!unreachable) return;
    unreachable = false;
    log?.info({ redis: describeRedisUrl(redisUrl) }, 'Redis is reachable again');
  });
  return connection;
}

export interface QueueOptions {
  connection: Redis;
  queueName: string;
  attempts: number;
  retryDelayMs: number;
}

export function createDeclarationQueue(options: QueueOptions): Queue<DeclarationJobData> {
  const queue = new Queue<DeclarationJobData>(options.queueName, {
    connection: options.connection,
    defaultJobOptions: {
      attempts: options.attempts,
      backoff: { type: 'exponential', delay: options.retryDelayMs },
      removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
      removeOnFail: { age: 30 * 24 * 3600 },
    },
  });
  // The connection's own listener logs outages; without a listener here, BullMQ prints every
  // failed reconnect to the console.
  queue.on('error', () => {});
  return queue;
}

/**
 * Queues a declaration unless its job is already waiting or running. A job that failed
 * (for instance because PostgreSQL was away for all its attempts) is retried.
 */
export async function enqueueDeclaration(
  queue: Queue<DeclarationJobData>,
  declarationId: string,
): Promise<'added' | 'retried' | 'exists'> {
  const jobId = declarationJobId(declarationId);
  const existing = await queue.getJob(jobId);
  if (existing) {
    const state = await existing.getState();
    if (state === 'failed') {
      await existing.retry('failed');
      return 'retried';
    }
    if (state === 'completed') await existing.remove();
    else return 'exists';
  }
  await queue.add(PROCESS_DECLARATION, { declarationId }, { jobId });
  return 'added';
}

export interface WorkerOptions {
  connection: Redis;
  queueName: string;
  concurrency: number;
  /** How long a job's lock lasts without renewal; a killed worker's job is taken over after it. */
  lockDurationMs?: number;
  context: Omit<ProcessorContext, 'onStage' | 'log'>;
  log: Logger;
}

/** Starts a BullMQ worker that processes declarations. */
export function startDeclarationWorker(options: WorkerOptions): Worker<DeclarationJobData, DeclarationOutcome> {
  const { log } = options;
  const worker = new Worker<DeclarationJobData, DeclarationOutcome>(
    options.queueName,
    (job) => handleProcessDeclaration(job, options),
    {
      connection: options.connection,
      concurrency: options.concurrency,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: Math.max(1_000, Math.floor((options.lockDurationMs ?? 30_000) / 2)),
      autorun: true,
    },
  );

  worker.on('failed', (job, error) => {
    if (!job) return;
    const fields = { jobId: job.id, declarationId: job.data.declarationId, queue: options.queueName, attempt: job.attemptsMade };
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    if (error instanceof UnrecoverableError) {
      log.warn({ ...fields, err: error }, 'declaration rejected');
      void recordRejected(options, job, error, log);
    } else if (exhausted) {
      log.error({ ...fields, err: error }, 'declaration failed after the last attempt');
      void recordExhausted(options, job, error, log);
    } else {
      log.warn({ ...fields, err: error }, 'declaration attempt failed; it will be retried');
    }
  });
  worker.on('error', (error) => log.error({ err: error, queue: options.queueName }, 'worker error'));
  worker.on('stalled', (jobId) => log.warn({ jobId, queue: options.queueName }, 'job stalled; another worker takes it over'));
  return worker;
}

async function handleProcessDeclaration(
  job: Job<DeclarationJobData>,
  options: WorkerOptions,
): Promise<DeclarationOutcome> {
  if (job.name !== PROCESS_DECLARATION) {
    throw new UnrecoverableError(`No handler for job type ${job.name}; expected ${PROCESS_DECLARATION}.`);
  }
  const data = jobDataSchema.safeParse(job.data);
  if (!data.success) throw new UnrecoverableError(`Invalid job data for ${job.id}: ${data.error.message}`);

  const { declarationId } = data.data;
  const log = options.log.child({ jobId: job.id, declarationId, queue: options.queueName, attempt: job.attemptsMade + 1 });
  log.info('processing declaration');
  const started = Date.now();
  try {
    const outcome = await processDeclaration(
      {
        ...options.context,
        log,
        // A typical declaration is done in a few tens of milliseconds, before anyone could watch
        // its stages, and reporting each stage to Redis cost a sixth of a worker's time.
        onStage: async (stage) => {
          if (Date.now() - started < PROGRESS_AFTER_MS) return;
          await job.updateProgress({ stage, step: STAGES.indexOf(stage) + 1, of: STAGES.length });
        },
      },
      declarationId,
    );
    log.info({ outcome: outcome.status }, 'declaration processed');
    return outcome;
  } catch (error) {
    // A file that cannot be read fails the same way on every attempt.
    if (isDeclarationFileError(error)) throw new UnrecoverableError(`${error.code}: ${error.message}`);
    throw error;
  }
}

/**
 * Marks a declaration failed when BullMQ rejected its job without the processor doing so. A file
 * error has marked the declaration failed already, and the update leaves it as it is. BullMQ's
 * own rejections have not: a job whose worker was killed more often than the stalled-job limit
 * allows is failed with "job stalled more than allowable limit" when the next worker picks it
 * up, and the declaration would stay `processing` for good.
 */
async function recordRejected(options: WorkerOptions, job: Job<DeclarationJobData>, error: Error, log: Logger) {
  // A job with invalid data names no declaration to mark.
  const data = jobDataSchema.safeParse(job.data);
  if (!data.success) return;
  try {
    await markFailed(
      options.context.prisma,
      data.data.declarationId,
      {
        code: 'processing-failed',
        message:
          `Processing stopped: ${error.message}. The workers processing it stopped before they finished, more often than ` +
          'the queue retries. Ingest or upload the file again to retry; a very large file may need more memory per worker.',
      },
      true,
    );
  } catch (markError) {
    log.error({ err: markError, declarationId: job.data.declarationId }, 'could not record the failure');
  }
}

async function recordExhausted(options: WorkerOptions, job: Job<DeclarationJobData>, error: Error, log: Logger) {
  try {
    await markFailed(options.context.prisma, job.data.declarationId, {
      code: 'processing-failed',
      message:
        `Processing failed after ${job.attemptsMade} attempts: ${error.message}. ` +
        'Check that PostgreSQL and Redis are reachable, then ingest the file again to retry.',
    });
  } catch (markError) {
    log.error({ err: markError, declarationId: job.data.declarationId }, 'could not record the failure');
  }
}
