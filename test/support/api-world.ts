// A populated API for the visibility tests: three declarations of two suppliers in three
// municipalities, uploaded and processed through the API, owners set through the API, direct
// reports by four parties, comments and attachments, and a user of every role.
import { expect } from 'vitest';
import type { ApiServer } from '../../src/api/server.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { buildApiDeclaration, type ApiDeclarationOptions } from './api-workbooks.ts';
import { createUser, request, upload, waitForDeclaration, type TestUser } from './api.ts';

export const SUPPLIER_A = 'ORG-5560000001';
export const SUPPLIER_B = 'ORG-5560000002';

const DECLARATIONS = {
  alfaNorrby: {
    supplier: 'Alfa System AB',
    organisationNumber: '556000-0001',
    system: 'Alfa Ekonomi',
    municipality: 'Norrby kommun',
    contact: { name: 'Anna Alfasson', phone: '070-111 11 11', email: 'anna.alfasson@alfa.example' },
    marker: 'alfanorr',
  },
  alfaVastby: {
    supplier: 'Alfa System AB',
    organisationNumber: '556000-0001',
    system: 'Alfa Ekonomi',
    municipality: 'Västby kommun',
    contact: { name: 'Axel Alfasson', phone: '070-111 22 22', email: 'axel.alfasson@alfa.example' },
    marker: 'alfavast',
  },
  betaSoderby: {
    supplier: 'Beta Data AB',
    organisationNumber: '556000-0002',
    system: 'Beta Stöd',
    municipality: 'Söderby kommun',
    contact: { name: 'Bo Betasson', phone: '070-222 22 22', email: 'bo.betasson@beta.example' },
    marker: 'betasod',
  },
} satisfies Record<string, ApiDeclarationOptions>;
export type DeclarationKey = keyof typeof DECLARATIONS;
export const DECLARATION_KEYS = Object.keys(DECLARATIONS) as DeclarationKey[];

/** Contacts of the direct reports, and the words that free-text search finds in each. */
const REPORTS = {
  bySupplierA: { contact: { name: 'Rita Rapportör', phone: '070-333 33 33', email: 'rita@alfa-rapport.example' }, marker: 'rapalfa' },
  byMunicipalityB: { contact: { name: 'Maja Kommunsson', phone: '070-444 44 44', email: 'maja@soderby.example' }, marker: 'rapsoder' },
  byFk: { contact: { name: 'Frida Kassasson', phone: '070-555 55 55', email: 'frida@fk.example' }, marker: 'rapfk' },
  byAdministration: { contact: { name: 'Sara Förvaltare', phone: '070-666 66 66', email: 'sara@skr.example' }, marker: 'rapskr' },
} as const;
export type ReportKey = keyof typeof REPORTS;

export type UserKey = 'admin' | 'supplierA' | 'supplierB' | 'fk' | 'csn' | 'drift' | 'municipalityA' | 'municipalityB';
export const USER_KEYS: UserKey[] = ['admin', 'supplierA', 'supplierB', 'fk', 'csn', 'drift', 'municipalityA', 'municipalityB'];

/** A deviation's name in the world: the declaration and requirement id, or the report. */
export type DeviationName = `${DeclarationKey}.${'VS-1' | 'BT-1' | 'BT-2' | 'SS-1'}` | `report.${ReportKey}`;

export interface World {
  users: Record<UserKey, TestUser>;
  declarations: Record<DeclarationKey, string>;
  systems: { alfa: string; beta: string };
  deviations: Record<DeviationName, string>;
  /** The contact stored on each deviation. */
  contacts: Record<DeviationName, { name: string; phone: string; email: string }>;
  /** The free-text marker in each deviation's reason. */
  markers: Record<DeviationName, string>;
  attachments: Record<'alfaNorrbyFk' | 'betaSupplier' | 'fkReport', { id: string; deviation: DeviationName; bytes: Buffer }>;
  comments: Record<'alfaNorrbyFk' | 'betaSupplier', { deviation: DeviationName; body: string }>;
}

export async function buildWorld(app: ApiServer, prisma: PrismaClient): Promise<World> {
  const admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });

  const declarations = {} as Record<DeclarationKey, string>;
  for (const key of DECLARATION_KEYS) {
    const bytes = await buildApiDeclaration(DECLARATIONS[key]);
    const answer = await upload(app, admin, '/api/declarations', `${key}.xlsx`, bytes);
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(202);
    declarations[key] = answer.body.id;
  }
  for (const key of DECLARATION_KEYS) {
    const declaration = await waitForDeclaration(app, admin, declarations[key]);
    expect(declaration.status, JSON.stringify(declaration.error)).toBe('parsed');
  }

  const deviations = {} as Record<DeviationName, string>;
  const contacts = {} as World['contacts'];
  const markers = {} as World['markers'];
  for (const key of DECLARATION_KEYS) {
    const declaration = (await request(app, admin, 'GET', `/api/declarations/${declarations[key]}`)).body;
    expect(declaration.deviations).toHaveLength(4);
    for (const deviation of declaration.deviations) {
      const name = `${key}.${deviation.requirementId}` as DeviationName;
      deviations[name] = deviation.id;
      contacts[name] = DECLARATIONS[key].contact;
      markers[name] = DECLARATIONS[key].marker;
    }
  }
  const alfaSystem = (await request(app, admin, 'GET', `/api/declarations/${declarations.alfaNorrby}`)).body.businessSystem.id as string;
  const betaSystem = (await request(app, admin, 'GET', `/api/declarations/${declarations.betaSoderby}`)).body.businessSystem.id as string;

  const users: Record<UserKey, TestUser> = {
    admin,
    supplierA: await createUser(prisma, { name: 'Alfa System AB', role: 'supplier', party: SUPPLIER_A }),
    supplierB: await createUser(prisma, { name: 'Beta Data AB', role: 'supplier', party: SUPPLIER_B }),
    fk: await createUser(prisma, { name: 'Försäkringskassan', role: 'data-provider', party: 'FK' }),
    csn: await createUser(prisma, { name: 'CSN', role: 'data-provider', party: 'CSN' }),
    drift: await createUser(prisma, { name: 'Driften', role: 'operations' }),
    municipalityA: await createUser(prisma, { name: 'Norrby socialtjänst', role: 'municipality', system: alfaSystem, municipality: 'Norrby kommun' }),
    municipalityB: await createUser(prisma, { name: 'Söderby socialtjänst', role: 'municipality', system: betaSystem, municipality: 'söderby kommun' }),
  };

  // Owners: FK and CSN confirmed on Alfa in Norrby, DRIFT on its SSBTEK row, Beta's FK row left
  // as a proposal, and Beta's CSN row assigned to FK instead.
  const confirm = async (name: DeviationName) => {
    const answer = await request(app, admin, 'POST', `/api/deviations/${deviations[name]}/confirm`, { reason: 'Förslaget stämmer' });
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(200);
  };
  await confirm('alfaNorrby.BT-1');
  await confirm('alfaNorrby.BT-2');
  await confirm('alfaNorrby.SS-1');
  await confirm('betaSoderby.VS-1');
  const assigned = await request(app, admin, 'POST', `/api/deviations/${deviations['betaSoderby.BT-2']}/assign`, {
    area: 'base-service',
    partyCode: 'FK',
    reason: 'Studiemedlet visas via FK:s tjänst',
  });
  expect(assigned.statusCode, JSON.stringify(assigned.body)).toBe(200);

  const report = async (user: TestUser, key: ReportKey, extra: Record<string, unknown> = {}) => {
    const { contact, marker } = REPORTS[key];
    const answer = await request(app, user, 'POST', '/api/deviations', {
      title: `Direktrapporterad avvikelse ${marker}`,
      reproduction: `Öppna ärendet och hämta uppgifter (${marker}).`,
      result: 'Uppgiften visas inte.',
      material: ['Skärmbild av ärendevyn'],
      contactName: contact.name,
      contactPhone: contact.phone,
      contactEmail: contact.email,
      ...extra,
    });
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(201);
    const name = `report.${key}` as DeviationName;
    deviations[name] = answer.body.id;
    contacts[name] = contact;
    markers[name] = marker;
  };
  await report(users.supplierA, 'bySupplierA');
  await report(users.municipalityB, 'byMunicipalityB');
  await report(users.fk, 'byFk', { area: 'Bastjänster', requirementId: 'BT-9' });
  await report(admin, 'byAdministration');

  const comments: World['comments'] = {
    alfaNorrbyFk: { deviation: 'alfaNorrby.BT-1', body: 'FK undersöker bostadsbidraget (kommentar-alfa-fk).' },
    betaSupplier: { deviation: 'betaSoderby.VS-1', body: 'Beta rättar detta i nästa version (kommentar-beta).' },
  };
  for (const [author, comment] of [
    [users.fk, comments.alfaNorrbyFk],
    [users.supplierB, comments.betaSupplier],
  ] as const) {
    const answer = await request(app, author, 'POST', `/api/deviations/${deviations[comment.deviation]}/comments`, { body: comment.body });
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(201);
  }

  const attachment = async (user: TestUser, deviation: DeviationName, fileName: string, bytes: Buffer) => {
    const answer = await upload(app, user, `/api/deviations/${deviations[deviation]}/attachments`, fileName, bytes);
    expect(answer.statusCode, JSON.stringify(answer.body)).toBe(201);
    return { id: answer.body.id as string, deviation, bytes };
  };
  const attachments: World['attachments'] = {
    alfaNorrbyFk: await attachment(admin, 'alfaNorrby.BT-1', 'svar.log', Buffer.from('2026-12-01 10:00 hämtning av bostadsbidrag tog 12 s\n')),
    betaSupplier: await attachment(users.supplierB, 'betaSoderby.VS-1', 'vy.png', pngBytes()),
    fkReport: await attachment(users.fk, 'report.byFk', 'fk-logg.txt', Buffer.from('anrop mot FK-ERSATTNING utan svar\n')),
  };

  return { users, declarations, systems: { alfa: alfaSystem, beta: betaSystem }, deviations, contacts, markers, attachments, comments };
}

/** Returns the smallest valid PNG: one transparent pixel. */
function pngBytes(): Buffer {
  return Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  );
}
