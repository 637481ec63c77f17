import type { FastifyBaseLogger } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiDependencies } from '../dependencies.ts';
import { describeErrorForLog } from '../errors.ts';

const CHECK_TIMEOUT_MS = 2_000;

const checkSchema = z.object({
  status: z.enum(['ok', 'failed', 'not-configured']),
  message: z.string().optional(),
});
const readinessSchema = z.object({
  status: z.enum(['ready', 'not-ready']),
  checks: z.object({ database: checkSchema, redis: checkSchema }),
});
type Check = z.output<typeof checkSchema>;

/** Registers the liveness and readiness checks, which need no token, for load balancers and orchestrators. */
export const healthRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  app.get('/health', {
    schema: {
      tags: ['health'],
      summary: 'Liveness: the process answers',
      security: [],
      response: { 200: z.object({ status: z.literal('ok') }) },
    },
    handler: async () => ({ status: 'ok' as const }),
  });

  app.get('/ready', {
    schema: {
      tags: ['health'],
      summary: 'Readiness: the database and, when configured, Redis answer within 2 s',
      security: [],
      response: { 200: readinessSchema, 503: readinessSchema },
    },
    handler: async (request, reply) => {
      const [database, redis] = await Promise.all([
        runCheck('database', dependencies.locations.database, () => dependencies.prisma.$queryRaw`SELECT 1`, request.log),
        dependencies.redis
          ? runCheck('redis', dependencies.locations.redis ?? 'redis', () => dependencies.redis!.ping(), request.log)
          : Promise.resolve<Check>({ status: 'not-configured', message: 'REDIS_URL is not set; declarations are processed in the server process' }),
      ]);
      const ready = database.status === 'ok' && redis.status !== 'failed';
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not-ready', checks: { database, redis } });
    },
  });
};

async function runCheck(name: string, location: string, probe: () => Promise<unknown>, log: FastifyBaseLogger): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok' };
  } catch (error) {
    log.warn({ check: name, location, err: describeErrorForLog(error) }, 'readiness check failed');
    const reason = error instanceof Error && error.message.startsWith('timed out') ? error.message : 'the query failed';
    return { status: 'failed', message: `${name} at ${location}: ${reason}` };
  } finally {
    clearTimeout(timer);
  }
}
