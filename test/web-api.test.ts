// The endpoints the web app added to the API: list sorting, the requirement rows around a
// deviation, overview counts, the signed-in user and the reference parties, and the static files.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApiDeclaration } from './support/api-workbooks.ts';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';

let clock = new Date();
const api = useTestApi({ queue: false, now: () => clock });
const users = {} as Record<'admin' | 'fk' | 'csn', TestUser>;
let deviations: { id: string; requirementId: string; createdAt: string }[];

beforeAll(async () => {
  const { app, prisma } = api();
  users.admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
  users.fk = await createUser(prisma, { name: 'FK', role: 'data-provider', party: 'FK' });
  users.csn = await createUser(prisma, { name: 'CSN', role: 'data-provider', party: 'CSN' });
  const bytes = await buildApiDeclaration({
    supplier: 'Alfa System AB',
    organisationNumber: '556000-0001',
    system: 'Alfa Ekonomi',
    municipality: 'Norrby kommun',
    contact: { name: 'Anna Alfasson', phone: '070-111 11 11', email: 'anna@alfa.example' },
    marker: 'alfanorr',
  });
  const answer = await upload(app, users.admin, '/api/declarations', 'alfa.xlsx', bytes);
  const declaration = await waitForDeclaration(app, users.admin, answer.body.id);
  expect(declaration.status).toBe('parsed');
  deviations = declaration.deviations;
  const bt1 = deviations.find((deviation) => deviation.requirementId === 'BT-1')!;
  const assigned = await request(app, users.admin, 'POST', `/api/deviations/${bt1.id}/assign`, { area: 'base-service', partyCode: 'FK', reason: 'Bostadsbidrag' });
  expect(assigned.statusCode).toBe(200);
}, 120_000);

describe('GET /api/deviations sort', () => {
  it('sorts oldest first by row order', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/deviations?sort=createdAt');
    expect(answer.statusCode).toBe(200);
    expect(answer.body.items.map((item: { requirementId: string }) => item.requirementId)).toEqual(['VS-1', 'BT-1', 'BT-2', 'SS-1']);
  });

  it('rejects an unknown sort', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/deviations?sort=title');
    expect(answer.statusCode).toBe(400);
    expect(answer.body.fields[0].field).toBe('sort');
  });
});

// The web app names each rejected filter from `fields`, so it relies on what one response lists.
describe('GET /api/deviations rejected filters', () => {
  it('lists every invalid filter at once', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/deviations?status=klar&area=norr&overdue=kanske');
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    expect(answer.body.fields.map((problem: { field: string }) => problem.field)).toEqual(['status', 'area', 'overdue']);
  });

  it('checks the party code only after the other filters', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/deviations?status=klar&party=fk');
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    expect(answer.body.fields.map((problem: { field: string }) => problem.field)).toEqual(['status']);

    const party = await request(api().app, users.admin, 'GET', '/api/deviations?status=new&party=fk');
    expect(party.body.code).toBe('unknown-party');
    expect(party.body.fields).toEqual([{ field: 'party', message: 'is not a known party code' }]);
  });
});

describe('GET /api/deviations/:id/context', () => {
  it('returns the rows around the source for the administration', async () => {
    const bt1 = deviations.find((deviation) => deviation.requirementId === 'BT-1')!;
    const answer = await request(api().app, users.admin, 'GET', `/api/deviations/${bt1.id}/context?around=1`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.neighboursRestricted).toBe(false);
    expect(answer.body.rows.map((row: { requirementId: string }) => row.requirementId)).toEqual(['VS-2', 'BT-1', 'BT-2']);
    expect(answer.body.rows.filter((row: { isSource: boolean }) => row.isSource)).toHaveLength(1);
    expect(answer.body.source).toEqual({ sheet: 'Krav', row: expect.any(Number) });
  });

  it('returns only the source row to the owning data provider', async () => {
    const bt1 = deviations.find((deviation) => deviation.requirementId === 'BT-1')!;
    const answer = await request(api().app, users.fk, 'GET', `/api/deviations/${bt1.id}/context`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.neighboursRestricted).toBe(true);
    expect(answer.body.rows).toHaveLength(1);
    expect(answer.body.rows[0].requirementId).toBe('BT-1');
  });

  it('answers 404 to a party that cannot see the deviation', async () => {
    const bt1 = deviations.find((deviation) => deviation.requirementId === 'BT-1')!;
    const answer = await request(api().app, users.csn, 'GET', `/api/deviations/${bt1.id}/context`);
    expect(answer.statusCode).toBe(404);
    expect(answer.body.code).toBe('not-found');
  });
});

describe('GET /api/stats', () => {
  it('counts every deviation for the administration', async () => {
    const answer = await request(api().app, users.admin, 'GET', '/api/stats?weeks=4');
    expect(answer.statusCode).toBe(200);
    expect(answer.body.total).toBe(4);
    expect(answer.body.byStatus).toEqual([{ key: 'new', count: 4 }]);
    expect(answer.body.byParty).toContainEqual({ key: 'FK', count: 1 });
    expect(answer.body.weekly).toHaveLength(4);
    expect(answer.body.weekly.at(-1).opened).toBe(4);
    expect(answer.body.triage).toMatchObject({ limitWorkingDays: 5, waitingCount: 0, oldest: [] });
  });

  it('counts only what a data provider sees', async () => {
    const answer = await request(api().app, users.fk, 'GET', '/api/stats');
    expect(answer.body.total).toBe(1);
    expect(answer.body.byParty).toEqual([{ key: 'FK', count: 1 }]);
    expect(answer.body.byArea).toEqual([{ key: 'base-service', count: 1 }]);
    const csn = await request(api().app, users.csn, 'GET', '/api/stats');
    expect(csn.body.total).toBe(0);
  });

  it('lists new deviations past the triage limit', async () => {
    const saved = clock;
    clock = new Date(saved.getTime() + 21 * 24 * 60 * 60 * 1000);
    try {
      const answer = await request(api().app, users.admin, 'GET', '/api/stats');
      expect(answer.body.triage.waitingCount).toBe(4);
      expect(answer.body.triage.oldest[0].workingDaysWaiting).toBeGreaterThan(5);
      const tighter = await request(api().app, users.admin, 'GET', '/api/stats?triageLimit=100');
      expect(tighter.body.triage).toMatchObject({ limitWorkingDays: 100, waitingCount: 0 });
    } finally {
      clock = saved;
    }
  });
});

describe('GET /api/me and /api/parties', () => {
  it('returns the signed-in user', async () => {
    const answer = await request(api().app, users.fk, 'GET', '/api/me');
    expect(answer.body).toEqual({ id: users.fk.id, name: 'FK', role: 'data-provider', partyCode: 'FK', businessSystem: null, municipality: null });
  });

  it('lists the reference parties without suppliers', async () => {
    const answer = await request(api().app, users.csn, 'GET', '/api/parties');
    const kinds = new Set(answer.body.items.map((party: { kind: string }) => party.kind));
    expect([...kinds].sort()).toEqual(['administration', 'data-provider', 'operations']);
  });

  it('needs a token', async () => {
    expect((await request(api().app, null, 'GET', '/api/me')).statusCode).toBe(401);
  });
});

describe('web app files', () => {
  it('serves the app without a token and with a content security policy', async () => {
    const page = await api().app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="sv">');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const script = await api().app.inject({ method: 'GET', url: '/js/app.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
  });

  it('keeps the API 404 body for unknown paths', async () => {
    const answer = await api().app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(answer.statusCode).toBe(404);
    expect(answer.json().code).toBe('route-not-found');
    expect((await api().app.inject({ method: 'GET', url: '/secret.txt' })).json().code).toBe('route-not-found');
  });
});
