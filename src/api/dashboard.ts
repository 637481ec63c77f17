/**
 * The BullMQ queue dashboard (bull-board) at /admin/queues, for the administration only. Every
 * request carries the token, as a Bearer header or as the password of HTTP Basic. A browser prompts
 * for Basic credentials once and resends them with each request, so no cookie or session is used.
 */
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from './auth.ts';
import type { ApiDependencies } from './dependencies.ts';
import { errorBody, HttpError, toHttpError } from './errors.ts';

export const DASHBOARD_PATH = '/admin/queues';

export async function registerDashboard(app: FastifyInstance, dependencies: ApiDependencies): Promise<void> {
  await app.register(async (scope) => {
    // The hook sends the error response itself instead of throwing, because bull-board installs its own error handler.
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        const actor = await authenticate(dependencies.prisma, request.headers.authorization, { allowBasic: true });
        if (actor.role !== 'administration') {
          throw new HttpError(403, 'administration-only', `The queue dashboard is for the administration; your role is ${actor.role}.`);
        }
        request.actor = actor;
      } catch (error) {
        const httpError = toHttpError(error);
        return reply.code(httpError.statusCode).headers(httpError.headers).send(errorBody(httpError, request.id));
      }
    });

    if (!dependencies.queue) {
      scope.get(DASHBOARD_PATH, { schema: { hide: true } }, async (request, reply) => {
        const unavailable = new HttpError(404, 'dashboard-unavailable', 'The queue dashboard needs REDIS_URL; without it declarations are processed in the server process.');
        return reply.code(404).send(errorBody(unavailable, request.id));
      });
      return;
    }

    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: [new BullMQAdapter(dependencies.queue, { readOnlyMode: false })],
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Avvik queue' } },
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });
}
