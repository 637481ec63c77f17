import { describeRedisUrl } from '../config.ts';
import { openAppContext } from './context.ts';

export interface ServeOptions {
  port: number;
  host: string;
  withWorker: boolean;
}

/** Runs the HTTP API until SIGINT or SIGTERM, then finishes running requests and jobs and exits. */
export async function runServe(options: ServeOptions): Promise<void> {
  const context = await openAppContext();
  const { config, log } = context;
  let runtime;
  try {
    // Only this command loads the HTTP server's modules: they add about 38 MB to a process (measured
    // on Node.js 20), which the worker and the other commands do not need.
    const { startApiRuntime } = await import('../api/runtime.ts');
    runtime = await startApiRuntime(context, { withWorker: options.withWorker });
    await runtime.app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await runtime?.close();
    await context.close();
    throw error;
  }
  log.info(
    {
      address: `http://${options.host}:${options.port}`,
      database: context.database.location,
      processing: runtime.mode,
      redis: config.REDIS_URL ? describeRedisUrl(config.REDIS_URL) : null,
      queue: config.REDIS_URL ? config.AVVIK_QUEUE : null,
      worker: runtime.worker !== null,
    },
    'API server started',
  );

  await new Promise<void>((resolve) => {
    const stop = async (signal: string) => {
      log.info({ signal }, 'API server stopping after running requests and jobs');
      await runtime.close();
      await context.close();
      log.info('API server stopped');
      resolve();
    };
    process.once('SIGINT', (signal) => void stop(signal));
    process.once('SIGTERM', (signal) => void stop(signal));
  });
}
