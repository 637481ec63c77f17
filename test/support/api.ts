// The HTTP API on a test database of its own, with helpers for tokens, multipart bodies and
// waiting for declarations. Requests go through Fastify's inject, without a socket.
import { afterAll, beforeAll } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { startApiRuntime, type ApiRuntime } from '../../src/api/runtime.ts';
import type { ApiServer } from '../../src/api/server.ts';
import { createApiUser, type NewUser } from '../../src/api/users.ts';
import { openAppContext, type AppContext } from '../../src/cli/context.ts';
import { readConfig } from '../../src/config.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './services.ts';

export interface TestApiOptions {
  /** Queue uploads in Redis and run a worker in the same process; otherwise process them in-process. */
  queue: boolean;
  maxFileBytes?: number;
  now?: () => Date;
}

export interface TestApi {
  app: ApiServer;
  prisma: PrismaClient;
  context: AppContext;
  runtime: ApiRuntime;
  queueName: string;
  databaseUrl: string;
  close(): Promise<void>;
}

/** Starts the API on a new database, and a worker on a new queue when `queue` is set. */
export async function startTestApi(options: TestApiOptions): Promise<TestApi> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const queueName = uniqueName('api');
  const settings = readConfig({
    DATABASE_URL: testDatabase.url,
    ...(options.queue ? { REDIS_URL } : {}),
    AVVIK_QUEUE: queueName,
    AVVIK_LOG_LEVEL: process.env.AVVIK_TEST_LOG_LEVEL ?? 'silent',
    AVVIK_JOB_ATTEMPTS: '2',
    AVVIK_RETRY_DELAY_MS: '200',
    ...(options.maxFileBytes ? { AVVIK_MAX_FILE_BYTES: String(options.maxFileBytes) } : {}),
  });
  const context = await openAppContext(settings);
  const runtime = await startApiRuntime(context, { withWorker: options.queue, now: options.now });
  await runtime.app.ready();
  return {
    app: runtime.app,
    prisma: context.database.prisma,
    context,
    runtime,
    queueName,
    databaseUrl: testDatabase.url,
    close: async () => {
      await runtime.close();
      await context.close();
      await testDatabase.drop();
      if (options.queue) await removeQueueKeys(queueName);
    },
  };
}

/** Starts a test API before the file's tests and closes it after them; call it at the top of the file. */
export function useTestApi(options: TestApiOptions): () => TestApi {
  let api: TestApi | undefined;
  beforeAll(async () => {
    api = await startTestApi(options);
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  }, 120_000);
  return () => {
    if (!api) throw new Error('The test API is not started; use it inside tests or hooks registered after useTestApi.');
    return api;
  };
}

export interface TestUser {
  id: string;
  token: string;
  name: string;
}

export async function createUser(prisma: PrismaClient, request: NewUser): Promise<TestUser> {
  const { user, token } = await createApiUser(prisma, request);
  return { id: user.id, token, name: user.name };
}

/** Builds a multipart/form-data body with one file part. */
export function multipartFile(fileName: string, bytes: Uint8Array, field = 'file') {
  const boundary = `----avvik-test-${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return { payload: Buffer.concat([head, Buffer.from(bytes), tail]), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export interface ApiAnswer<T = any> {
  statusCode: number;
  body: T;
  raw: LightMyRequestResponse;
}

/** Sends a request with the user's token; a plain object body is sent as JSON. */
export async function request<T = any>(
  app: ApiServer,
  user: TestUser | null,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const headers: Record<string, string> = user ? { authorization: `Bearer ${user.token}` } : {};
  const response = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  return { statusCode: response.statusCode, body: parseBody(response) as T, raw: response };
}

/** Uploads a file as multipart/form-data with the user's token. */
export async function upload<T = any>(app: ApiServer, user: TestUser | null, url: string, fileName: string, bytes: Uint8Array, field = 'file') {
  const { payload, headers } = multipartFile(fileName, bytes, field);
  const response = await app.inject({
    method: 'POST',
    url,
    payload,
    headers: { ...headers, ...(user ? { authorization: `Bearer ${user.token}` } : {}) },
  });
  return { statusCode: response.statusCode, body: parseBody(response) as T, raw: response };
}

function parseBody(response: LightMyRequestResponse): unknown {
  const type = String(response.headers['content-type'] ?? '');
  return type.startsWith('application/json') ? response.json() : response.rawPayload;
}

/** Polls a declaration until it is parsed or failed, and returns it. */
export async function waitForDeclaration(app: ApiServer, user: TestUser, id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await request(app, user, 'GET', `/api/declarations/${id}`);
    if (answer.statusCode !== 200) throw new Error(`GET /api/declarations/${id} answered ${answer.statusCode}: ${JSON.stringify(answer.body)}`);
    if (answer.body.status === 'parsed' || answer.body.status === 'failed') return answer.body;
    if (Date.now() > deadline) throw new Error(`Declaration ${id} is still ${answer.body.status} after ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Enters a complete deviation directly, as the given user, and returns its id. */
export async function reportDeviation(app: ApiServer, user: TestUser): Promise<string> {
  const answer = await request<{ id: string }>(app, user, 'POST', '/api/deviations', {
    title: 'Svarstiden är för lång',
    reproduction: 'Gör en samlad förfrågan',
    result: 'Svaret tar 40 sekunder',
    material: ['logg.txt'],
    contactName: 'Test Testsson',
    contactPhone: '070-000 00 02',
    contactEmail: 'test@example.se',
  });
  if (answer.statusCode !== 201) throw new Error(`Reporting a deviation failed with ${answer.statusCode}: ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}
