import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { EXPORT_FORMATS, MEDIA_TYPES, prepareExport, writeExport } from '../../export/export.ts';
import { filterQuerySchema } from '../../export/filters.ts';
import { actorOf, todayFor, type ApiDependencies } from '../dependencies.ts';
import { describeErrorForLog } from '../errors.ts';
import { errorResponses } from '../schemas.ts';

const exportQuerySchema = filterQuerySchema.extend({
  format: z
    .enum(EXPORT_FORMATS, { error: (issue) => (issue.input === undefined ? 'is required' : `must be one of ${EXPORT_FORMATS.join(', ')}`) })
    .default('csv')
    .describe('csv (UTF-8, comma-separated) or xlsx; csv by default'),
});

const PAGING_NOT_APPLICABLE = 'does not apply, because an export has no pages and returns every matching deviation';

/**
 * Registers GET /api/deviations/export. The rows' condition is built first, so an invalid or too
 * broad search gets a JSON error. The file then streams while the deviations are read, so the
 * status 200 is sent before the last row. A database failure midway cuts the download short and
 * is logged with the request id.
 */
export const exportRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  app.get('/api/deviations/export', {
    schema: {
      tags: ['deviations'],
      summary: 'Download the deviations you may see as CSV or XLSX, with the filters of GET /api/deviations',
      produces: Object.values(MEDIA_TYPES),
      querystring: exportQuerySchema,
      response: errorResponses(400, 401),
    },
    config: {
      unknownFieldReasons: {
        limit: PAGING_NOT_APPLICABLE,
        offset: PAGING_NOT_APPLICABLE,
        sort: "does not apply, because an export keeps the list's default order, newest first and in row order within one declaration",
      },
    },
    handler: async (request, reply) => {
      const { format, ...query } = request.query;
      const today = todayFor(dependencies);
      const prepared = await prepareExport(dependencies.prisma, { actor: actorOf(request), query, today, format });
      const body = new PassThrough();
      // A client that disconnects would otherwise leave the export waiting for the body to drain.
      reply.raw.once('close', () => {
        if (!body.writableFinished) body.destroy(new Error('The client closed the connection before the export ended.'));
      });
      writeExport(dependencies.prisma, prepared, body).catch((error: unknown) => {
        request.log.error({ requestId: request.id, route: request.routeOptions.url, err: describeErrorForLog(error) }, 'export failed');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      });
      // The response schemas describe JSON errors only, so the file goes out through the untyped reply.
      const download: FastifyReply = reply;
      return download
        .header('content-type', MEDIA_TYPES[format])
        .header('content-disposition', `attachment; filename="avvik-deviations-${today}.${format}"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  });
};
