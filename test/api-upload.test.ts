// Declaration uploads through the API with a BullMQ worker in the same process: every fixture
// to a finished declaration (or the right rejection), who may upload what, duplicates, and the
// queue dashboard behind the administration's token.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';
import { buildApiDeclaration, type ApiDeclarationOptions } from './support/api-workbooks.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');
const api = useTestApi({ queue: true });

interface Expected {
  status: 'parsed' | 'failed';
  error?: { code: string };
  cover?: Record<string, unknown>;
  requirements?: Record<string, number>;
  deviations?: unknown[];
}

const fixtures = fs
  .readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.expected.json'))
  .map((name) => {
    const stem = name.replace('.expected.json', '');
    const file = fs.readdirSync(FIXTURES).find((candidate) => candidate.startsWith(`${stem}.`) && !candidate.endsWith('.json'));
    if (!file) throw new Error(`No fixture file beside ${name}`);
    return { file, expected: JSON.parse(fs.readFileSync(path.join(FIXTURES, name), 'utf8')) as Expected };
  })
  .sort((a, b) => a.file.localeCompare(b.file));

/** File errors that the upload rejects at once, with the status of the response. */
const REJECTED_AT_UPLOAD: Record<string, number> = { 'unsupported-format': 415, 'legacy-xls': 415, 'encrypted-workbook': 415, 'empty-file': 400 };

const OMEGA: ApiDeclarationOptions = {
  supplier: 'Omega Data AB',
  organisationNumber: '556000-0009',
  system: 'Omega Social',
  municipality: 'Stråby kommun',
  contact: { name: 'Olle Omegasson', phone: '070-999 99 99', email: 'olle@omega.example' },
  marker: 'omega',
};

let admin: TestUser;
beforeAll(async () => {
  admin = await createUser(api().prisma, { name: 'Förvaltningen', role: 'administration' });
});

describe('fixtures uploaded by the administration', () => {
  it.each(fixtures.map((fixture) => [fixture.file, fixture] as const))('%s', async (file, { expected }) => {
    const bytes = fs.readFileSync(path.join(FIXTURES, file));
    const answer = await upload(api().app, admin, '/api/declarations', file, bytes);
    const rejectedWith = expected.status === 'failed' ? REJECTED_AT_UPLOAD[expected.error!.code] : undefined;
    if (rejectedWith) {
      expect(answer.statusCode, JSON.stringify(answer.body)).toBe(rejectedWith);
      expect(answer.body.message).toContain(file);
      return;
    }

    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(202);
    expect(answer.raw.headers.location).toBe(`/api/declarations/${answer.body.id}`);
    const declaration = await waitForDeclaration(api().app, admin, answer.body.id);
    expect(declaration.status, JSON.stringify(declaration.error)).toBe(expected.status);
    if (expected.status === 'failed') {
      expect(declaration.error.code).toBe(expected.error!.code);
      expect(declaration.deviations).toEqual([]);
      return;
    }
    expect(declaration.requirements).toEqual(expected.requirements);
    expect(declaration.deviations).toHaveLength(expected.deviations!.length);
    expect(declaration.cover).toEqual(expected.cover);
    expect(declaration.uploadedBy).toMatchObject({ id: admin.id, role: 'administration' });

    const download = await request(api().app, admin, 'GET', `/api/declarations/${answer.body.id}/file`);
    expect(download.statusCode).toBe(200);
    expect(Buffer.compare(download.raw.rawPayload, bytes)).toBe(0);
  });

  it('returns the same declaration for the same file', async () => {
    const bytes = fs.readFileSync(path.join(FIXTURES, 'english.xlsx'));
    const first = await upload(api().app, admin, '/api/declarations', 'english.xlsx', bytes);
    const second = await upload(api().app, admin, '/api/declarations', 'again.xlsx', bytes);
    expect(second.statusCode).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    expect(second.body.created).toBe(false);
  });
});

describe('uploads by parties', () => {
  let supplier: TestUser;
  let otherSupplier: TestUser;
  let municipality: TestUser;
  let dataProvider: TestUser;
  let omegaId: string;

  beforeAll(async () => {
    const { prisma } = api();
    const first = await upload(api().app, admin, '/api/declarations', 'omega.xlsx', await buildApiDeclaration(OMEGA));
    const declaration = await waitForDeclaration(api().app, admin, first.body.id);
    omegaId = declaration.id;
    await prisma.party.create({ data: { code: 'ORG-5560000010', kind: 'supplier', name: 'Sigma AB' } });
    supplier = await createUser(prisma, { name: 'Omega', role: 'supplier', party: 'ORG-5560000009' });
    otherSupplier = await createUser(prisma, { name: 'Sigma', role: 'supplier', party: 'ORG-5560000010' });
    municipality = await createUser(prisma, { name: 'Stråby', role: 'municipality', system: declaration.businessSystem.id, municipality: 'Stråby kommun' });
    dataProvider = await createUser(prisma, { name: 'CSN', role: 'data-provider', party: 'CSN' });
  });

  it('lets a supplier upload its own declaration', async () => {
    const bytes = await buildApiDeclaration({ ...OMEGA, municipality: 'Ekby kommun', marker: 'omega-ekby' });
    const answer = await upload(api().app, supplier, '/api/declarations', 'omega-ekby.xlsx', bytes);
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(202);
    const declaration = await waitForDeclaration(api().app, supplier, answer.body.id);
    expect(declaration.status).toBe('parsed');
    expect(declaration.uploadedBy).toMatchObject({ id: supplier.id, role: 'supplier', partyCode: 'ORG-5560000009' });
    expect(declaration.deviations).toHaveLength(4);
    expect(declaration.cover.contact).toEqual(OMEGA.contact);
    expect((await request(api().app, otherSupplier, 'GET', `/api/declarations/${answer.body.id}`)).statusCode).toBe(404);
    expect((await request(api().app, municipality, 'GET', `/api/declarations/${answer.body.id}`)).statusCode).toBe(404);
  });

  it("rejects a supplier's upload of another supplier's declaration", async () => {
    const before = await api().prisma.declaration.count();
    const bytes = await buildApiDeclaration({ ...OMEGA, marker: 'omega-forged' });
    const answer = await upload(api().app, otherSupplier, '/api/declarations', 'forged.xlsx', bytes);
    expect(answer.statusCode).toBe(403);
    expect(answer.body.code).toBe('declarant-mismatch');
    expect(answer.body.message).toContain('Omega Data AB (ORG-5560000009)');
    expect(answer.body.message).toContain('ORG-5560000010');
    expect(await api().prisma.declaration.count()).toBe(before);
  });

  it('lets a municipality upload for its own system and municipality only', async () => {
    const own = await upload(api().app, municipality, '/api/declarations', 'own.xlsx', await buildApiDeclaration({ ...OMEGA, marker: 'omega-own' }));
    expect(own.statusCode, JSON.stringify(own.body)).toBe(202);
    expect((await waitForDeclaration(api().app, municipality, own.body.id)).status).toBe('parsed');

    const elsewhere = await buildApiDeclaration({ ...OMEGA, municipality: 'Annanby kommun', marker: 'omega-annan' });
    const answer = await upload(api().app, municipality, '/api/declarations', 'annan.xlsx', elsewhere);
    expect(answer.statusCode).toBe(403);
    expect(answer.body.message).toContain("municipality 'Annanby kommun'");
  });

  it('rejects uploads by data providers', async () => {
    const answer = await upload(api().app, dataProvider, '/api/declarations', 'omega.xlsx', await buildApiDeclaration(OMEGA));
    expect(answer.statusCode).toBe(403);
    expect(answer.body.code).toBe('upload-not-allowed');
  });

  it("answers 409 for a file another party uploaded that the caller cannot see", async () => {
    const truncated = fs.readFileSync(path.join(FIXTURES, 'truncated.xlsx'));
    const first = await upload(api().app, admin, '/api/declarations', 'truncated.xlsx', truncated);
    expect(first.statusCode).toBe(202);
    const again = await upload(api().app, supplier, '/api/declarations', 'truncated.xlsx', truncated);
    expect(again.statusCode).toBe(409);
    expect(again.body.code).toBe('already-uploaded');
  });

  it('returns a declaration naming the caller, processed or not', async () => {
    const bytes = await buildApiDeclaration({ ...OMEGA, marker: 'omega-race' });
    // The worker waits, so the declaration is not yet linked to the supplier.
    const worker = api().runtime.worker!;
    await worker.pause();
    let first;
    try {
      first = await upload(api().app, admin, '/api/declarations', 'omega-race.xlsx', bytes);
      expect(first.statusCode).toBe(202);
      expect(await api().prisma.declaration.findUniqueOrThrow({ where: { id: first.body.id }, select: { supplierId: true } })).toEqual({ supplierId: null });
      const early = await upload(api().app, supplier, '/api/declarations', 'omega-race.xlsx', bytes);
      expect(early.statusCode).toBe(202);
      expect(early.body.id).toBe(first.body.id);
      expect(early.body.created).toBe(false);
    } finally {
      worker.resume();
    }

    await waitForDeclaration(api().app, admin, first.body.id);
    const late = await upload(api().app, supplier, '/api/declarations', 'omega-race.xlsx', bytes);
    expect(late.statusCode).toBe(202);
    expect(late.body.id).toBe(first.body.id);
  });

  it('shows the supplier the declarations the administration uploaded for it', async () => {
    const answer = await request(api().app, supplier, 'GET', `/api/declarations/${omegaId}`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.contactRestricted).toBe(false);
  });
});

describe('queue dashboard', () => {
  const basic = (token: string) => `Basic ${Buffer.from(`avvik:${token}`).toString('base64')}`;
  let supplier: TestUser;
  beforeAll(async () => {
    supplier = await createUser(api().prisma, { name: 'Omega 2', role: 'supplier', party: 'ORG-5560000009' });
  });

  it('opens for the administration with a Bearer token or Basic credentials', async () => {
    for (const authorization of [`Bearer ${admin.token}`, basic(admin.token)]) {
      const page = await api().app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization } });
      expect(page.statusCode).toBe(200);
      expect(page.headers['content-type']).toContain('text/html');
      const queues = await api().app.inject({ method: 'GET', url: '/admin/queues/api/queues?activeQueue=&page=1&jobsPerPage=10', headers: { authorization } });
      expect(queues.statusCode).toBe(200);
      expect(queues.body).toContain(api().queueName);
    }
    const page = (await api().app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: `Bearer ${admin.token}` } })).body;
    const base = /<base href="([^"]+)"/.exec(page)?.[1];
    const script = /src="([^"]+\.js)"/.exec(page)?.[1];
    expect(base).toBe('/admin/queues/');
    const assetUrl = new URL(script!, `http://localhost${base}`).pathname;
    const asset = await api().app.inject({ method: 'GET', url: assetUrl, headers: { authorization: basic(admin.token) } });
    expect(asset.statusCode).toBe(200);
    expect((await api().app.inject({ method: 'GET', url: assetUrl })).statusCode).toBe(401);
  });

  it('asks a browser for credentials when none are sent', async () => {
    for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
      const answer = await api().app.inject({ method: 'GET', url });
      expect(answer.statusCode, url).toBe(401);
      expect(answer.headers['www-authenticate'], url).toBe('Basic realm="Avvik queue dashboard", charset="UTF-8"');
      expect(answer.json().code, url).toBe('missing-token');
    }
    const wrong = await api().app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization: basic('avvik_wrong') } });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('invalid-token');
  });

  it('is closed to other roles', async () => {
    const answer = await api().app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { authorization: `Bearer ${supplier.token}` } });
    expect(answer.statusCode).toBe(403);
    expect(answer.json().code).toBe('administration-only');
  });

  it('reports Redis as ready', async () => {
    const answer = await request(api().app, null, 'GET', '/ready');
    expect(answer.statusCode).toBe(200);
    expect(answer.body.checks).toEqual({ database: { status: 'ok' }, redis: { status: 'ok' } });
  });
});
