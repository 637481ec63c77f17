// Contact details that a declaration writes into cells other than the requirement text and
// comment: the requirement id, the area, the answer, and an answer the parser quotes in a
// warning. A caller who may not read the contact details gets them masked wherever they appear.
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';

const api = useTestApi({ queue: false });

const PHONE = '070-555 12 34';
const EMAIL = 'olle.svensson@kommun.example.se';
const OTHER_EMAIL = 'olle@kommun.example.se';
// The file name names a phone number too, and it reaches callers in lists, material and context.
const FILE_PHONE = '070-999 88 77';
// The sheet's name names a phone number too, and it reaches callers in every row's source.
const SHEET_PHONE = '070-444 33 22';
// A personal identity number, with a valid check digit, in a comment.
const IDENTITY = '850312-1231';
let admin: TestUser;
let municipality: TestUser;
let declarationId: string;
let deviationIds: string[];

async function buildWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`Krav ${SHEET_PHONE}`);
  sheet.addRow(['Leverantör', 'Cellbolaget AB']);
  sheet.addRow(['Organisationsnummer', '556000-0019']);
  sheet.addRow(['Verksamhetssystem', 'Cellsystemet']);
  sheet.addRow(['Kommun', 'Cellby kommun']);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow(['BT-01', 'Bastjänster', 'Systemet ska hämta uppgifter om bostadsbidrag.', `Delvis – ring Olle ${PHONE}`, 'Fungerar delvis.']);
  sheet.addRow(['BT-02', 'Bastjänster', 'Systemet ska hämta uppgifter om sjukpenning.', `${EMAIL} vet`, '']);
  sheet.addRow(['BT-03', `Bastjänster (Olle ${PHONE})`, 'Systemet ska hämta uppgifter om studiemedel.', 'Nej', `Saknas för ${IDENTITY}.`]);
  sheet.addRow([`BT-04 ${OTHER_EMAIL}`, 'Bastjänster', 'Systemet ska hämta uppgifter om a-kassa.', 'Nej', 'Saknas.']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  const { app, prisma } = api();
  admin = await createUser(prisma, { name: 'Förvaltningen', role: 'administration' });
  const uploaded = await upload(app, admin, '/api/declarations', `celler ${FILE_PHONE}.xlsx`, await buildWorkbook());
  expect(uploaded.statusCode, JSON.stringify(uploaded.body)).toBe(202);
  declarationId = uploaded.body.id;
  const declaration = await waitForDeclaration(app, admin, declarationId);
  expect(declaration.status, JSON.stringify(declaration.error)).toBe('parsed');
  const detail = (await request(app, admin, 'GET', `/api/declarations/${declarationId}`)).body;
  deviationIds = detail.deviations.map((deviation: { id: string }) => deviation.id);
  municipality = await createUser(prisma, { name: 'Cellby socialtjänst', role: 'municipality', system: detail.businessSystem.id, municipality: 'Cellby kommun' });
}, 120_000);

/** Returns the body of a GET as text, after checking that it succeeded. */
async function read(user: TestUser, url: string): Promise<string> {
  const answer = await request(api().app, user, 'GET', url);
  expect(answer.statusCode, url).toBe(200);
  return typeof answer.body === 'string' || Buffer.isBuffer(answer.body) ? String(answer.body) : JSON.stringify(answer.body);
}

describe('contact details in other cells', () => {
  it('reaches the administration whole', async () => {
    const context = await read(admin, `/api/deviations/${deviationIds[0]}/context?around=5`);
    for (const contact of [PHONE, EMAIL, OTHER_EMAIL, IDENTITY, SHEET_PHONE]) expect(context).toContain(contact);
    expect(await read(admin, `/api/declarations/${declarationId}`)).toContain(EMAIL);
    expect(await read(admin, `/api/deviations/${deviationIds[0]}`)).toContain(FILE_PHONE);
  });

  it('is masked for a caller without contact rights', async () => {
    const urls = [
      `/api/declarations/${declarationId}`,
      '/api/declarations',
      '/api/deviations',
      '/api/deviations/export?format=csv',
      ...deviationIds.flatMap((id) => [`/api/deviations/${id}`, `/api/deviations/${id}/context?around=5`]),
    ];
    expect(deviationIds.length).toBeGreaterThanOrEqual(3);
    for (const url of urls) {
      const text = await read(municipality, url);
      for (const contact of [PHONE, EMAIL, OTHER_EMAIL, FILE_PHONE, SHEET_PHONE, IDENTITY, '070-555', '070-999', '070-444', 'olle@', '850312']) expect(text, url).not.toContain(contact);
    }
    const context = await read(municipality, `/api/deviations/${deviationIds[0]}/context?around=5`);
    expect(context).toContain('[contact hidden]');
    expect(context).toContain('BT-01');
  });

  it('is not found by search without contact rights', async () => {
    const found = await request(api().app, municipality, 'GET', `/api/deviations?q=${encodeURIComponent('olle@')}`);
    expect(found.statusCode).toBe(200);
    expect(found.body.total).toBe(0);
    const byAdmin = await request(api().app, admin, 'GET', `/api/deviations?q=${encodeURIComponent('olle@')}`);
    expect(byAdmin.body.total).toBe(1);
  });
});
