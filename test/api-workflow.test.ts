// The deviation workflow through the API: the whole life cycle with history, invalid transitions
// rejected with 409 and the allowed statuses, owner confirmation and assignment, due dates and the
// overdue filter, direct entry and its validation, and who may do what. Declarations are
// processed in the server process here (no REDIS_URL).
import { beforeAll, describe, expect, it } from 'vitest';
import { todayInSweden } from '../src/workflow/dates.ts';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';
import { buildApiDeclaration } from './support/api-workbooks.ts';

const DAY_MS = 24 * 3600 * 1000;
/** The server's clock; tests move it forward to let due dates pass. */
const clock = { now: new Date() };
const api = useTestApi({ queue: false, now: () => clock.now });

let admin: TestUser;
let supplier: TestUser;
let otherSupplier: TestUser;
let municipality: TestUser;
const ids: Record<'VS-1' | 'BT-1' | 'BT-2' | 'SS-1', string> = { 'VS-1': '', 'BT-1': '', 'BT-2': '', 'SS-1': '' };
let systemId: string;
const dateIn = (days: number) => todayInSweden(new Date(clock.now.getTime() + days * DAY_MS));

beforeAll(async () => {
  const { app, prisma } = api();
  admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
  const bytes = await buildApiDeclaration({
    supplier: 'Gamma Vård AB',
    organisationNumber: '556000-0003',
    system: 'Gamma Omsorg',
    municipality: 'Österby kommun',
    contact: { name: 'Greta Gammasson', phone: '070-777 77 77', email: 'greta@gamma.example' },
    marker: 'gamma',
  });
  const uploaded = await upload(app, admin, '/api/declarations', 'gamma.xlsx', bytes);
  expect(uploaded.statusCode).toBe(202);
  const declaration = await waitForDeclaration(app, admin, uploaded.body.id);
  expect(declaration.status).toBe('parsed');
  for (const deviation of declaration.deviations) ids[deviation.requirementId as keyof typeof ids] = deviation.id;
  systemId = declaration.businessSystem.id;

  await api().prisma.party.create({ data: { code: 'ORG-5560000004', kind: 'supplier', name: 'Delta AB' } });
  supplier = await createUser(prisma, { name: 'Gamma Vård AB', role: 'supplier', party: 'ORG-5560000003' });
  otherSupplier = await createUser(prisma, { name: 'Delta AB', role: 'supplier', party: 'ORG-5560000004' });
  municipality = await createUser(prisma, { name: 'Österby', role: 'municipality', system: systemId, municipality: 'Österby kommun' });
}, 120_000);

const post = (user: TestUser, path: string, body?: unknown) => request(api().app, user, 'POST', path, body);
const get = (user: TestUser, path: string) => request(api().app, user, 'GET', path);

describe('life cycle', () => {
  it('runs from new to closed, reopens and records every step', async () => {
    const id = ids['VS-1'];
    const steps: { status: string; reason: string; dueDate?: string }[] = [
      { status: 'in-dialogue', reason: 'Dialog inledd med leverantören' },
      { status: 'will-fix', reason: 'Leverantören rättar i version 3', dueDate: dateIn(30) },
      { status: 'fixed', reason: 'Version 3 levererad' },
      { status: 'closed', reason: 'Verifierat i test' },
      { status: 'in-dialogue', reason: 'Felet kom tillbaka' },
      { status: 'postponed', reason: 'Väntar på ny specifikation' },
      { status: 'will-fix', reason: 'Specifikationen klar', dueDate: dateIn(60) },
      { status: 'in-dialogue', reason: 'Ny fråga från leverantören' },
      { status: 'wont-fix', reason: 'Kravet tas bort' },
      { status: 'closed', reason: 'Avslutad' },
    ];
    for (const step of steps) {
      const answer = await post(admin, `/api/deviations/${id}/transition`, step);
      expect(answer.statusCode, `${step.status}: ${JSON.stringify(answer.body)}`).toBe(200);
      expect(answer.body.status).toBe(step.status);
    }

    const detail = (await get(admin, `/api/deviations/${id}`)).body;
    const changes = detail.history.filter((event: { type: string }) => event.type === 'status-changed' || event.type === 'reopened');
    expect(changes).toHaveLength(steps.length);
    let previous = { status: 'new', dueDate: null as string | null };
    for (const [index, step] of steps.entries()) {
      const event = changes[index];
      expect(event.actor.id).toBe(admin.id);
      expect(event.reason).toBe(step.reason);
      expect(event.from).toEqual(previous);
      const dueDate = step.dueDate ?? (step.status === 'fixed' ? previous.dueDate : null);
      expect(event.to).toEqual({ status: step.status, dueDate });
      expect(Date.parse(event.at)).not.toBeNaN();
      previous = { status: step.status, dueDate };
    }
    expect(changes[4].type).toBe('reopened');
    expect(changes[0].type).toBe('status-changed');
    expect(detail.dueDate).toBeNull();
  });

  it('answers an invalid transition with 409 naming the allowed statuses', async () => {
    const answer = await post(admin, `/api/deviations/${ids['SS-1']}/transition`, { status: 'fixed', reason: 'för tidigt' });
    expect(answer.statusCode).toBe(409);
    expect(answer.body.code).toBe('invalid-transition');
    expect(answer.body.allowed).toEqual(['in-dialogue', 'rejected-not-deviation', 'rejected-duplicate']);
    expect(answer.body.message).toContain('in-dialogue, rejected-not-deviation, rejected-duplicate');
    const detail = (await get(admin, `/api/deviations/${ids['SS-1']}`)).body;
    expect(detail.status).toBe('new');
    expect(detail.allowedTransitions).toEqual(['in-dialogue', 'rejected-not-deviation', 'rejected-duplicate']);
  });

  it.each([
    ['closed', 'fixed', ['in-dialogue']],
    ['will-fix', 'closed', ['fixed', 'postponed', 'in-dialogue']],
    ['in-dialogue', 'new', ['will-fix', 'wont-fix', 'postponed', 'rejected-not-deviation', 'rejected-duplicate']],
  ])('rejects %s to %s', async (from, to, allowed) => {
    const id = await newReport(`övergång ${from} till ${to}`);
    const path: Record<string, { status: string; dueDate?: string }[]> = {
      closed: [{ status: 'rejected-duplicate' }, { status: 'closed' }],
      'will-fix': [{ status: 'in-dialogue' }, { status: 'will-fix', dueDate: dateIn(5) }],
      'in-dialogue': [{ status: 'in-dialogue' }],
    };
    for (const step of path[from]!) expect((await post(admin, `/api/deviations/${id}/transition`, { ...step, reason: 'förbered' })).statusCode).toBe(200);
    const answer = await post(admin, `/api/deviations/${id}/transition`, { status: to, reason: 'ogiltig' });
    expect(answer.statusCode).toBe(409);
    expect(answer.body.allowed).toEqual(allowed);
  });

  it('needs a due date, today or later, for will-fix only', async () => {
    const id = await newReport('förfallodatum');
    expect((await post(admin, `/api/deviations/${id}/transition`, { status: 'in-dialogue', reason: 'dialog', dueDate: dateIn(3) })).body.code).toBe(
      'due-date-not-allowed',
    );
    expect((await post(admin, `/api/deviations/${id}/transition`, { status: 'in-dialogue', reason: 'dialog' })).statusCode).toBe(200);

    const missing = await post(admin, `/api/deviations/${id}/transition`, { status: 'will-fix', reason: 'rättas' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body.fields).toEqual([{ field: 'dueDate', message: 'is required for will-fix' }]);
    const past = await post(admin, `/api/deviations/${id}/transition`, { status: 'will-fix', reason: 'rättas', dueDate: dateIn(-1) });
    expect(past.statusCode).toBe(400);
    expect(past.body.code).toBe('due-date-in-past');
    const malformed = await post(admin, `/api/deviations/${id}/transition`, { status: 'will-fix', reason: 'rättas', dueDate: '31/12/2030' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body.fields[0].field).toBe('dueDate');
    const accepted = await post(admin, `/api/deviations/${id}/transition`, { status: 'will-fix', reason: 'rättas', dueDate: dateIn(0) });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body.dueDate).toBe(dateIn(0));
  });

  it('flags overdue after the due date', async () => {
    const id = await newReport('försenad');
    await post(admin, `/api/deviations/${id}/transition`, { status: 'in-dialogue', reason: 'dialog' });
    await post(admin, `/api/deviations/${id}/transition`, { status: 'will-fix', reason: 'rättas', dueDate: dateIn(1) });
    const overdueIds = async () => (await get(admin, '/api/deviations?overdue=true&limit=500')).body.items.map((item: { id: string }) => item.id);
    expect(await overdueIds()).not.toContain(id);

    const started = clock.now;
    clock.now = new Date(started.getTime() + 3 * DAY_MS);
    try {
      expect(await overdueIds()).toContain(id);
      expect((await get(admin, `/api/deviations/${id}`)).body.overdue).toBe(true);
      const notOverdue = (await get(admin, '/api/deviations?overdue=false&limit=500')).body.items.map((item: { id: string }) => item.id);
      expect(notOverdue).not.toContain(id);
      await post(admin, `/api/deviations/${id}/transition`, { status: 'fixed', reason: 'rättat sent' });
      expect(await overdueIds()).not.toContain(id);
      expect((await get(admin, `/api/deviations/${id}`)).body.overdue).toBe(false);
    } finally {
      clock.now = started;
    }
  });

  it('requires a reason for every change', async () => {
    const answer = await post(admin, `/api/deviations/${ids['SS-1']}/transition`, { status: 'in-dialogue' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.fields).toEqual([{ field: 'reason', message: 'is required' }]);
    const blank = await post(admin, `/api/deviations/${ids['SS-1']}/transition`, { status: 'in-dialogue', reason: '   ' });
    expect(blank.body.fields).toEqual([{ field: 'reason', message: 'must not be empty' }]);
    const unknown = await post(admin, `/api/deviations/${ids['SS-1']}/transition`, { status: 'done', reason: 'x' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body.fields[0].field).toBe('status');
    expect(unknown.body.fields[0].message).toContain('in-dialogue');
  });
});

describe('owners', () => {
  it('confirms the proposal and records it', async () => {
    const answer = await post(admin, `/api/deviations/${ids['BT-1']}/confirm`);
    expect(answer.statusCode).toBe(200);
    expect(answer.body.owner).toMatchObject({ area: 'base-service', partyKind: 'data-provider', partyCode: 'FK', setBy: admin.id });
    expect(answer.body.history.at(-1)).toMatchObject({
      type: 'owner-confirmed',
      from: null,
      to: { area: 'base-service', partyCode: 'FK' },
      reason: 'Föreslagen ägare bekräftad',
    });
  });

  it('assigns another owner with a reason', async () => {
    const answer = await post(admin, `/api/deviations/${ids['BT-1']}/assign`, { area: 'ssbtek', partyCode: 'DRIFT', reason: 'Felet ligger i den centrala komponenten' });
    expect(answer.statusCode).toBe(200);
    expect(answer.body.owner).toMatchObject({ area: 'ssbtek', partyKind: 'operations', partyCode: 'DRIFT' });
    expect(answer.body.proposal.partyCode).toBe('FK');
    expect(answer.body.history.at(-1)).toMatchObject({
      type: 'owner-assigned',
      from: { area: 'base-service', partyCode: 'FK' },
      to: { area: 'ssbtek', partyCode: 'DRIFT' },
      reason: 'Felet ligger i den centrala komponenten',
    });
  });

  it.each([
    [{ area: 'base-service', partyCode: 'NOPE', reason: 'x' }, 'unknown-party', 'No party has the code NOPE.'],
    [
      { area: 'base-service', partyCode: 'DRIFT', reason: 'x' },
      'party-does-not-fit-area',
      'Party DRIFT is an operations party, but area base-service is owned by a data provider.',
    ],
    [{ area: 'ssbtek', partyCode: 'FK', reason: 'x' }, 'party-does-not-fit-area', 'Party FK is a data provider, but area ssbtek is owned by an operations party.'],
    [
      { area: 'business-system', partyCode: 'ORG-5560000004', reason: 'x' },
      'other-supplier',
      'This deviation concerns the business system of supplier ORG-5560000003',
    ],
  ])('rejects assignment %j', async (body, code, message) => {
    const answer = await post(admin, `/api/deviations/${ids['BT-2']}/assign`, body);
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe(code);
    expect(answer.body.message).toContain(message);
    expect(answer.body.fields[0].field).toBe('partyCode');
  });

  it.each([
    ['base-service', 'fk', 'FK'],
    ['business-system', 'org-5560000003', 'ORG-5560000003'],
  ])('names the stored spelling of %s party %s', async (area, partyCode, stored) => {
    const answer = await post(admin, `/api/deviations/${ids['BT-2']}/assign`, { area, partyCode, reason: 'x' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('unknown-party');
    expect(answer.body.message).toBe(`No party has the code ${partyCode}. Party codes are case-sensitive, so give ${stored} instead.`);
    expect(answer.body.fields).toEqual([{ field: 'partyCode', message: 'is not a known party code' }]);
  });

  it('lists the known party codes for an unknown one', async () => {
    const answer = await post(admin, `/api/deviations/${ids['BT-2']}/assign`, { area: 'base-service', partyCode: 'NOPE', reason: 'x' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('unknown-party');
    expect(answer.body.message).toContain('The reference parties have the codes AF, AKASSA, CSN, DRIFT, FK, PM, SKR, SKV and TS.');
    expect(answer.body.message).toContain("A supplier's code is ORG- and the digits of its organisation number");
    expect(answer.body.fields).toEqual([{ field: 'partyCode', message: 'is not a known party code' }]);
  });

  it('names the party kind an area needs', async () => {
    const answer = await post(admin, `/api/deviations/${ids['BT-2']}/assign`, { area: 'base-service', partyCode: 'DRIFT', reason: 'x' });
    expect(answer.body.fields).toEqual([{ field: 'partyCode', message: 'must be the code of a data provider for area base-service' }]);
  });

  it('rejects an incomplete assignment with every missing field', async () => {
    const answer = await post(admin, `/api/deviations/${ids['BT-2']}/assign`, { area: 'unassigned' });
    expect(answer.statusCode).toBe(400);
    expect(answer.body.fields.map((field: { field: string }) => field.field).sort()).toEqual(['area', 'partyCode', 'reason']);
  });

  it('has nothing to confirm when the rules proposed no owner', async () => {
    const id = await newReport('oklart ärende', { area: null });
    const detail = (await get(admin, `/api/deviations/${id}`)).body;
    expect(detail.proposal.area).toBe('unassigned');
    const answer = await post(admin, `/api/deviations/${id}/confirm`, {});
    expect(answer.statusCode).toBe(409);
    expect(answer.body.code).toBe('no-proposal');
  });
});

describe('permissions', () => {
  it('rejects assignment by others before checking the party code', async () => {
    const answer = await post(supplier, `/api/deviations/${ids['BT-2']}/assign`, { area: 'base-service', partyCode: 'fk', reason: 'x' });
    expect(answer.statusCode).toBe(403);
    expect(answer.body.code).toBe('administration-only');
  });

  it.each(['confirm', 'assign', 'transition'])('lets only the administration %s', async (action) => {
    const body = action === 'assign' ? { area: 'base-service', partyCode: 'CSN', reason: 'x' } : { status: 'in-dialogue', reason: 'x' };
    for (const user of [supplier, municipality]) {
      const answer = await post(user, `/api/deviations/${ids['BT-2']}/${action}`, action === 'confirm' ? {} : body);
      expect(answer.statusCode).toBe(403);
      expect(answer.body.code).toBe('administration-only');
      expect(answer.body.message).toContain('administration');
    }
  });

  it('lets parties comment and attach on deviations they see', async () => {
    const comment = await post(supplier, `/api/deviations/${ids['BT-2']}/comments`, { body: 'Vi har frågat CSN.' });
    expect(comment.statusCode).toBe(201);
    const attachment = await upload(api().app, municipality, `/api/deviations/${ids['BT-2']}/attachments`, 'logg.txt', Buffer.from('fel 500 från CSN\n'));
    expect(attachment.statusCode).toBe(201);
    const detail = (await get(admin, `/api/deviations/${ids['BT-2']}`)).body;
    expect(detail.comments.at(-1)).toMatchObject({ body: 'Vi har frågat CSN.', author: { id: supplier.id, role: 'supplier', partyCode: 'ORG-5560000003' } });
    expect(detail.attachments.at(-1)).toMatchObject({ fileName: 'logg.txt', uploadedBy: { id: municipality.id, role: 'municipality' } });
    expect(detail.history.slice(-2).map((event: { type: string }) => event.type)).toEqual(['comment-added', 'attachment-added']);
  });

  it('rejects an empty comment and an attachment of unknown type', async () => {
    const empty = await post(supplier, `/api/deviations/${ids['BT-2']}/comments`, { body: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body.fields).toEqual([{ field: 'body', message: 'must not be empty' }]);
    const binary = await upload(api().app, supplier, `/api/deviations/${ids['BT-2']}/attachments`, 'data.bin', Buffer.from([0, 1, 2, 3, 255, 254]));
    expect(binary.statusCode).toBe(415);
    expect(binary.body.code).toBe('unsupported-file-type');
    expect(binary.body.message).toContain('data.bin');
  });

  it('rejects an empty attachment as empty', async () => {
    const empty = await upload(api().app, supplier, `/api/deviations/${ids['BT-2']}/attachments`, 'empty.txt', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    expect(empty.body.code).toBe('empty-file');
    expect(empty.body.message).toBe("The file 'empty.txt' is empty (0 bytes). Attach the file again with its content.");
  });

  it('offers no way to edit or delete history, comments or deviations', async () => {
    const id = ids['VS-1'];
    for (const [method, path] of [
      ['DELETE', `/api/deviations/${id}`],
      ['PATCH', `/api/deviations/${id}`],
      ['PUT', `/api/deviations/${id}`],
      ['DELETE', `/api/deviations/${id}/comments`],
      ['PUT', `/api/deviations/${id}/history`],
    ] as const) {
      const answer = await request(api().app, admin, method, path, method === 'DELETE' ? undefined : { status: 'new' });
      expect(answer.statusCode, `${method} ${path}`).toBe(404);
      expect(answer.body.code).toBe('route-not-found');
    }
  });
});

describe('direct entry', () => {
  const valid = {
    title: 'Inkomstuppgifter saknas',
    reproduction: 'Sök på en person med inkomst och öppna fliken Inkomster.',
    result: 'Fliken är tom.',
    material: ['Skärmbild av fliken Inkomster'],
    contactName: 'Per Persson',
    contactPhone: '+46 70 123 45 67',
    contactEmail: 'per@example.se',
  };

  it('lists every missing field', async () => {
    const answer = await post(admin, '/api/deviations', {});
    expect(answer.statusCode).toBe(400);
    expect(answer.body.code).toBe('invalid-request');
    const fields = Object.fromEntries(answer.body.fields.map((field: { field: string; message: string }) => [field.field, field.message]));
    expect(fields).toEqual({
      title: 'is required',
      reproduction: 'is required',
      result: 'is required',
      material: 'is required',
      contactName: 'is required',
      contactPhone: 'is required',
      contactEmail: 'is required',
    });
    expect(answer.body.message).toMatch(/^The request body has 7 invalid or missing fields: /);
  });

  it('names each invalid field', async () => {
    const answer = await post(admin, '/api/deviations', { ...valid, material: [], contactEmail: 'per.example.se', contactPhone: 'ring mig', title: 'x'.repeat(301), extra: 1 });
    expect(answer.statusCode).toBe(400);
    const fields = answer.body.fields.map((field: { field: string }) => field.field).sort();
    expect(fields).toEqual(['contactEmail', 'contactPhone', 'extra', 'material', 'title']);
    expect(answer.body.fields.find((field: { field: string }) => field.field === 'extra').message).toBe('is not a known field');
    expect(answer.body.fields.find((field: { field: string }) => field.field === 'material').message).toContain('at least one');
  });

  it('stores a report as new with a proposed owner and a created event', async () => {
    const answer = await post(supplier, '/api/deviations', { ...valid, area: 'Bastjänster', requirementId: 'BT-7', reproduction: `${valid.reproduction} Inkomstuppgifter från Skatteverket saknas.` });
    expect(answer.statusCode).toBe(201);
    expect(answer.raw.headers.location).toBe(`/api/deviations/${answer.body.id}`);
    const detail = (await get(supplier, `/api/deviations/${answer.body.id}`)).body;
    expect(detail).toMatchObject({
      status: 'new',
      title: valid.title,
      requirementId: 'BT-7',
      supplierCode: 'ORG-5560000003',
      declarationId: null,
      reportedBy: { id: supplier.id },
      contact: { name: 'Per Persson', phone: '+46 70 123 45 67', email: 'per@example.se' },
      material: valid.material,
      missingFields: [],
      owner: null,
    });
    expect(detail.proposal).toMatchObject({ area: 'base-service', partyCode: 'SKV' });
    expect(detail.history).toHaveLength(1);
    expect(detail.history[0]).toMatchObject({ type: 'created', actor: { id: supplier.id }, to: { status: 'new', source: 'direct-entry' } });
    expect(JSON.stringify(detail.history)).not.toContain('per@example.se');
  });

  it('places a municipality report on its own system and municipality', async () => {
    const answer = await post(municipality, '/api/deviations', valid);
    expect(answer.statusCode).toBe(201);
    const detail = (await get(admin, `/api/deviations/${answer.body.id}`)).body;
    expect(detail.businessSystem.id).toBe(systemId);
    expect(detail.municipality).toBe('Österby kommun');
    expect(detail.supplierCode).toBe('ORG-5560000003');
    const seenBySupplier = await get(supplier, `/api/deviations/${answer.body.id}`);
    expect(seenBySupplier.statusCode).toBe(200);
    expect(seenBySupplier.body.contact).toBeNull();
  });

  it('rejects a report on a system the reporter does not own', async () => {
    const municipalityAnswer = await post(municipality, '/api/deviations', { ...valid, municipality: 'Annanby kommun' });
    expect(municipalityAnswer.statusCode).toBe(400);
    expect(municipalityAnswer.body.fields[0].field).toBe('municipality');
    const supplierAnswer = await post(otherSupplier, '/api/deviations', { ...valid, systemId });
    expect(supplierAnswer.statusCode).toBe(400);
    expect(supplierAnswer.body.fields).toEqual([{ field: 'systemId', message: 'is not a business system you can report on' }]);
    const unknown = await post(admin, '/api/deviations', { ...valid, systemId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.statusCode).toBe(400);
  });
});

async function newReport(title: string, extra: Record<string, unknown> = {}): Promise<string> {
  const answer = await post(admin, '/api/deviations', {
    title,
    reproduction: 'Steg för att återskapa.',
    result: 'Resultat.',
    material: ['logg'],
    contactName: 'Test Testsson',
    contactPhone: '070-000 00 01',
    contactEmail: 'test@example.se',
    ...extra,
  });
  expect(answer.statusCode, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}
