/**
 * One error type for every HTTP error response, and the handler that turns any thrown error
 * into the same JSON shape: { statusCode, code, message, requestId, fields?, allowed? }.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { Prisma } from '../generated/prisma/client.ts';
import { WorkflowError } from '../workflow/errors.ts';
import { dataExceptionCode } from '../db/errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Reasons, per field name, that replace "is not a known field" for fields that a route's
     * strict schema leaves out on purpose, such as `limit` on an export.
     */
    unknownFieldReasons?: Record<string, string>;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

export interface ErrorDetails {
  /** Each invalid or missing field of the request. */
  fields?: FieldProblem[];
  /** The statuses a deviation may move to, on an invalid transition. */
  allowed?: string[];
}

export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetails = {},
    /** Headers to send with the response, such as WWW-Authenticate on a 401. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/**
 * Builds the error for a record that does not exist or that the caller may not see. Both cases
 * get the same status, code and message, so that a response never reveals that a record exists.
 */
export function notFound(kind: 'Deviation' | 'Declaration' | 'Attachment', id: string): HttpError {
  return new HttpError(404, 'not-found', `${kind} ${id} was not found.`);
}

/** The parts of a request that error messages quote, so that a message names the value that failed. */
export interface RequestFacts {
  /** Reasons, per field name, that replace "is not a known field", from the route's config (FastifyContextConfig). */
  unknownFieldReasons?: Record<string, string>;
  /** The Content-Type header as sent. */
  contentType?: string;
  /** The parsed body, or undefined when the request has none. */
  body?: unknown;
  /** The query string as parsed from the URL, before validation. */
  query?: unknown;
  /** The path parameters, before validation. */
  params?: unknown;
}

/** Reads the facts of a request for toHttpError. */
export function requestFacts(request: FastifyRequest): RequestFacts {
  return {
    unknownFieldReasons: request.routeOptions.config?.unknownFieldReasons,
    contentType: request.headers['content-type'],
    body: request.body,
    query: request.query,
    params: request.params,
  };
}

/** Returns the media type of a Content-Type header, without parameters such as charset, in lower case. */
export function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

/** Returns the charset parameter of a Content-Type header as written, or null when it has none. */
export function charsetOf(contentType: string): string | null {
  const match = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return match ? match[1]! : null;
}

/** Builds the 415 response for a JSON body whose Content-Type names a charset other than UTF-8. */
export function unsupportedCharset(charset: string): HttpError {
  return new HttpError(
    415,
    'unsupported-charset',
    `The charset ${charset} is not supported. Send JSON in UTF-8, with Content-Type: application/json or application/json; charset=utf-8.`,
  );
}

/** Builds the 415 response for a body that is neither JSON nor, on the upload endpoints, multipart/form-data. */
export function unsupportedMediaType(contentType: string | undefined): HttpError {
  const sent = contentType ? `The Content-Type ${mediaTypeOf(contentType)} is not supported here.` : 'The request has a body but no Content-Type.';
  return new HttpError(415, 'unsupported-media-type', `${sent} Send JSON with Content-Type: application/json, and files to the upload endpoints as multipart/form-data.`);
}

const WORKFLOW_STATUS = { forbidden: 403, invalid: 400, conflict: 409 } as const;

/** Fastify's own error codes for client errors, with the code and status Avvik answers them with. */
const FASTIFY_CLIENT_ERRORS: Record<string, { statusCode: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { statusCode: 413, code: 'body-too-large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { statusCode: 415, code: 'unsupported-media-type' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { statusCode: 400, code: 'invalid-json' },
  FST_ERR_CTP_INVALID_JSON_BODY: { statusCode: 400, code: 'invalid-json' },
  FST_REQ_FILE_TOO_LARGE: { statusCode: 413, code: 'file-too-large' },
  FST_INVALID_MULTIPART_CONTENT_TYPE: { statusCode: 415, code: 'expected-multipart' },
  FST_FILES_LIMIT: { statusCode: 413, code: 'too-many-files' },
  FST_PARTS_LIMIT: { statusCode: 413, code: 'too-many-parts' },
  FST_FIELDS_LIMIT: { statusCode: 413, code: 'too-many-fields' },
};

/** Messages of the multipart parser (busboy) for a body that is cut short or has no boundary. */
const MALFORMED_MULTIPART = /^(Unexpected end of (form|multipart data)|Multipart: Boundary not found|Malformed part header|Boundary not found)/i;

/** Converts any error thrown while handling a request into an HttpError, naming the request's values from `facts`. */
export function toHttpError(error: unknown, facts: RequestFacts = {}): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof WorkflowError) {
    return new HttpError(WORKFLOW_STATUS[error.kind], error.code, error.message, error.details as ErrorDetails | undefined);
  }
  if (hasZodFastifySchemaValidationErrors(error)) return validationError(error, facts);

  const sqlState = dataExceptionCode(error);
  if (sqlState) {
    return new HttpError(
      400,
      'invalid-characters',
      `The request contains a value the database cannot store (PostgreSQL error ${sqlState}), such as a NUL character. Remove it and send the request again.`,
    );
  }
  if (error instanceof Error && MALFORMED_MULTIPART.test(error.message)) {
    return new HttpError(400, 'invalid-multipart', `The multipart body is malformed (${error.message}). Send a complete multipart/form-data body with its boundary.`);
  }

  const fastifyError = error as Partial<FastifyError>;
  const known = fastifyError.code ? FASTIFY_CLIENT_ERRORS[fastifyError.code] : undefined;
  if (known?.code === 'unsupported-media-type') return unsupportedMediaType(facts.contentType);
  if (known) return new HttpError(known.statusCode, known.code, clientErrorMessage(known.code, fastifyError.message ?? ''));
  const statusCode = fastifyError.statusCode;
  if (statusCode && statusCode >= 400 && statusCode < 500 && !isResponseSerializationError(error as FastifyError)) {
    return new HttpError(statusCode, 'bad-request', fastifyError.message ?? 'The request is invalid.');
  }
  return new HttpError(500, 'internal-error', 'The server failed to handle the request. Report the request id to the administration.');
}

function clientErrorMessage(code: string, original: string): string {
  switch (code) {
    case 'body-too-large':
      return 'The request body is larger than the server accepts. JSON bodies may be at most 1 MiB; send files as multipart/form-data.';
    case 'expected-multipart':
      return "This endpoint takes a file: send multipart/form-data with the file in a field named 'file'.";
    case 'invalid-json':
      return `The request body is not valid JSON: ${original}`;
    default:
      return original;
  }
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  message: string;
  params: { keys?: string[] };
}

function validationError(error: unknown, facts: RequestFacts): HttpError {
  const { validation, validationContext = 'body' } = error as { validation: ValidationIssue[]; validationContext?: string };
  const unknownFieldReasons = facts.unknownFieldReasons ?? {};
  // A body that is no JSON object at all has no fields to list, and "body" would read as the field of that name.
  if (validationContext === 'body' && validation.some((issue) => issue.instancePath === '/' && issue.keyword !== 'unrecognized_keys')) {
    return invalidBody(facts.body);
  }
  const urlValues = { querystring: facts.query, params: facts.params }[validationContext];
  const fields = validation.flatMap((issue): FieldProblem[] => {
    const parent = issue.instancePath.replace(/^\//, '').replace(/\//g, '.');
    if (issue.keyword === 'unrecognized_keys' && issue.params.keys) {
      return issue.params.keys.map((key) => {
        const field = parent ? `${parent}.${key}` : key;
        return { field, message: Object.hasOwn(unknownFieldReasons, field) ? unknownFieldReasons[field]! : 'is not a known field' };
      });
    }
    if (urlValues !== undefined && parent) return [urlParameterProblem(issue, urlValues)];
    if (validationContext === 'body' && issue.keyword === 'invalid_value' && parent) return [bodyEnumProblem(issue, parent, facts.body)];
    return [{ field: parent || validationContext, message: issue.message }];
  });
  const where = { body: 'request body', querystring: 'query string', params: 'path', headers: 'headers' }[validationContext] ?? 'request';
  const list = fields.map((field) => `${field.field} ${field.message}`).join('; ');
  return new HttpError(400, 'invalid-request', `The ${where} has ${fields.length} invalid or missing field${fields.length === 1 ? '' : 's'}: ${list}.`, { fields });
}

function invalidBody(body: unknown): HttpError {
  const sent = body === undefined || body === null ? 'The request has no body' : `The request body is ${Array.isArray(body) ? 'an array' : `a ${typeof body}`}`;
  return new HttpError(400, 'invalid-request', `${sent}, but this endpoint takes a JSON object. Send its fields as JSON with Content-Type: application/json.`);
}

/** Values longer than this are not quoted, so that a long search text does not fill the message. */
const MAX_QUOTED_LENGTH = 100;

/**
 * Describes an invalid query or path parameter by the name the caller wrote, with the value it
 * was given. A list parameter such as status=new,open is split at commas, so an issue at path
 * status/1 quotes the second part.
 */
function urlParameterProblem(issue: ValidationIssue, urlValues: unknown): FieldProblem {
  const [name, index] = issue.instancePath.replace(/^\//, '').split('/') as [string, string?];
  const raw = (urlValues as Record<string, unknown>)[name];
  if (Array.isArray(raw)) return { field: name, message: `must be given once, not ${raw.length} times` };

  let value = typeof raw === 'string' ? raw : '';
  if (index !== undefined && /^\d+$/.test(index)) value = value.split(',')[Number(index)]?.trim() ?? '';
  return { field: name, message: value === '' ? issue.message : withValueSent(issue.message, value) };
}

/** Describes an invalid enumeration value in the body, such as `status` or `area`, quoting the value sent as JSON. */
function bodyEnumProblem(issue: ValidationIssue, field: string, body: unknown): FieldProblem {
  let value: unknown = body;
  for (const key of issue.instancePath.replace(/^\//, '').split('/')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  }
  return { field, message: value === undefined ? issue.message : withValueSent(issue.message, value) };
}

/** Appends the value sent, as JSON, to a field's message, unless the value is longer than MAX_QUOTED_LENGTH. */
function withValueSent(message: string, value: unknown): string {
  const json = JSON.stringify(value);
  const length = typeof value === 'string' ? value.length : json.length;
  return length <= MAX_QUOTED_LENGTH ? `${message}, not ${json}` : message;
}

/** Builds the JSON body of every error response. */
export function errorBody(error: HttpError, requestId: string) {
  return {
    statusCode: error.statusCode,
    code: error.code,
    message: error.message,
    requestId,
    ...(error.details.fields ? { fields: error.details.fields } : {}),
    ...(error.details.allowed ? { allowed: error.details.allowed } : {}),
  };
}

/**
 * Fastify's error handler: answers with the error shape, and logs server errors with the request
 * id. The log line carries a description of the error that leaves out query arguments, because a
 * database error can quote the values of the failed statement, contact details included.
 */
export async function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const httpError = toHttpError(error, requestFacts(request));
  if (httpError.statusCode >= 500) {
    request.log.error({ method: request.method, route: request.routeOptions.url, err: describeErrorForLog(error) }, 'request failed');
  } else {
    request.log.info({ statusCode: httpError.statusCode, code: httpError.code }, 'request rejected');
  }
  reply.headers(httpError.headers);
  return reply.code(httpError.statusCode).send(errorBody(httpError, request.id));
}

const EMAIL_PATTERN = /[^\s@"'<>]+@[^\s@"'<>]+\.[a-z]{2,}/gi;

/** Describes an error for a log line: Prisma errors without their arguments, e-mail addresses masked. */
export function describeErrorForLog(error: unknown): Record<string, unknown> {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return { type: error.name, code: error.code, meta: { modelName: error.meta?.modelName, target: error.meta?.target } };
  }
  if (error instanceof Prisma.PrismaClientValidationError || error instanceof Prisma.PrismaClientUnknownRequestError) {
    return { type: error.name, message: 'details left out because they may quote stored values' };
  }
  if (error instanceof Error) {
    return { type: error.name, message: error.message.replace(EMAIL_PATTERN, '<e-mail>'), stack: error.stack?.replace(EMAIL_PATTERN, '<e-mail>') };
  }
  return { type: typeof error };
}
