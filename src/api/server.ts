/** Builds the Fastify application: validation, OpenAPI, authentication, routes and error handling. */
import { createHash, randomUUID } from 'node:crypto';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { authenticate } from './auth.ts';
import { DASHBOARD_PATH, registerDashboard } from './dashboard.ts';
import type { ApiDependencies } from './dependencies.ts';
import { charsetOf, errorBody, handleError, HttpError, mediaTypeOf, unsupportedCharset, unsupportedMediaType } from './errors.ts';
import { declarationRoutes } from './routes/declarations.ts';
import { deviationRoutes } from './routes/deviations.ts';
import { exportRoutes } from './routes/export.ts';
import { followupRoutes } from './routes/followup.ts';
import { healthRoutes } from './routes/health.ts';
import { sessionRoutes } from './routes/session.ts';
import { statsRoutes } from './routes/stats.ts';
import { registerWebApp } from '../web/serve.ts';

/**
 * Logs one line per request with the route pattern, not the URL, because query strings can contain
 * search text such as a person's name. Headers, and with them tokens, are never logged.
 */
class ApiLogController extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.info(
      { method: request.method, route: request.routeOptions.url ?? null, statusCode: reply.statusCode, responseTimeMs: Math.round(reply.elapsedTime) },
      'request completed',
    );
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.info({ method: request.method }, 'route not found');
  }
}

/** Charsets whose bytes are UTF-8: UTF-8 itself and ASCII, which is a subset of it. */
const UTF8_CHARSETS = new Set(['utf-8', 'utf8', 'us-ascii', 'ascii']);

/** Decodes UTF-8 and throws on bytes that are not, as Latin-1 letters are not. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

export async function buildApiServer(dependencies: ApiDependencies) {
  const app = Fastify({
    loggerInstance: dependencies.log as FastifyBaseLogger,
    logController: new ApiLogController({ requestIdLogLabel: 'requestId' }),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(async (request, reply) => {
    const path = request.url.split('?')[0];
    const error = new HttpError(404, 'route-not-found', `No endpoint matches ${request.method} ${path}. The endpoints are listed in /api/openapi.json.`);
    return reply.code(404).send(errorBody(error, request.id));
  });
  // Fastify parses text/plain, and the multipart plugin multipart/form-data, on every route. A
  // route whose schema describes a body takes JSON only, so another type gets 415 rather than a
  // validation error about the body's shape.
  app.addHook('preValidation', async (request) => {
    const contentType = request.headers['content-type'];
    if (request.routeOptions.schema?.body === undefined || contentType === undefined) return;
    if (mediaTypeOf(contentType) !== 'application/json') throw unsupportedMediaType(contentType);
  });
  // JSON is UTF-8 (RFC 8259), and the parser decodes every body as UTF-8, so a body sent in
  // another charset would be stored with its non-ASCII letters garbled. This runs before parsing.
  app.addHook('preParsing', async (request) => {
    const contentType = request.headers['content-type'];
    if (contentType === undefined || mediaTypeOf(contentType) !== 'application/json') return;
    const charset = charsetOf(contentType);
    if (charset !== null && !UTF8_CHARSETS.has(charset.toLowerCase())) throw unsupportedCharset(charset);
  });
  // Fastify's own JSON parser decodes the body as UTF-8 and puts U+FFFD in place of bytes that
  // are not, so a body in Latin-1 without a charset would be stored garbled. This one rejects
  // such a body, and parses the rest with Fastify's parser and its checks of __proto__.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = UTF8.decode(body as Buffer);
    } catch {
      done(new HttpError(400, 'invalid-json', 'The request body is not valid UTF-8. Send JSON encoded as UTF-8.'), undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.decorateRequest('actor', null);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    // Answers carry deviations and contact details, which no shared cache may keep, and no
    // page of this server may be framed by another site.
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-store');
    reply.header('x-frame-options', 'DENY');
    if (!reply.hasHeader('content-security-policy')) reply.header('content-security-policy', "frame-ancestors 'none'");
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Avvik API',
        version: '1.0.0',
        description:
          'Deviations from SSBTEK self-declarations. Send `Authorization: Bearer TOKEN` with every request except /health, /ready and this document. ' +
          'Each caller sees only the deviations and declarations its role allows; docs/api.md states the rules.',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerAuth: [] }],
    },
    transform: describeMultipart,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifyMultipart, { limits: { fileSize: dependencies.maxFileBytes, files: 1 }, throwFileSizeLimit: true });

  await app.register(healthRoutes, { dependencies });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    // Before authentication, so that a flood of requests costs no token lookups.
    await api.register(fastifyRateLimit, {
      max: dependencies.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: rateLimitKey,
      errorResponseBuilder: (_request, context) =>
        new HttpError(
          429,
          'rate-limited',
          `Too many requests: at most ${context.max} a minute per API token. Wait ${Math.ceil(context.ttl / 1000)} seconds and send the request again.`,
        ),
    });
    api.addHook('onRequest', async (request) => {
      request.actor = await authenticate(dependencies.prisma, request.headers.authorization);
    });
    await api.register(declarationRoutes, { dependencies });
    await api.register(deviationRoutes, { dependencies });
    await api.register(exportRoutes, { dependencies });
    await api.register(followupRoutes, { dependencies });
    await api.register(statsRoutes, { dependencies });
    await api.register(sessionRoutes, { dependencies });
  });
  await registerWebApp(app);
  await registerDashboard(app, dependencies);
  return app;
}

export type ApiServer = Awaited<ReturnType<typeof buildApiServer>>;

/**
 * Counts requests per API token, by a hash of the Authorization header, and per client address
 * for requests without one. The counts are per process: each `avvik serve` limits on its own.
 */
function rateLimitKey(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (!authorization) return `address:${request.ip}`;
  return `token:${createHash('sha256').update(authorization).digest('base64url')}`;
}
export { DASHBOARD_PATH };

/** The description of each status in the OpenAPI document, the same for every route. */
const RESPONSE_DESCRIPTIONS: Record<string, string> = {
  200: 'success',
  201: 'created',
  202: 'accepted: the file is stored and queued for processing',
  204: 'done, with no body',
  400: 'the request is invalid; `fields` lists each invalid or missing field',
  401: 'no valid API token',
  403: "the caller's role may not do this",
  404: 'not found, or not visible to the caller',
  409: "the request conflicts with the record's current state",
  413: 'the body or file is too large',
  415: 'the file or body type is not supported',
  429: 'too many requests from this token; `Retry-After` gives the seconds to wait',
  503: 'the queue or the database is unavailable, or the server is shutting down',
};

/**
 * Converts the zod schemas to JSON Schema for the OpenAPI document, and describes the multipart
 * body of the upload routes and the binary body of the downloads, which have no zod schema
 * because the multipart plugin and sendDownload handle them. Every /api route can return 429
 * from the rate limiter, and every response gets a description.
 */
const describeMultipart: typeof jsonSchemaTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  const schema = transformed.schema as Record<string, unknown> & { consumes?: string[]; produces?: string[]; response?: Record<string, Record<string, unknown>> };
  if (schema.consumes?.includes('multipart/form-data')) {
    schema.body = {
      type: 'object',
      required: ['file'],
      properties: { file: { type: 'string', format: 'binary', description: 'the file; its type is read from its content' } },
    };
  }
  if (schema.produces?.includes('application/octet-stream')) {
    schema.response = {
      ...schema.response,
      200: { description: 'the stored bytes, as an attachment', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } },
    };
  }
  const responses = schema.response;
  if (responses) {
    if (input.url.startsWith('/api/') && responses[401]) responses[429] = { ...responses[401] };
    for (const [status, response] of Object.entries(responses)) {
      responses[status] = { ...response, description: response.description ?? RESPONSE_DESCRIPTIONS[status] ?? `status ${status}` };
    }
  }
  return transformed;
};
