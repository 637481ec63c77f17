/**
 * Hands stored declarations to processing: to the BullMQ queue when REDIS_URL is set, otherwise
 * to a background loop in the server process that handles one declaration at a time.
 */
import type { Queue } from 'bullmq';
import { isDeclarationFileError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { markFailed, processDeclaration, type ProcessorContext } from '../workers/process-declaration.ts';
import { enqueueDeclaration, type DeclarationJobData } from '../workers/queue.ts';
import { describeErrorForLog, HttpError } from './errors.ts';

export interface DeclarationScheduler {
  readonly mode: 'queue' | 'in-process';
  schedule(declarationId: string): Promise<void>;
  /** Stops taking declarations and waits for the ones being processed in this process. */
  close(): Promise<void>;
}

const ENQUEUE_TIMEOUT_MS = 5_000;

export function createQueueScheduler(queue: Queue<DeclarationJobData>, log: Logger): DeclarationScheduler {
  return {
    mode: 'queue',
    async schedule(declarationId) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timed out')), ENQUEUE_TIMEOUT_MS);
      });
      try {
        const result = await Promise.race([enqueueDeclaration(queue, declarationId), timeout]);
        log.info({ declarationId, queue: queue.name, job: result }, 'declaration queued');
      } catch (error) {
        log.error({ declarationId, queue: queue.name, err: describeErrorForLog(error) }, 'declaration could not be queued');
        throw new HttpError(
          503,
          'queue-unavailable',
          `The file is stored as declaration ${declarationId}, but the queue did not accept it within ${ENQUEUE_TIMEOUT_MS / 1000} s. ` +
            'Upload the same file again when Redis is reachable; the stored declaration is then queued.',
        );
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => {},
  };
}

export interface InProcessOptions {
  processor: Omit<ProcessorContext, 'onStage'>;
  attempts: number;
  retryDelayMs: number;
}

export function createInProcessScheduler(options: InProcessOptions): DeclarationScheduler {
  const { log } = options.processor;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  return {
    mode: 'in-process',
    async schedule(declarationId) {
      if (closed) throw new HttpError(503, 'shutting-down', 'The server is shutting down; upload the file again in a moment.');
      log.info({ declarationId }, 'declaration scheduled in the server process, because REDIS_URL is not set');
      chain = chain.then(() => processInBackground(options, declarationId));
    },
    async close() {
      closed = true;
      await chain;
    },
  };
}

/** Processes one declaration with the same retries as a queue job. Catches every error and stores the outcome, so later declarations still run. */
async function processInBackground(options: InProcessOptions, declarationId: string): Promise<void> {
  const log = options.processor.log.child({ declarationId });
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await processDeclaration(options.processor, declarationId);
      log.info({ outcome: outcome.status }, 'declaration processed');
      return;
    } catch (error) {
      if (isDeclarationFileError(error)) {
        log.warn({ code: error.code }, 'declaration rejected');
        return;
      }
      if (attempt < options.attempts) {
        const delayMs = options.retryDelayMs * 2 ** (attempt - 1);
        log.warn({ attempt, delayMs, err: describeErrorForLog(error) }, 'attempt failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        continue;
      }
      log.error({ attempt, err: describeErrorForLog(error) }, 'declaration failed after the last attempt');
      await recordFailure(options, declarationId, error as Error, log);
      return;
    }
  }
}

async function recordFailure(options: InProcessOptions, declarationId: string, error: Error, log: Logger) {
  try {
    await markFailed(options.processor.prisma, declarationId, {
      code: 'processing-failed',
      message: `Processing failed after ${options.attempts} attempts: ${error.message}. Upload the file again to retry.`,
    });
  } catch (markError) {
    log.error({ err: describeErrorForLog(markError) }, 'could not record the failure');
  }
}
