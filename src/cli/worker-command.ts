import { describeRedisUrl } from '../config.ts';
import { connectRedis, startDeclarationWorker } from '../workers/queue.ts';
import { openAppContext } from './context.ts';

/** Runs a worker until SIGINT or SIGTERM, then lets running jobs finish and exits. */
export async function runWorker(concurrencyOption: number | undefined): Promise<void> {
  const context = await openAppContext();
  const { config, log } = context;
  if (!config.REDIS_URL) {
    await context.close();
    throw new Error('REDIS_URL is not set, so there is no queue to work on. Set REDIS_URL and DATABASE_URL, or use `avvik ingest` alone to process files in-process.');
  }

  const connection = connectRedis(config.REDIS_URL, log);
  const concurrency = concurrencyOption ?? config.AVVIK_WORKER_CONCURRENCY;
  const worker = startDeclarationWorker({
    connection,
    queueName: config.AVVIK_QUEUE,
    concurrency,
    lockDurationMs: config.AVVIK_LOCK_DURATION_MS,
    context: {
      prisma: context.database.prisma,
      ruleSet: context.ruleSet,
      parties: context.parties,
      maxBytes: config.AVVIK_MAX_FILE_BYTES,
    },
    log,
  });
  log.info({ queue: config.AVVIK_QUEUE, redis: describeRedisUrl(config.REDIS_URL), database: context.database.location, concurrency }, 'worker started');

  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      log.info({ signal }, 'worker stopping after running jobs');
      await worker.close();
      connection.disconnect();
      await context.close();
      log.info('worker stopped');
      resolve();
    };
    process.once('SIGINT', (signal) => void stop(signal));
    process.once('SIGTERM', (signal) => void stop(signal));
  });
}
