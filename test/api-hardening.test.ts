// Hostile input the API must answer with a 400 rather than a server error, and the headers that
// keep its answers out of shared caches and other sites' frames.
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, reportDeviation, request, useTestApi, type TestUser } from './support/api.ts';

const api = useTestApi({ queue: false });

let admin: TestUser;
let deviationId: string;

beforeAll(async () => {
  admin = await createUser(api().prisma, { name: 'Förvaltningen', role: 'administration' });
  deviationId = await reportDeviation(api().app, admin);
});

describe('NUL characters', () => {
  it('in a comment answer 400', async () => {
    const answer = await request(api().app, admin, 'POST', `/api/deviations/${deviationId}/comments`, { body: 'a\u0000b' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-characters');
  });

  it('in a search answer 400', async () => {
    const answer = await request(api().app, admin, 'GET', '/api/deviations?q=a%00b');
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-characters');
  });
});

describe('malformed multipart', () => {
  it('without a boundary answers 400', async () => {
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${deviationId}/attachments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'multipart/form-data' },
      payload: 'no boundary here',
    });
    expect(answer.statusCode).toBe(400);
  });

  it('cut short answers 400', async () => {
    const boundary = 'avvikboundary';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="logg.txt"\r\nContent-Type: text/plain\r\n\r\nhalf a file`;
    const answer = await api().app.inject({
      method: 'POST',
      url: `/api/deviations/${deviationId}/attachments`,
      headers: { authorization: `Bearer ${admin.token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().code).toBe('invalid-multipart');
  });
});

describe('response headers', () => {
  it('forbid caching and framing', async () => {
    const answer = await api().app.inject({
      method: 'GET',
      url: `/api/deviations/${deviationId}`,
      headers: { authorization: `Bearer ${admin.token}` },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['cache-control']).toBe('private, no-store');
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['x-frame-options']).toBe('DENY');
  });
});
