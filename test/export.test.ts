// Exports as CSV and XLSX, from the HTTP API and from the command line, with the data of two
// suppliers, two data providers, the operations party and two municipalities present. Each role's
// export must contain exactly the deviations its list shows, contact details only where its
// single read shows them, and no cell that a spreadsheet would run as a formula.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MASKED_SEARCH_ROWS } from '../src/api/text-search.ts';
import { exportDeviations } from '../src/export/export.ts';
import { EXPORT_COLUMNS } from '../src/export/rows.ts';
import { administrationActor } from '../src/followup/actors.ts';
import { todayInSweden } from '../src/workflow/dates.ts';
import { createUser, request, upload, useTestApi, waitForDeclaration, type TestUser } from './support/api.ts';
import { buildWorld, USER_KEYS, type UserKey, type World } from './support/api-world.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const api = useTestApi({ queue: true });
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-export-'));
afterAll(() => fs.rmSync(outDir, { recursive: true, force: true }));

let world: World;
const formulaIds: string[] = [];
const FORMULA_REPORT = {
  title: '=HYPERLINK("http://angripare.example","Klicka")',
  reproduction: '+cmd|/c calc',
  result: '@SUM(A1:A2)',
  material: ['-2+3'],
  contactName: 'Fia Formel',
  contactPhone: '070-888 88 88',
  contactEmail: 'fia@formel.example',
};

/** Builds a declaration whose requirement text and comment start like formulas. */
async function formulaDeclaration(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Krav');
  sheet.addRow(['Självdeklaration SSBTEK']);
  sheet.addRow(['Leverantör', 'Gamma Formel AB']);
  sheet.addRow(['Organisationsnummer', '556000-0009']);
  sheet.addRow(['Verksamhetssystem', 'Gamma']);
  sheet.addRow(['Kommun', 'Formelby kommun']);
  sheet.addRow(['Kontaktperson', 'Gösta Gamma']);
  sheet.addRow(['Telefon', '070-999 99 99']);
  sheet.addRow(['E-post', 'gosta@gamma.example']);
  sheet.addRow([]);
  sheet.addRow(['Krav-ID', 'Område', 'Krav', 'Uppfyllt', 'Kommentar']);
  sheet.addRow(['F-1', 'Verksamhetssystem', '=HYPERLINK("x")', 'Nej', '+cmd']);
  sheet.addRow(['F-2', 'Verksamhetssystem', 'Systemet ska visa belopp.', 'Ja', '']);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

beforeAll(async () => {
  const { app, prisma } = api();
  world = await buildWorld(app, prisma);
  const uploaded = await upload(app, world.users.admin, '/api/declarations', 'formel.xlsx', await formulaDeclaration());
  expect(uploaded.statusCode).toBe(202);
  const declaration = await waitForDeclaration(app, world.users.admin, uploaded.body.id);
  expect(declaration.status).toBe('parsed');
  expect(declaration.deviations).toHaveLength(1);
  formulaIds.push(declaration.deviations[0].id);
  const reported = await request(app, world.users.admin, 'POST', '/api/deviations', FORMULA_REPORT);
  expect(reported.statusCode, JSON.stringify(reported.body)).toBe(201);
  formulaIds.push(reported.body.id);
}, 240_000);

/** Parses RFC 4180 CSV: quoted fields with doubled quotes, CRLF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index++;
      } else if (character === '"') {
        quoted = false;
      } else {
        field += character;
      }
    } else if (character === '"') {
      quoted = true;
    } else if (character === ',') {
      row.push(field);
      field = '';
    } else if (character === '\r' && text[index + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      index++;
    } else {
      field += character;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

type Table = Record<(typeof EXPORT_COLUMNS)[number], string>[];

function csvTable(bytes: Buffer): Table {
  const text = bytes.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  const [header, ...rows] = parseCsv(text.slice(1));
  expect(header).toEqual([...EXPORT_COLUMNS]);
  return rows.map((cells) => Object.fromEntries(header!.map((column, index) => [column, cells[index] ?? ''])) as Table[number]);
}

/** Reads the workbook's first sheet, and checks that no cell is a formula and every text is a string cell. */
async function xlsxTable(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  const sheet = workbook.worksheets[0]!;
  const rows: string[][] = [];
  sheet.eachRow((row) => {
    const cells: string[] = [];
    for (let column = 1; column <= EXPORT_COLUMNS.length; column++) {
      const cell = row.getCell(column);
      expect(cell.formula, cell.address).toBeUndefined();
      expect(cell.type, cell.address).not.toBe(ExcelJS.ValueType.Formula);
      cells.push(cell.value === null ? '' : cell.text);
    }
    rows.push(cells);
  });
  const [header, ...body] = rows;
  expect(header).toEqual([...EXPORT_COLUMNS]);
  return body.map((cells) => Object.fromEntries(header!.map((column, index) => [column, cells[index]!])) as Table[number]);
}

async function apiExport(user: TestUser, format: 'csv' | 'xlsx', query = '') {
  const answer = await request(api().app, user, 'GET', `/api/deviations/export?format=${format}${query}`);
  expect(answer.statusCode, String(answer.raw.body).slice(0, 500)).toBe(200);
  return { bytes: answer.raw.rawPayload, headers: answer.raw.headers };
}

function cliExport(format: 'csv' | 'xlsx', user: TestUser | null, extra: string[] = []): Buffer {
  const out = path.join(outDir, `${user?.id ?? 'admin'}-${Date.now()}.${format}`);
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: api().databaseUrl, AVVIK_LOG_LEVEL: 'warn' };
  delete environment.REDIS_URL;
  const args = ['export', '--format', format, '--out', out, ...(user ? ['--as-user', user.id] : []), ...extra];
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), ...args], { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
  expect(result.status, result.stderr).toBe(0);
  expect(result.stdout).toMatch(/^Wrote \d+ deviations? to /);
  expect(fs.existsSync(`${out}.partial`)).toBe(false);
  return fs.readFileSync(out);
}

async function listIds(user: TestUser, query = ''): Promise<string[]> {
  const answer = await request(api().app, user, 'GET', `/api/deviations?limit=500${query}`);
  expect(answer.statusCode).toBe(200);
  return answer.body.items.map((item: { id: string }) => item.id);
}

/** Checks the rows against the user's list and single reads: same deviations, contacts only where shown. */
async function expectVisibleRows(user: UserKey, table: Table, label: string) {
  const actor = world.users[user];
  expect(table.map((row) => row.id), label).toEqual(await listIds(actor));
  const text = JSON.stringify(table);
  for (const row of table) {
    const detail = (await request(api().app, actor, 'GET', `/api/deviations/${row.id}`)).body;
    expect(row.contactRestricted, `${label} ${row.id}`).toBe(detail.contactRestricted ? 'true' : 'false');
    if (detail.contactRestricted) {
      expect(row.contactName, label).toBe('');
      expect(row.contactPhone, label).toBe('');
      expect(row.contactEmail, label).toBe('');
    } else {
      expect(row.contactEmail, label).toBe(detail.contact.email ?? '');
    }
  }
  // No contact of a deviation the user may not read reaches the file.
  const adminRows = await listIds(world.users.admin);
  for (const id of adminRows) {
    const readable = table.find((row) => row.id === id && row.contactRestricted === 'false');
    if (readable) continue;
    const contact = (await request(api().app, world.users.admin, 'GET', `/api/deviations/${id}`)).body.contact;
    if (contact?.email && !table.some((row) => row.contactEmail === contact.email)) expect(text, label).not.toContain(contact.email);
    // Requirement texts and titles name the contact's phone number too.
    if (contact?.phone && !table.some((row) => row.contactPhone === contact.phone)) expect(text, label).not.toContain(contact.phone);
  }
}

/** How many deviations each role may see in the world, written out from the visibility rules. */
const VISIBLE_COUNT: Record<UserKey, number> = {
  admin: 16 + 2,
  supplierA: 9,
  supplierB: 5,
  fk: 3,
  csn: 1,
  drift: 1,
  municipalityA: 4,
  municipalityB: 5,
};

describe('GET /api/deviations/export', () => {
  it.each(USER_KEYS)('gives %s its deviations as CSV', async (user) => {
    const { bytes, headers } = await apiExport(world.users[user], 'csv');
    expect(headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(headers['content-disposition']).toMatch(/^attachment; filename="avvik-deviations-\d{4}-\d{2}-\d{2}\.csv"$/);
    const table = csvTable(bytes);
    expect(table).toHaveLength(VISIBLE_COUNT[user]);
    await expectVisibleRows(user, table, `${user} csv`);
  });

  it.each(USER_KEYS)('gives %s its deviations as XLSX', async (user) => {
    const { bytes, headers } = await apiExport(world.users[user], 'xlsx');
    expect(headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const table = await xlsxTable(bytes);
    expect(table).toHaveLength(VISIBLE_COUNT[user]);
    await expectVisibleRows(user, table, `${user} xlsx`);
  });

  it('applies the list filters', async () => {
    const queries = [
      '&status=new',
      '&party=FK',
      '&area=base-service',
      `&system=${world.systems.alfa}`,
      `&municipality=${encodeURIComponent('SÖDERBY KOMMUN')}`,
      `&declaration=${world.declarations.alfaVastby}`,
      '&overdue=false',
      '&q=rapfk',
    ];
    for (const user of ['admin', 'supplierA', 'fk'] as const) {
      for (const query of queries) {
        const table = csvTable((await apiExport(world.users[user], 'csv', query)).bytes);
        expect(table.map((row) => row.id), `${user} ${query}`).toEqual(await listIds(world.users[user], query));
      }
    }
  });

  it('searches contact details only where readable', async () => {
    const vs1 = world.deviations['alfaNorrby.VS-1'];
    const byEmail = `&q=${encodeURIComponent('anna.alfasson@')}`;
    const byPhone = `&q=${encodeURIComponent('070-111 1')}`;
    const byWords = `&q=${encodeURIComponent('frågor till')}`;
    for (const format of ['csv', 'xlsx'] as const) {
      const table = async (user: UserKey, query: string) => {
        const { bytes } = await apiExport(world.users[user], format, query);
        return format === 'csv' ? csvTable(bytes) : await xlsxTable(bytes);
      };
      // Norrby's municipality user sees the deviation but not its contact details.
      expect(await table('municipalityA', byEmail), format).toEqual([]);
      expect(await table('municipalityA', byPhone), format).toEqual([]);
      const byWordsRows = await table('municipalityA', byWords);
      expect(byWordsRows.map((row) => row.id), format).toEqual([vs1]);
      expect(byWordsRows[0]!.reproduction, format).toContain('Frågor till [contact hidden].');
      // The administration and the supplier, which reported it, read them.
      expect((await table('admin', byEmail)).map((row) => row.id), format).toEqual([vs1]);
      expect((await table('supplierA', byPhone)).map((row) => row.id), format).toEqual([vs1]);
    }
    for (const user of ['admin', 'supplierA', 'supplierB', 'municipalityA', 'municipalityB'] as const) {
      for (const query of [byEmail, byPhone, byWords, `&q=${encodeURIComponent('[contact hidden]')}`]) {
        const table = csvTable((await apiExport(world.users[user], 'csv', query)).bytes);
        expect(table.map((row) => row.id), `${user} ${query}`).toEqual(await listIds(world.users[user], query));
      }
    }
  });

  it('rejects an unknown format or parameter', async () => {
    const format = await request(api().app, world.users.admin, 'GET', '/api/deviations/export?format=pdf');
    expect(format.statusCode).toBe(400);
    const paging = await request(api().app, world.users.admin, 'GET', '/api/deviations/export?format=csv&limit=5');
    expect(paging.statusCode).toBe(400);
    const noPages = 'does not apply, because an export has no pages and returns every matching deviation';
    expect(paging.body.fields).toEqual([{ field: 'limit', message: noPages }]);
    expect(paging.body.message).toBe(`The query string has 1 invalid or missing field: limit ${noPages}.`);

    const several = await request(api().app, world.users.admin, 'GET', '/api/deviations/export?offset=5&sort=dueDate&colour=red');
    expect(several.statusCode).toBe(400);
    const fields = new Map((several.body.fields as { field: string; message: string }[]).map((field) => [field.field, field.message]));
    expect(fields.get('offset')).toBe(noPages);
    expect(fields.get('sort')).toContain("an export keeps the list's default order");
    expect(fields.get('colour')).toBe('is not a known field');
  });

  it('needs a token', async () => {
    const answer = await request(api().app, null, 'GET', '/api/deviations/export?format=csv');
    expect(answer.statusCode).toBe(401);
  });

  it('is in the OpenAPI document', async () => {
    const answer = await request(api().app, null, 'GET', '/api/openapi.json');
    expect(Object.keys(answer.body.paths)).toContain('/api/deviations/export');
  });
});

describe('formula neutralisation', () => {
  const expectNeutralised = (table: Table, label: string) => {
    const fromDeclaration = table.find((row) => row.id === formulaIds[0])!;
    const reported = table.find((row) => row.id === formulaIds[1])!;
    expect(fromDeclaration.requirementText, label).toBe(`'=HYPERLINK("x")`);
    expect(fromDeclaration.reproduction, label).toBe("'+cmd");
    expect(reported.title, label).toBe(`'${FORMULA_REPORT.title}`);
    expect(reported.reproduction, label).toBe(`'${FORMULA_REPORT.reproduction}`);
    expect(reported.result, label).toBe(`'${FORMULA_REPORT.result}`);
    expect(reported.material, label).toBe("'-2+3");
    for (const row of table) {
      for (const [column, value] of Object.entries(row)) expect(value, `${label} ${column}`).not.toMatch(/^[=+@\t\r]|^-(?!\d+(?:[.,]\d+)?$)/);
    }
  };

  it('neutralises CSV cells', async () => {
    expectNeutralised(csvTable((await apiExport(world.users.admin, 'csv')).bytes), 'api csv');
  });

  it('neutralises XLSX cells and writes them as strings', async () => {
    const { bytes } = await apiExport(world.users.admin, 'xlsx');
    expectNeutralised(await xlsxTable(bytes), 'api xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const cell = workbook.worksheets[0]!.getRow(2).getCell(1);
    expect(cell.type).toBe(ExcelJS.ValueType.RichText);
  });
});

describe('avvik export', () => {
  it('exports everything as the administration', async () => {
    const csv = csvTable(cliExport('csv', null));
    expect(csv.map((row) => row.id)).toEqual(await listIds(world.users.admin));
    expectNoFormula(csv);
    const xlsx = await xlsxTable(cliExport('xlsx', null));
    expect(xlsx).toEqual(csv);
  });

  it.each(USER_KEYS.filter((user) => user !== 'admin'))('narrows to %s with --as-user', async (user) => {
    const table = csvTable(cliExport('csv', world.users[user]));
    expect(table).toHaveLength(VISIBLE_COUNT[user]);
    await expectVisibleRows(user, table, `cli ${user}`);
  });

  it('narrows XLSX with --as-user', async () => {
    const table = await xlsxTable(cliExport('xlsx', world.users.municipalityA));
    await expectVisibleRows('municipalityA', table, 'cli xlsx municipalityA');
  });

  it('filters by status', async () => {
    const table = csvTable(cliExport('csv', null, ['--status', 'new']));
    expect(table.map((row) => row.id)).toEqual(await listIds(world.users.admin, '&status=new'));
  });

  it('applies each list filter as the API does', async () => {
    // Every other deviation is new and has no due date, so that each filter below selects some but not all.
    await api().prisma.deviation.update({
      where: { id: world.deviations['alfaNorrby.VS-1'] },
      data: { status: 'in_dialogue', dueDate: new Date('2020-01-02T00:00:00Z') },
    });
    const cases: [string[], string][] = [
      [['--status', 'in-dialogue,will-fix'], '&status=in-dialogue,will-fix'],
      [['--area', 'base-service'], '&area=base-service'],
      [['--party', 'FK'], '&party=FK'],
      [['--declaration', world.declarations.alfaVastby], `&declaration=${world.declarations.alfaVastby}`],
      [['--system', world.systems.alfa], `&system=${world.systems.alfa}`],
      [['--municipality', 'SÖDERBY KOMMUN'], `&municipality=${encodeURIComponent('SÖDERBY KOMMUN')}`],
      [['--overdue'], '&overdue=true'],
      [['--no-overdue'], '&overdue=false'],
      [['--search', 'frågor till'], `&q=${encodeURIComponent('frågor till')}`],
      [['--area', 'business-system', '--municipality', 'Norrby kommun', '--search', 'VS-'], `&area=business-system&municipality=${encodeURIComponent('Norrby kommun')}&q=VS-`],
    ];
    for (const user of ['admin', 'supplierA', 'municipalityA'] as const) {
      const actor = world.users[user];
      for (const [args, query] of cases) {
        const label = `${user} ${args.join(' ')}`;
        const fromApi = csvTable((await apiExport(actor, 'csv', query)).bytes);
        const fromCli = csvTable(cliExport('csv', user === 'admin' ? null : actor, args));
        expect(fromCli.map((row) => row.id), label).toEqual(fromApi.map((row) => row.id));
        expect(fromCli, label).toEqual(fromApi);
        // Each filter selects some but not all of the administration's deviations.
        if (user === 'admin') {
          expect(fromCli.length, label).toBeGreaterThan(0);
          expect(fromCli.length, label).toBeLessThan(VISIBLE_COUNT.admin);
        }
      }
    }
  }, 300_000);

  it('masks hidden contacts for --search', async () => {
    const vs1 = world.deviations['alfaNorrby.VS-1'];
    const hiddenEmail = ['--search', 'anna.alfasson@'];
    expect(csvTable(cliExport('csv', world.users.municipalityA, hiddenEmail))).toEqual([]);
    expect(csvTable(cliExport('csv', world.users.municipalityA, ['--search', '070-111 1']))).toEqual([]);
    expect(csvTable(cliExport('csv', null, hiddenEmail)).map((row) => row.id)).toEqual([vs1]);
    expect(csvTable(cliExport('csv', world.users.supplierA, hiddenEmail)).map((row) => row.id)).toEqual([vs1]);
    const byWords = csvTable(cliExport('csv', world.users.municipalityA, ['--search', 'frågor till']));
    expect(byWords.map((row) => row.id)).toEqual([vs1]);
    expect(byWords[0]!.reproduction).toContain('Frågor till [contact hidden].');
  });

  it.each([
    [['--area', 'nowhere'], "option '--area <area>' argument 'nowhere' is invalid. It must be one of business-system, base-service, ssbtek, unassigned."],
    [['--status', 'new,open'], "option '--status <list>' argument 'new,open' is invalid. It must be one or more statuses separated by commas"],
    [['--party', ' '], "option '--party <code>' argument ' ' is invalid. It must not be empty."],
    [['--declaration', '42'], "option '--declaration <id>' argument '42' is invalid. It must be a UUID"],
    [['--system', 'alfa'], "option '--system <id>' argument 'alfa' is invalid. It must be a UUID"],
    [['--municipality', ''], "option '--municipality <name>' argument '' is invalid. It must not be empty."],
    [['--search', 'x'.repeat(201)], 'It must be at most 200 characters.'],
    [['--party', 'fk'], 'avvik: No party has the code fk. Party codes are case-sensitive, so give FK instead.'],
    [['--party', 'NOPE'], 'avvik: No party has the code NOPE. The reference parties have the codes AF, AKASSA, CSN, DRIFT, FK, PM, SKR, SKV and TS.'],
  ])('rejects %j', (args, message) => {
    const out = path.join(outDir, 'invalid.csv');
    const result = runExport(['--format', 'csv', '--out', out, ...args]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('rejects --overdue with --no-overdue', () => {
    const out = path.join(outDir, 'both-overdue.csv');
    fs.writeFileSync(out, 'earlier export\n');
    const result = runExport(['--format', 'csv', '--out', out, '--overdue', '--no-overdue']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error: options '--overdue' and '--no-overdue' cannot be used together. Give one of them");
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(fs.readFileSync(out, 'utf8')).toBe('earlier export\n');
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it('shows help with an example', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), 'export', '--help'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Examples?:/);
    for (const option of ['--area <area>', '--declaration <id>', '--system <id>', '--municipality <name>', '--overdue', '--no-overdue', '--search <text>']) {
      expect(result.stdout).toContain(option);
    }
    expect(result.stdout).toMatch(new RegExp(`at most\\s+${MAX_MASKED_SEARCH_ROWS.toLocaleString('en')} deviations`));
  });

  it('rejects an unknown user', () => {
    const out = path.join(outDir, 'nobody.csv');
    const result = runExport(['--format', 'csv', '--out', out, '--as-user', '00000000-0000-0000-0000-000000000001']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No user has the id 00000000-0000-0000-0000-000000000001');
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(`${out}.partial`)).toBe(false);
  });

  it.each(['csv', 'xlsx'])('names a missing folder for %s', (format) => {
    const folder = path.join(outDir, 'saknas', 'undermapp');
    const result = runExport(['--format', format, '--out', path.join(folder, `x.${format}`)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`avvik: The folder ${folder} for --out ${path.join(folder, `x.${format}`)} does not exist.`);
    expect(result.stderr).not.toContain('Unhandled');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('rejects a folder as --out', () => {
    const result = runExport(['--format', 'csv', '--out', outDir]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`avvik: --out ${outDir} is a folder.`);
  });
});

function runExport(args: string[]) {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: api().databaseUrl, AVVIK_LOG_LEVEL: 'warn' };
  delete environment.REDIS_URL;
  return spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), 'export', ...args], { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 120_000 });
}

function expectNoFormula(table: Table) {
  for (const row of table) {
    for (const value of Object.values(row)) expect(value).not.toMatch(/^[=+@]/);
  }
}

describe('paging', () => {
  it('writes every row in list order with small pages', async () => {
    const actor = await administrationActor(api().prisma);
    for (const format of ['csv', 'xlsx'] as const) {
      const output = new PassThrough();
      const chunks: Buffer[] = [];
      output.on('data', (chunk: Buffer) => chunks.push(chunk));
      const count = await exportDeviations(api().prisma, { actor, query: {}, today: todayInSweden(), format, pageSize: 2 }, output);
      const table = format === 'csv' ? csvTable(Buffer.concat(chunks)) : await xlsxTable(Buffer.concat(chunks));
      expect(count, format).toBe(VISIBLE_COUNT.admin);
      expect(table.map((row) => row.id), format).toEqual(await listIds(world.users.admin));
    }
  });

  it('gives a supplier without deviations the header only', async () => {
    await api().prisma.party.create({ data: { code: 'ORG-5560000077', kind: 'supplier', name: 'Tom AB' } });
    const empty = await createUser(api().prisma, { name: 'Tom AB', role: 'supplier', party: 'ORG-5560000077' });
    const table = csvTable((await apiExport(empty, 'csv')).bytes);
    expect(table).toEqual([]);
  });
});
