// A sole trader's organisation number is the owner's personal identity number. API answers mask
// it for callers without contact rights, in the cover and in supplier codes that contain it.
// Declarations are uploaded and processed through the API on a real PostgreSQL.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { userActor } from '../src/followup/actors.ts';
import { findOverdue } from '../src/followup/overdue.ts';
import { loadFollowupSettings } from '../src/followup/settings.ts';
import { MASKED_CONTACT } from '../src/api/contact-text.ts';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';
import { buildApiDeclaration, type ApiDeclarationOptions } from './support/api-workbooks.ts';

const api = useTestApi({ queue: false });

/** A sole trader first seen in its declaration: its code, `ORG-` and the digits, contains the number. */
const NEW_TRADER = {
  supplier: 'Eva Ek Konsult',
  organisationNumber: '850312-1231',
  system: 'Ek Ekonomi',
  municipality: 'Norrby kommun',
  contact: { name: 'Eva Ek', phone: '070-123 45 61', email: 'eva@ek.example' },
  marker: 'evaek',
} satisfies ApiDeclarationOptions;

/** A sole trader with a coordination number (day plus 60), stored as a supplier before its first declaration. */
const EARLIER_TRADER = {
  supplier: 'Olle Ås Data',
  organisationNumber: '701063-2391',
  system: 'Ås Stöd',
  municipality: 'Västby kommun',
  contact: { name: 'Olle Ås', phone: '070-123 45 62', email: 'olle@as.example' },
  marker: 'olleas',
} satisfies ApiDeclarationOptions;
const EARLIER_CODE = 'ORG-7010632391';

const LEGAL_PERSON = {
  supplier: 'Gamma System AB',
  organisationNumber: '556000-0019',
  system: 'Gamma Ekonomi',
  municipality: 'Söderby kommun',
  contact: { name: 'Gun Gammasson', phone: '070-123 45 63', email: 'gun@gamma.example' },
  marker: 'gamma',
} satisfies ApiDeclarationOptions;

/**
 * A sole trader whose number has a wrong check digit, which free-text masking keeps. Its second
 * declaration names another supplier, so that its parse report quotes the number in a warning.
 */
const MISTYPED_TRADER = {
  supplier: 'Siv Sund Konsult',
  organisationNumber: '850312-1234',
  system: 'Sund Ekonomi',
  municipality: 'Norrby kommun',
  contact: { name: 'Siv Sund', phone: '070-123 45 64', email: 'siv@sund.example' },
  marker: 'sivsund',
} satisfies ApiDeclarationOptions;

type Key = 'newTrader' | 'earlierTrader' | 'legalPerson' | 'mistypedTrader';
const OPTIONS: Record<Key, ApiDeclarationOptions> = {
  newTrader: NEW_TRADER,
  earlierTrader: EARLIER_TRADER,
  legalPerson: LEGAL_PERSON,
  mistypedTrader: MISTYPED_TRADER,
};
const KEYS = Object.keys(OPTIONS) as Key[];

let admin: TestUser;
/** Each supplier's first and second declaration ids. */
const declarations = {} as Record<Key, [string, string]>;
/** A municipality user of each supplier's system: it sees the declarations but not their contact details. */
const municipalityUsers = {} as Record<Key, TestUser>;

async function ingest(options: ApiDeclarationOptions, marker: string): Promise<string> {
  const answer = await upload(api().app, admin, '/api/declarations', `${marker}.xlsx`, await buildApiDeclaration({ ...options, marker }));
  expect(answer.statusCode, JSON.stringify(answer.body)).toBe(202);
  const declaration = await waitForDeclaration(api().app, admin, answer.body.id);
  expect(declaration.status, JSON.stringify(declaration.error)).toBe('parsed');
  return answer.body.id;
}

beforeAll(async () => {
  const { prisma } = api();
  admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
  await prisma.party.create({
    data: { code: EARLIER_CODE, kind: 'supplier', name: EARLIER_TRADER.supplier, organisationNumber: EARLIER_TRADER.organisationNumber, aliases: [] },
  });
  for (const key of KEYS) {
    const first = await ingest(OPTIONS[key], `${OPTIONS[key].marker}-1`);
    const renamed = key === 'mistypedTrader' ? { supplier: 'Sunds Data' } : {};
    const second = await ingest({ ...OPTIONS[key], ...renamed }, `${OPTIONS[key].marker}-2`);
    declarations[key] = [first, second];
    const system = (await request(api().app, admin, 'GET', `/api/declarations/${first}`)).body.businessSystem.id as string;
    municipalityUsers[key] = await createUser(prisma, { name: `Socialtjänsten ${key}`, role: 'municipality', system, municipality: OPTIONS[key].municipality });
  }
}, 120_000);

const readDeclaration = async (user: TestUser, id: string) => (await request(api().app, user, 'GET', `/api/declarations/${id}`)).body;

describe('sole trader number in API answers', () => {
  const digitsOf = (number: string) => number.replace(/\D/g, '');

  it('masks the number for callers without contact rights', async () => {
    for (const key of ['newTrader', 'earlierTrader', 'mistypedTrader'] as const) {
      const user = municipalityUsers[key];
      const id = declarations[key][1];
      const declaration = await readDeclaration(user, id);
      expect(declaration.contactRestricted, key).toBe(true);
      expect(declaration.cover.organisationNumber, key).toBe(MASKED_CONTACT);
      const deviations = (await request(api().app, user, 'GET', `/api/deviations?declaration=${id}`)).body;
      expect(deviations.items, key).toHaveLength(4);
      const detail = (await request(api().app, user, 'GET', `/api/deviations/${deviations.items[0].id}`)).body;
      const list = (await request(api().app, user, 'GET', '/api/declarations')).body;
      for (const body of [declaration, deviations, detail, list]) {
        const text = JSON.stringify(body);
        expect(text, key).not.toContain(digitsOf(OPTIONS[key].organisationNumber));
        expect(text, key).not.toContain(OPTIONS[key].organisationNumber);
      }
    }
  });

  it('masks the number in a warning that quotes it', async () => {
    const id = declarations.mistypedTrader[1];
    const quoted = `organisation number ${MISTYPED_TRADER.organisationNumber} belongs to the stored supplier`;
    const warnings = async (user: TestUser) => (await readDeclaration(user, id)).parseReport.warnings as string[];
    expect((await warnings(admin)).some((warning) => warning.includes(quoted))).toBe(true);
    const masked = `organisation number ${MASKED_CONTACT} belongs to the stored supplier`;
    expect((await warnings(municipalityUsers.mistypedTrader)).some((warning) => warning.includes(masked))).toBe(true);
  });

  it('masks the supplier code in answers', async () => {
    const user = municipalityUsers.earlierTrader;
    const masked = `ORG-${MASKED_CONTACT}`;
    expect((await readDeclaration(user, declarations.earlierTrader[0])).supplier.code).toBe(masked);
    const items = (await request(api().app, user, 'GET', `/api/deviations?declaration=${declarations.earlierTrader[0]}`)).body.items;
    const vs1 = items.find((item: { requirementId: string }) => item.requirementId === 'VS-1');
    expect(vs1.supplierCode).toBe(masked);
    expect(vs1.proposal.partyCode).toBe(masked);
    const detail = (await request(api().app, user, 'GET', `/api/deviations/${vs1.id}`)).body;
    expect(detail.contactRestricted).toBe(true);
    expect(detail.proposal.partyCode).toBe(masked);
    expect(detail.proposal.candidates.map((candidate: { partyCode: string | null }) => candidate.partyCode)).toContain(masked);
  });

  it('masks the code in exports and statistics', async () => {
    for (const key of ['newTrader', 'earlierTrader'] as const) {
      const answer = await request(api().app, municipalityUsers[key], 'GET', '/api/deviations/export?format=csv');
      expect(answer.statusCode, key).toBe(200);
      const csv = String(answer.raw.body);
      expect(csv, key).toContain(`ORG-${MASKED_CONTACT}`);
      expect(csv, key).not.toContain(digitsOf(OPTIONS[key].organisationNumber));
    }
    const stats = (await request(api().app, municipalityUsers.earlierTrader, 'GET', '/api/stats')).body;
    expect(stats.byParty.map((entry: { key: string }) => entry.key)).toContain(`ORG-${MASKED_CONTACT}`);
    expect(JSON.stringify(stats)).not.toContain(digitsOf(EARLIER_TRADER.organisationNumber));
    const full = await request(api().app, admin, 'GET', '/api/deviations/export?format=csv');
    expect(String(full.raw.body)).toContain(EARLIER_CODE);
  });

  it('masks the code in an upload rejection', async () => {
    const other = { ...NEW_TRADER, supplier: LEGAL_PERSON.supplier, organisationNumber: LEGAL_PERSON.organisationNumber, marker: 'other' };
    const answer = await upload(api().app, municipalityUsers.newTrader, '/api/declarations', 'other.xlsx', await buildApiDeclaration(other));
    expect(answer.statusCode).toBe(403);
    expect(answer.body.code).toBe('declarant-mismatch');
    expect(answer.body.message).toContain(`where your account is for ORG-${MASKED_CONTACT}`);
    expect(answer.body.message).not.toContain(digitsOf(NEW_TRADER.organisationNumber));
  });

  it('masks the code in the follow-up report', async () => {
    const user = municipalityUsers.earlierTrader;
    const items = (await request(api().app, admin, 'GET', `/api/deviations?declaration=${declarations.earlierTrader[0]}`)).body.items;
    const vs1 = items.find((item: { requirementId: string }) => item.requirementId === 'VS-1');
    expect((await request(api().app, admin, 'POST', `/api/deviations/${vs1.id}/confirm`, {})).statusCode).toBe(200);
    const moved = await request(api().app, admin, 'POST', `/api/deviations/${vs1.id}/transition`, { status: 'in-dialogue', reason: 'Frågat leverantören.' });
    expect(moved.statusCode, JSON.stringify(moved.body)).toBe(200);

    const settings = loadFollowupSettings(path.resolve(import.meta.dirname, '..', 'config', 'followup.json'));
    const later = '2027-06-01';
    const report = await findOverdue(api().prisma, await userActor(api().prisma, user.id), settings, later);
    const masked = `ORG-${MASKED_CONTACT}`;
    expect(report.groups.map((group) => group.party.code)).toContain(masked);
    expect(report.groups.flatMap((group) => group.items.map((item) => item.supplierCode))).toContain(masked);
    expect(JSON.stringify(report)).not.toContain(digitsOf(EARLIER_TRADER.organisationNumber));

    const full = await findOverdue(api().prisma, await userActor(api().prisma, admin.id), settings, later);
    expect(full.groups.map((group) => group.party.code)).toContain(EARLIER_CODE);
  });

  it('does not tell other callers which suppliers exist', async () => {
    const user = municipalityUsers.newTrader;
    const list = (query: string, caller: TestUser = user) => request(api().app, caller, 'GET', `/api/deviations?${query}`);
    // A stored sole trader's code, in another case and exactly, answers as an unknown one does.
    for (const code of [EARLIER_CODE.toLowerCase(), EARLIER_CODE, 'ORG-1234567890']) {
      const answer = await list(`party=${code}`);
      expect(answer.statusCode, code).toBe(200);
      expect(answer.body.total, code).toBe(0);
    }
    expect((await list('party=fk')).body.message).toContain('so give FK instead');

    const supplier = await createUser(api().prisma, { name: 'Olle Ås', role: 'supplier', party: EARLIER_CODE });
    const own = await list(`party=${EARLIER_CODE.toLowerCase()}`, supplier);
    expect(own.statusCode).toBe(400);
    expect(own.body.message).toContain(`so give ${EARLIER_CODE} instead`);
    expect((await list(`party=${EARLIER_CODE}`, supplier)).statusCode).toBe(200);

    const byAdmin = await list(`party=${EARLIER_CODE.toLowerCase()}`, admin);
    expect(byAdmin.statusCode).toBe(400);
    expect(byAdmin.body.message).toContain(`so give ${EARLIER_CODE} instead`);
  });

  it('shows the number to callers with contact rights', async () => {
    const supplier = await createUser(api().prisma, { name: 'Olle Ås', role: 'supplier', party: EARLIER_CODE });
    for (const user of [admin, supplier]) {
      const declaration = await readDeclaration(user, declarations.earlierTrader[0]);
      expect(declaration.contactRestricted, user.name).toBe(false);
      expect(declaration.cover.organisationNumber, user.name).toBe(EARLIER_TRADER.organisationNumber);
      expect(declaration.supplier.code, user.name).toBe(EARLIER_CODE);
    }
  });

  it('shows a legal person\'s number to every caller', async () => {
    const declaration = await readDeclaration(municipalityUsers.legalPerson, declarations.legalPerson[0]);
    expect(declaration.contactRestricted).toBe(true);
    expect(declaration.cover.organisationNumber).toBe(LEGAL_PERSON.organisationNumber);
    expect(declaration.supplier.code).toBe('ORG-5560000019');
  });
});
