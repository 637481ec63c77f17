import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { actorOf, todayFor, type ApiDependencies } from '../dependencies.ts';
import { listDeclarations, readDeclaration, readDeclarationFile } from '../declaration-reads.ts';
import { readUploadedFile, sendDownload } from '../files.ts';
import {
  acceptedUploadSchema,
  declarationDetailSchema,
  declarationListQuerySchema,
  declarationListSchema,
  errorResponses,
  idParamsSchema,
} from '../schemas.ts';
import { acceptDeclaration } from '../uploads.ts';

const tags = ['declarations'];

/** Registers the declaration endpoints: upload, status and result, original file. */
export const declarationRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  const { prisma } = dependencies;

  app.post('/api/declarations', {
    schema: {
      tags,
      summary: 'Upload a declaration (.xlsx or .pdf, multipart, field file); it is processed in the background',
      consumes: ['multipart/form-data'],
      response: { 202: acceptedUploadSchema, ...errorResponses(400, 401, 403, 409, 413, 415, 503) },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const file = await readUploadedFile(request, dependencies.maxFileBytes);
      const accepted = await acceptDeclaration(
        { prisma, scheduler: dependencies.scheduler, maxBytes: dependencies.maxFileBytes, log: request.log },
        actor,
        file,
      );
      return reply.code(202).header('location', `/api/declarations/${accepted.id}`).send(accepted);
    },
  });

  app.get('/api/declarations', {
    schema: {
      tags,
      summary: 'List the declarations you may see, newest first',
      querystring: declarationListQuerySchema,
      response: { 200: declarationListSchema, ...errorResponses(400, 401) },
    },
    handler: (request) => listDeclarations(prisma, actorOf(request), request.query),
  });

  app.get('/api/declarations/:id', {
    schema: {
      tags,
      summary: 'Read a declaration: status, error, cover facts, counts, parse report and the deviations you may see',
      params: idParamsSchema,
      response: { 200: declarationDetailSchema, ...errorResponses(400, 401, 404) },
    },
    handler: (request) => readDeclaration(prisma, actorOf(request), request.params.id, todayFor(dependencies)),
  });

  app.get('/api/declarations/:id/file', {
    schema: {
      tags,
      summary: 'Download the original file',
      produces: ['application/octet-stream'],
      params: idParamsSchema,
      response: errorResponses(400, 401, 403, 404),
    },
    handler: async (request, reply) => sendDownload(reply, await readDeclarationFile(prisma, actorOf(request), request.params.id)),
  });
};
