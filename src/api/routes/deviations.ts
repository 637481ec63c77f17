import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { PrismaClient } from '../../generated/prisma/client.ts';
import { addAttachment, addComment, assignOwner, changeStatus, confirmOwner, reportDeviation, WorkflowError } from '../../workflow/index.ts';
import { actorOf, todayFor, type ApiDependencies } from '../dependencies.ts';
import { readDeviationContext } from '../declaration-reads.ts';
import { listDeviations, readAttachment, readDeviation, readDeviationForChange } from '../deviation-reads.ts';
import { HttpError } from '../errors.ts';
import { checkPartyFilter } from '../party-filter.ts';
import { readUploadedFile, sendDownload, sniffAttachmentType } from '../files.ts';
import {
  assignBodySchema,
  commentBodySchema,
  confirmBodySchema,
  createdSchema,
  deviationContextQuerySchema,
  deviationContextSchema,
  deviationDetailSchema,
  deviationListQuerySchema,
  deviationListSchema,
  errorResponses,
  idParamsSchema,
  reportBodySchema,
  transitionBodySchema,
} from '../schemas.ts';

const tags = ['deviations'];

/**
 * Raises the `party` filter's 400 `unknown-party` for the field `partyCode` when no stored party
 * has the code. Its message names the stored code that differs only in case, or else the known codes.
 */
async function checkPartyCode(prisma: PrismaClient, code: string): Promise<void> {
  try {
    await checkPartyFilter(prisma, code);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    throw new HttpError(error.statusCode, error.code, error.message, { fields: [{ field: 'partyCode', message: 'is not a known party code' }] });
  }
}

/** Registers the deviation endpoints. Reads go through deviation-reads.ts, changes through the workflow. */
export const deviationRoutes: FastifyPluginAsyncZod<{ dependencies: ApiDependencies }> = async (app, { dependencies }) => {
  const { prisma } = dependencies;

  app.get('/api/deviations', {
    schema: {
      tags,
      summary: 'List the deviations you may see',
      querystring: deviationListQuerySchema,
      response: { 200: deviationListSchema, ...errorResponses(400, 401) },
    },
    handler: (request) => listDeviations(prisma, actorOf(request), request.query, todayFor(dependencies)),
  });

  app.get('/api/deviations/:id', {
    schema: {
      tags,
      summary: 'Read a deviation with its proposal, owner, comments, attachments and history',
      params: idParamsSchema,
      response: { 200: deviationDetailSchema, ...errorResponses(400, 401, 404) },
    },
    handler: (request) => readDeviation(prisma, actorOf(request), request.params.id, todayFor(dependencies)),
  });

  app.get('/api/deviations/:id/context', {
    schema: {
      tags,
      summary: 'Read the requirement rows around the deviation\'s source row, as the declaration had them',
      params: idParamsSchema,
      querystring: deviationContextQuerySchema,
      response: { 200: deviationContextSchema, ...errorResponses(400, 401, 404) },
    },
    handler: (request) => readDeviationContext(prisma, actorOf(request), request.params.id, request.query.around),
  });

  app.post('/api/deviations', {
    schema: {
      tags,
      summary: 'Report a deviation directly; it enters with status new',
      body: reportBodySchema,
      response: { 201: createdSchema, ...errorResponses(400, 401) },
    },
    handler: async (request, reply) => {
      const { contactName, contactPhone, contactEmail, ...report } = request.body;
      const id = await reportDeviation(dependencies, actorOf(request), {
        ...report,
        contact: { name: contactName, phone: contactPhone, email: contactEmail },
      });
      return reply.code(201).header('location', `/api/deviations/${id}`).send({ id });
    },
  });

  app.post('/api/deviations/:id/confirm', {
    schema: {
      tags,
      summary: "Confirm the rules' proposed owner (administration only)",
      params: idParamsSchema,
      body: confirmBodySchema,
      response: { 200: deviationDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      const deviation = await readDeviationForChange(prisma, actor, request.params.id);
      await confirmOwner(prisma, actor, deviation, request.body?.reason ?? null);
      return readDeviation(prisma, actor, deviation.id, todayFor(dependencies));
    },
  });

  app.post('/api/deviations/:id/assign', {
    schema: {
      tags,
      summary: 'Assign an owner (administration only)',
      params: idParamsSchema,
      body: assignBodySchema,
      response: { 200: deviationDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      const deviation = await readDeviationForChange(prisma, actor, request.params.id);
      try {
        await assignOwner(prisma, actor, deviation, request.body);
      } catch (error) {
        if (error instanceof WorkflowError && error.code === 'unknown-party') await checkPartyCode(prisma, request.body.partyCode);
        throw error;
      }
      return readDeviation(prisma, actor, deviation.id, todayFor(dependencies));
    },
  });

  app.post('/api/deviations/:id/transition', {
    schema: {
      tags,
      summary: 'Change the status (administration only); 409 names the allowed statuses',
      params: idParamsSchema,
      body: transitionBodySchema,
      response: { 200: deviationDetailSchema, ...errorResponses(400, 401, 403, 404, 409) },
    },
    handler: async (request) => {
      const actor = actorOf(request);
      const deviation = await readDeviationForChange(prisma, actor, request.params.id);
      await changeStatus(prisma, actor, deviation, request.body, dependencies.now?.());
      return readDeviation(prisma, actor, deviation.id, todayFor(dependencies));
    },
  });

  app.post('/api/deviations/:id/comments', {
    schema: {
      tags,
      summary: 'Comment on a deviation you can see',
      params: idParamsSchema,
      body: commentBodySchema,
      response: { 201: createdSchema, ...errorResponses(400, 401, 404) },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const deviation = await readDeviationForChange(prisma, actor, request.params.id);
      const id = await addComment(prisma, actor, deviation.id, request.body.body);
      return reply.code(201).send({ id });
    },
  });

  app.post('/api/deviations/:id/attachments', {
    schema: {
      tags,
      summary: 'Attach a screenshot, log or other file to a deviation you can see (multipart, field file)',
      consumes: ['multipart/form-data'],
      params: idParamsSchema,
      response: { 201: createdSchema, ...errorResponses(400, 401, 404, 413, 415) },
    },
    handler: async (request, reply) => {
      const actor = actorOf(request);
      const deviation = await readDeviationForChange(prisma, actor, request.params.id);
      const file = await readUploadedFile(request, dependencies.maxFileBytes);
      if (file.bytes.byteLength === 0) {
        throw new HttpError(400, 'empty-file', `The file '${file.fileName}' is empty (0 bytes). Attach the file again with its content.`);
      }
      const mediaType = sniffAttachmentType(file.bytes);
      if (!mediaType) {
        throw new HttpError(
          415,
          'unsupported-file-type',
          `The file '${file.fileName}' is not an accepted attachment. Attach PNG, JPEG, GIF or WebP images, PDF, Office or ZIP files, or UTF-8 text such as logs.`,
        );
      }
      const id = await addAttachment(prisma, actor, deviation.id, { fileName: file.fileName, mediaType, bytes: file.bytes });
      return reply.code(201).header('location', `/api/attachments/${id}`).send({ id });
    },
  });

  app.get('/api/attachments/:id', {
    schema: {
      tags,
      summary: "Download an attachment of a deviation you can see",
      produces: ['application/octet-stream'],
      params: idParamsSchema,
      response: errorResponses(400, 401, 404),
    },
    handler: async (request, reply) => sendDownload(reply, await readAttachment(prisma, actorOf(request), request.params.id)),
  });
};
