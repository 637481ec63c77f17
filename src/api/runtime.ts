/**
 * Starts the API with what it depends on: the queue and, on request, a worker in the same
 * process when REDIS_URL is set, or in-process processing when it is not.
 */
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { AppContext } from '../cli/context.ts';
import { describeRedisUrl } from '../config.ts';
import { connectRedis, createDeclarationQueue, startDeclarationWorker } from '../workers/queue.ts';
import { createInProcessScheduler, createQueueScheduler } from './scheduler.ts';
import { buildApiServer, type ApiServer } from './server.ts';

export interface ApiRuntimeOptions {
  /** Also run a BullMQ worker in this process. Needs REDIS_URL. */
  withWorker: boolean;
  /** The clock; tests replace it to make due dates pass. */
  now?: () => Date;
}

export interface ApiRuntime {
  app: ApiServer;
  mode: 'queue' | 'in-process';
  worker: Worker | null;
  /** Stops taking requests, lets running requests and in-process declarations finish, and closes the queue. The context stays open. */
  close(): Promise<void>;
}

export async function startApiRuntime(context: AppContext, options: ApiRuntimeOptions): Promise<ApiRuntime> {
  const { config, log } = context;
  if (options.withWorker && !config.REDIS_URL) {
    throw new Error('--with-worker needs REDIS_URL, because the worker takes declarations from the queue. Without REDIS_URL the server processes uploads itself.');
  }

  const processor = { prisma: context.database.prisma, ruleSet: context.ruleSet, parties: context.parties, log, maxBytes: config.AVVIK_MAX_FILE_BYTES };
  const connections: Redis[] = [];
  let queue = null;
  let worker: Worker | null = null;
  if (config.REDIS_URL) {
    const queueConnection = connectRedis(config.REDIS_URL, log);
    connections.push(queueConnection);
    queue = createDeclarationQueue({
      connection: queueConnection,
      queueName: config.AVVIK_QUEUE,
      attempts: config.AVVIK_JOB_ATTEMPTS,
      retryDelayMs: config.AVVIK_RETRY_DELAY_MS,
    });
    if (options.withWorker) {
      const workerConnection = connectRedis(config.REDIS_URL, log);
      connections.push(workerConnection);
      worker = startDeclarationWorker({
        connection: workerConnection,
        queueName: config.AVVIK_QUEUE,
        concurrency: config.AVVIK_WORKER_CONCURRENCY,
        lockDurationMs: config.AVVIK_LOCK_DURATION_MS,
        context: processor,
        log,
      });
    }
  }

  const scheduler = queue
    ? createQueueScheduler(queue, log)
    : createInProcessScheduler({ processor, attempts: config.AVVIK_JOB_ATTEMPTS, retryDelayMs: config.AVVIK_RETRY_DELAY_MS });
  const app = await buildApiServer({
    prisma: context.database.prisma,
    log,
    parties: context.parties,
    ruleSet: context.ruleSet,
    maxFileBytes: config.AVVIK_MAX_FILE_BYTES,
    rateLimitPerMinute: config.AVVIK_RATE_LIMIT_PER_MINUTE,
    scheduler,
    queue,
    redis: connections[0] ?? null,
    locations: { database: context.database.location, redis: config.REDIS_URL ? describeRedisUrl(config.REDIS_URL) : null },
    now: options.now,
  });

  return {
    app,
    mode: scheduler.mode,
    worker,
    close: async () => {
      await app.close();
      await scheduler.close();
      await worker?.close();
      await queue?.close();
      for (const connection of connections) connection.disconnect();
    },
  };
}
