// Requests the API must reject, each with the right status and a message that states the fix:
// missing, malformed, unknown and revoked tokens, oversized and wrong-type files, malformed
// bodies and parameters. Also the public endpoints, in-process processing without Redis, and
// the error handler's log line for a server error. AVVIK_MAX_FILE_BYTES is 32 KiB here.
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApiServer } from '../src/api/server.ts';
import { revokeApiUser } from '../src/api/users.ts';
import { createUser, multipartFile, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';
import { buildApiDeclaration } from './support/api-workbooks.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const MAX_BYTES = 32 * 1024;
const api = useTestApi({ queue: false, maxFileBytes: MAX_BYTES });

let admin: TestUser;
let dataProvider: TestUser;
let someDeviation: string;

beforeAll(async () => {
  admin = await createUser(api().prisma, { name: 'Förvaltningen', role: 'administration' });
  dataProvider = await createUser(api().prisma, { name: 'CSN', role: 'data-provider', party: 'CSN' });
  const answer = await request(api().app, admin, 'POST', '/api/deviations', {
    title: 'Test',
    reproduction: 'Steg',
    result: 'Resultat',
    material: ['logg'],
    contactName: 'Test Testsson',
    contactPhone: '070-000 00 02',
    contactEmail: 'test@example.se',
  });
  someDeviation = answer.body.id;
});

describe('authentication', () => {
  const call = (authorization?: string) =>
    api().app.inject({ method: 'GET', url: '/api/deviations', headers: authorization === undefined ? {} : { authorization } });

  it.each([
    ['no header', undefined, 'missing-token', 'Bearer TOKEN'],
    ['an empty header', '', 'missing-token', 'Bearer TOKEN'],
    ['another scheme', 'Token abc', 'invalid-authorization-header', "'Bearer TOKEN'"],
    ['Basic credentials', `Basic ${Buffer.from('x:y').toString('base64')}`, 'invalid-authorization-header', "'Bearer TOKEN'"],
    ['a bearer without token', 'Bearer', 'invalid-authorization-header', "'Bearer TOKEN'"],
    ['an unknown token', 'Bearer avvik_unknown', 'invalid-token', 'not valid'],
  ])('rejects %s with 401', async (_, authorization, code, hint) => {
    const answer = await call(authorization);
    expect(answer.statusCode).toBe(401);
    expect(answer.headers['www-authenticate']).toBe('Bearer realm="avvik"');
    expect(answer.json().code).toBe(code);
    expect(answer.json().message).toContain(hint);
  });

  it('rejects a revoked token with 401 and says so', async () => {
    const user = await createUser(api().prisma, { name: 'Tillfällig', role: 'administration' });
    expect((await call(`Bearer ${user.token}`)).statusCode).toBe(200);
    await revokeApiUser(api().prisma, user.id);
    const answer = await call(`Bearer ${user.token}`);
    expect(answer.statusCode).toBe(401);
    expect(answer.json().code).toBe('token-revoked');
    expect(answer.json().message).toContain('revoked on');
  });

  it('stores only the SHA-256 of a token', async () => {
    const stored = await api().prisma.user.findUniqueOrThrow({ where: { id: admin.id } });
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(admin.token);
  });

  it('serves health, readiness and the OpenAPI document without a token', async () => {
    expect((await request(api().app, null, 'GET', '/health')).body).toEqual({ status: 'ok' });
    const ready = await request(api().app, null, 'GET', '/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.body.checks.redis.status).toBe('not-configured');
    const document = await request(api().app, null, 'GET', '/api/openapi.json');
    expect(document.statusCode).toBe(200);
    expect(document.body.openapi).toBe('3.1.0');
    expect(document.body.components.securitySchemes.bearerAuth).toEqual({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/ready',
        '/api/declarations',
        '/api/declarations/{id}',
        '/api/declarations/{id}/file',
        '/api/deviations',
        '/api/deviations/{id}',
        '/api/deviations/{id}/confirm',
        '/api/deviations/{id}/assign',
        '/api/deviations/{id}/transition',
        '/api/deviations/{id}/comments',
        '/api/deviations/{id}/attachments',
        '/api/attachments/{id}',
        '/api/deviations/export',
        '/api/followup',
      ]),
    );
    expect(document.body.paths['/api/declarations'].post.requestBody.content['multipart/form-data'].schema.required).toEqual(['file']);
    expect(document.body.paths['/health'].get.security).toEqual([]);

    const operations = Object.entries(document.body.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ name: `${method} ${path}`, path, responses: operation.responses })));
    for (const { name, path, responses } of operations) {
      for (const [status, response] of Object.entries(responses)) expect(response.description, `${name} ${status}`).not.toBe('Default Response');
      if (path.startsWith('/api/')) expect(Object.keys(responses), name).toContain('429');
    }
  });

  it('keeps the dashboard behind the token even without a queue', async () => {
    expect((await api().app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const answer = await api().app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: `Bearer ${admin.token}` } });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().code).toBe('dashboard-unavailable');
  });
});

describe('uploads', () => {
  it('processes a declaration in the server process without Redis', async () => {
    const bytes = await buildApiDeclaration({
      supplier: 'Kappa AB',
      organisationNumber: '556000-0011',
      system: 'Kappa',
      municipality: 'Kby kommun',
      contact: { name: 'Karin Kappasson', phone: '070-101 01 01', email: 'karin@kappa.example' },
      marker: 'kappa',
    });
    expect(bytes.byteLength).toBeLessThan(MAX_BYTES);
    const answer = await upload(api().app, admin, '/api/declarations', 'kappa.xlsx', bytes);
    expect(answer.statusCode).toBe(202);
    expect(api().runtime.mode).toBe('in-process');
    const declaration = await waitForDeclaration(api().app, admin, answer.body.id);
    expect(declaration.status).toBe('parsed');
    expect(declaration.deviations).toHaveLength(4);
  });

  it('rejects a file over the limit with 413 and stores nothing', async () => {
    const before = await api().prisma.declaration.count();
    const bytes = fs.readFileSync(path.join(FIXTURES, 'wrapped-pages.pdf'));
    expect(bytes.byteLength).toBeGreaterThan(MAX_BYTES);
    const answer = await upload(api().app, admin, '/api/declarations', 'wrapped-pages.pdf', bytes);
    expect(answer.statusCode).toBe(413);
    expect(answer.body.code).toBe('file-too-large');
    expect(answer.body.message).toContain(`limit of ${MAX_BYTES} bytes`);
    expect(answer.body.message).toContain('wrapped-pages.pdf');
    expect(await api().prisma.declaration.count()).toBe(before);

    const attachment = await upload(api().app, admin, `/api/deviations/${someDeviation}/attachments`, 'stor.png', Buffer.alloc(MAX_BYTES + 1, 0x89));
    expect(attachment.statusCode).toBe(413);
  });

  it.each([
    ['not-a-workbook.xlsx', 415, 'unsupported-file-type', 'neither an Excel workbook'],
    ['legacy.xls', 415, 'unsupported-file-type', '97-2003'],
    ['password-protected.xlsx', 415, 'unsupported-file-type', 'password'],
    ['empty.xlsx', 400, 'empty-file', 'empty'],
  ])('rejects %s with %i', async (file, status, code, hint) => {
    const answer = await upload(api().app, admin, '/api/declarations', file, fs.readFileSync(path.join(FIXTURES, file)));
    expect(answer.statusCode).toBe(status);
    expect(answer.body.code).toBe(code);
    expect(answer.body.message).toContain(hint);
  });

  it('rejects a body that is not multipart', async () => {
    const answer = await request(api().app, admin, 'POST', '/api/declarations', { file: 'a' });
    expect(answer.statusCode).toBe(415);
    expect(answer.body.code).toBe('expected-multipart');
    expect(answer.body.message).toContain("field named 'file'");
  });

  it('rejects a multipart body without the file field', async () => {
    const answer = await upload(api().app, admin, '/api/declarations', 'a.xlsx', Buffer.from('x'), 'document');
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('missing-file');
    expect(answer.body.fields).toEqual([{ field: 'file', message: 'is required' }]);
  });

  it('rejects uploads without a token before reading the file', async () => {
    const { payload, headers } = multipartFile('a.xlsx', Buffer.alloc(1000));
    const answer = await api().app.inject({ method: 'POST', url: '/api/declarations', payload, headers });
    expect(answer.statusCode).toBe(401);
  });
});

describe('malformed requests', () => {
  const STATUSES = 'new, in-dialogue, will-fix, wont-fix, postponed, rejected-not-deviation, rejected-duplicate, fixed, closed';

  it.each([
    ['/api/deviations/not-a-uuid', 'id', 'must be a UUID, not "not-a-uuid"'],
    ['/api/deviations?limit=501', 'limit', 'must be at most 500, not "501"'],
    ['/api/deviations?limit=0', 'limit', 'must be at least 1, not "0"'],
    ['/api/deviations?limit=abc', 'limit', 'must be a whole number, not "abc"'],
    ['/api/deviations?offset=-1', 'offset', 'must be 0 or more, not "-1"'],
    ['/api/deviations?status=open', 'status', `must be one of ${STATUSES}, not "open"`],
    ['/api/deviations?status=new,%20open', 'status', `must be one of ${STATUSES}, not "open"`],
    ['/api/deviations?status=new&status=closed', 'status', 'must be given once, not 2 times'],
    ['/api/deviations?overdue=yes', 'overdue', 'must be one of true, false, not "yes"'],
    ['/api/deviations?sort=title', 'sort', 'must be one of createdAt, -createdAt, updatedAt, -updatedAt, dueDate, -dueDate, not "title"'],
    ['/api/deviations?party=', 'party', 'must not be empty'],
    ['/api/declarations/123', 'id', 'must be a UUID, not "123"'],
    ['/api/declarations?offset=x', 'offset', 'must be a whole number, not "x"'],
    ['/api/stats?weeks=0', 'weeks', 'must be at least 1, not "0"'],
  ])('GET %s answers 400 naming %s', async (url, field, message) => {
    const answer = await request(api().app, admin, 'GET', url);
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    expect(answer.body.fields).toEqual([{ field, message }]);
    expect(answer.body.message).toContain(`: ${field} ${message}.`);
  });

  const OWNER_AREAS = 'business-system, base-service, ssbtek';
  const LONG_VALUE = 'x'.repeat(101);

  it.each([
    ['a status not allowed', 'transition', { status: 'open', reason: 'x' }, 'status', `must be one of ${STATUSES}, not "open"`],
    ['a status in another case', 'transition', { status: 'In-Dialogue', reason: 'x' }, 'status', `must be one of ${STATUSES}, not "In-Dialogue"`],
    ['a number for a status', 'transition', { status: 3, reason: 'x' }, 'status', `must be one of ${STATUSES}, not 3`],
    ['null for a status', 'transition', { status: null, reason: 'x' }, 'status', `must be one of ${STATUSES}, not null`],
    ['an array for a status', 'transition', { status: ['new'], reason: 'x' }, 'status', `must be one of ${STATUSES}, not ["new"]`],
    ['a status over 100 characters', 'transition', { status: LONG_VALUE, reason: 'x' }, 'status', `must be one of ${STATUSES}`],
    ['no status', 'transition', { reason: 'x' }, 'status', 'is required'],
    ['an area not allowed', 'assign', { area: 'unassigned', partyCode: 'FK', reason: 'x' }, 'area', `must be one of ${OWNER_AREAS}, not "unassigned"`],
    ['an empty area', 'assign', { area: '', partyCode: 'FK', reason: 'x' }, 'area', `must be one of ${OWNER_AREAS}, not ""`],
  ])('answers %s in the %s body with 400', async (_case, action, body, field, message) => {
    const answer = await request(api().app, admin, 'POST', `/api/deviations/${someDeviation}/${action}`, body);
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    expect(answer.body.fields).toEqual([{ field, message }]);
    expect(answer.body.message).toBe(`The request body has 1 invalid or missing field: ${field} ${message}.`);
  });

  it('names an unknown party code and its spelling', async () => {
    const wrongCase = await request(api().app, admin, 'GET', '/api/deviations?party=fk');
    expect(wrongCase.statusCode).toBe(400);
    expect(wrongCase.body.code).toBe('unknown-party');
    expect(wrongCase.body.message).toBe('No party has the code fk. Party codes are case-sensitive, so give FK instead.');
    expect(wrongCase.body.fields).toEqual([{ field: 'party', message: 'is not a known party code' }]);

    const unknown = await request(api().app, admin, 'GET', '/api/deviations?party=NOPE');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.message).toContain('No party has the code NOPE. The reference parties have the codes AF, AKASSA, CSN, DRIFT, FK, PM, SKR, SKV and TS.');
    expect(unknown.body.message).toContain("A supplier's code is ORG- and the digits of its organisation number");

    expect((await request(api().app, admin, 'GET', '/api/deviations?party=FK')).statusCode).toBe(200);
    for (const url of ['/api/deviations/export?format=csv&party=fk', '/api/followup?party=fk']) {
      const answer = await request(api().app, admin, 'GET', url);
      expect(answer.statusCode, url).toBe(400);
      expect(answer.body.code, url).toBe('unknown-party');
    }
    expect((await request(api().app, admin, 'GET', '/api/followup?party=FK')).statusCode).toBe(200);
  });

  it.each([
    ['2027-02-30', 'must be a date that exists, and 2027-02-30 does not, because February 2027 has 28 days'],
    ['2028-02-30', 'must be a date that exists, and 2028-02-30 does not, because February 2028 has 29 days'],
    ['2027-04-31', 'must be a date that exists, and 2027-04-31 does not, because April 2027 has 30 days'],
    ['2027-13-01', 'must be a date that exists, and 2027-13-01 does not, because a month is 01 to 12'],
    ['30.02.2027', 'must be a date as YYYY-MM-DD, not "30.02.2027"'],
  ])('names the invalid dueDate %s', async (dueDate, message) => {
    const answer = await request(api().app, admin, 'POST', `/api/deviations/${someDeviation}/transition`, { status: 'will-fix', reason: 'x', dueDate });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    expect(answer.body.fields).toEqual([{ field: 'dueDate', message }]);
  });

  it('answers invalid JSON with 400', async () => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      payload: '{"body": ',
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('invalid-json');
  });

  it.each([
    ['comments', 'text/plain', 'Leverantören har svarat.'],
    ['comments', 'text/plain; charset=utf-8', 'Leverantören har svarat.'],
    ['comments', 'text/csv', 'a,b'],
    ['comments', 'application/xml', '<body>x</body>'],
    ['comments', 'application/x-www-form-urlencoded', 'body=x'],
    ['comments', 'multipart/form-data', null],
    ['transition', 'text/plain', 'in-dialogue'],
    ['confirm', 'text/plain', 'ok'],
  ])('answers a %s body of type %s with 415', async (action, contentType, text) => {
    const multipart = multipartFile('kommentar.txt', Buffer.from('x'), 'body');
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/${action}`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': text === null ? multipart.headers['content-type'] : contentType },
      payload: text ?? multipart.payload,
    });
    expect(answer.statusCode).toBe(415);
    expect(answer.json().code).toBe('unsupported-media-type');
    expect(answer.json().message).toBe(
      `The Content-Type ${contentType.split(';')[0]} is not supported here. Send JSON with Content-Type: application/json, and files to the upload endpoints as multipart/form-data.`,
    );
  });

  it.each(['latin1', 'ISO-8859-1', 'utf-16'])('answers a JSON body in charset %s with 415', async (charset) => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': `application/json; charset=${charset}` },
      payload: '{"body": "Leverantoren har svarat."}',
    });
    expect(answer.statusCode).toBe(415);
    expect(answer.json().code).toBe('unsupported-charset');
    expect(answer.json().message).toBe(`The charset ${charset} is not supported. Send JSON in UTF-8, with Content-Type: application/json or application/json; charset=utf-8.`);
  });

  it('answers a JSON body that is not UTF-8 with 400', async () => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      payload: Buffer.from('{"body": "Hälsning från leverantören"}', 'latin1'),
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('invalid-json');
    expect(answer.json().message).toBe('The request body is not valid UTF-8. Send JSON encoded as UTF-8.');
  });

  it.each([
    ['__proto__', '{"body": "x", "__proto__": {"admin": true}}'],
    ['constructor.prototype', '{"body": "x", "constructor": {"prototype": {"admin": true}}}'],
  ])('rejects a body with %s', async (_key, payload) => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json' },
      payload,
    });
    expect(answer.statusCode).toBe(400);
  });

  it.each(['utf-8', 'UTF-8', 'utf8', 'us-ascii'])('takes a JSON body in charset %s', async (charset) => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': `application/json; charset=${charset}` },
      payload: '{"body": "Leverantören har svarat."}',
    });
    expect(answer.statusCode, answer.body).toBe(201);
  });

  it.each([
    ['a string', '"Leverantören har svarat."', 'The request body is a string, but this endpoint takes a JSON object.'],
    ['an array', '[{"body": "x"}]', 'The request body is an array, but this endpoint takes a JSON object.'],
    ['no body', undefined, 'The request has no body, but this endpoint takes a JSON object.'],
  ])('answers %s in place of an object with 400', async (_case, payload, message) => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${someDeviation}/comments`,
      headers: { authorization: `Bearer ${admin.token}`, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { payload }),
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('invalid-request');
    expect(answer.json().message).toBe(`${message} Send its fields as JSON with Content-Type: application/json.`);
  });

  it('answers an unknown route with 404 and a pointer to the document', async () => {
    const answer = await request(api().app, admin, 'GET', '/api/nothing?q=secret');
    expect(answer.statusCode).toBe(404);
    expect(answer.body.code).toBe('route-not-found');
    expect(answer.body.message).toContain('/api/openapi.json');
    expect(answer.body.message).not.toContain('secret');
  });

  it('sends the request id as a header and in error bodies', async () => {
    const answer = await request(api().app, dataProvider, 'GET', `/api/deviations/${someDeviation}`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body.requestId).toBe(answer.raw.headers['x-request-id']);
  });
});

describe('server errors', () => {
  it('answers 500 and logs the request id without contact details or tokens', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const app = await buildApiServer({
      prisma: api().prisma,
      log: pino({ level: 'info' }, sink),
      parties: api().context.parties,
      ruleSet: api().context.ruleSet,
      maxFileBytes: MAX_BYTES,
      rateLimitPerMinute: 1_000,
      scheduler: {
        mode: 'in-process',
        schedule: async () => {
          throw new Error('scheduler broke while handling karin@kappa.example');
        },
        close: async () => {},
      },
      queue: null,
      redis: null,
      locations: { database: 'test', redis: null },
    });
    try {
      const bytes = await buildApiDeclaration({
        supplier: 'Lambda AB',
        organisationNumber: '556000-0012',
        system: 'Lambda',
        municipality: 'Lby kommun',
        contact: { name: 'Lars Lambdasson', phone: '070-121 21 21', email: 'lars@lambda.example' },
        marker: 'lambda',
      });
      const answer = await upload(app, admin, '/api/declarations', 'lambda.xlsx', bytes);
      expect(answer.statusCode).toBe(500);
      expect(answer.body.code).toBe('internal-error');
      expect(answer.body.message).not.toContain('karin');

      const log = lines.join('');
      const failure = lines.map((line) => JSON.parse(line)).find((line) => line.msg === 'request failed');
      expect(failure.requestId).toBe(answer.body.requestId);
      expect(failure.err.message).toContain('<e-mail>');
      expect(log).not.toContain('karin@kappa.example');
      expect(log).not.toContain('lars@lambda.example');
      expect(log).not.toContain(admin.token);
    } finally {
      await app.close();
    }
  });
});

describe('rate limit', () => {
  it('answers 429 per token after the limit', async () => {
    const app = await buildApiServer({
      prisma: api().prisma,
      log: pino({ level: 'silent' }),
      parties: api().context.parties,
      ruleSet: api().context.ruleSet,
      maxFileBytes: MAX_BYTES,
      rateLimitPerMinute: 3,
      scheduler: { mode: 'in-process', schedule: async () => {}, close: async () => {} },
      queue: null,
      redis: null,
      locations: { database: 'test', redis: null },
    });
    try {
      for (let attempt = 1; attempt <= 3; attempt++) {
        expect((await request(app, admin, 'GET', '/api/deviations')).statusCode, `request ${attempt}`).toBe(200);
      }
      const limited = await request(app, admin, 'GET', '/api/deviations');
      expect(limited.statusCode).toBe(429);
      expect(limited.body.code).toBe('rate-limited');
      expect(limited.body.message).toMatch(/at most 3 a minute per API token\. Wait \d+ seconds/);
      expect(Number(limited.raw.headers['retry-after'])).toBeGreaterThan(0);

      // Another token has a count of its own, and the health check is outside the limit.
      expect((await request(app, dataProvider, 'GET', '/api/deviations')).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
