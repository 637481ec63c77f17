// The web app in Debian's Chromium against a real `avvik serve` with PostgreSQL and Redis: sign-in,
// uploads, the triage queue by keyboard, visibility for a data provider, a failed upload, and
// axe-core's WCAG 2.1 A and AA rules on every page. Screenshots go to test-results/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApiDeclaration } from './support/api-workbooks.ts';
import {
  callApi,
  describeViolations,
  focusedId,
  openBrowser,
  ROOT,
  runAxe,
  saveScreenshot,
  setHash,
  signIn,
  startWebServer,
  storedToken,
  uploadThroughApi,
  type WebServer,
} from './support/web.ts';

const COVER_SHEET = path.join(ROOT, 'fixtures', 'cover-sheet.xlsx');
const TRUNCATED = path.join(ROOT, 'fixtures', 'truncated.xlsx');
const LEGACY_XLS = path.join(ROOT, 'fixtures', 'legacy.xls');
const PASSWORD_PROTECTED = path.join(ROOT, 'fixtures', 'password-protected.xlsx');
/** The server's file size limit in these tests, low so that a file over it is quick to upload. */
const MAX_FILE_BYTES = 1024 * 1024;
/** The supplier that fixtures/cover-sheet.xlsx names, as Avvik derives its party code. */
const COVER_SHEET_SUPPLIER = { code: 'ORG-5561234567', name: 'Kommunsystem Norr AB', organisationNumber: '556123-4567' };

let server: WebServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const users = {} as Record<'admin' | 'supplier' | 'fk', { id: string; token: string }>;

beforeAll(async () => {
  // startWebServer passes this process's environment to the server.
  const previousMaxFileBytes = process.env.AVVIK_MAX_FILE_BYTES;
  process.env.AVVIK_MAX_FILE_BYTES = String(MAX_FILE_BYTES);
  try {
    server = await startWebServer();
  } finally {
    if (previousMaxFileBytes === undefined) delete process.env.AVVIK_MAX_FILE_BYTES;
    else process.env.AVVIK_MAX_FILE_BYTES = previousMaxFileBytes;
  }
  await server.prisma.party.create({ data: { ...COVER_SHEET_SUPPLIER, kind: 'supplier' } });
  users.admin = await server.createUser({ name: 'Förvaltningen', role: 'administration' });
  users.supplier = await server.createUser({ name: 'Norr Support', role: 'supplier', party: COVER_SHEET_SUPPLIER.code });
  users.fk = await server.createUser({ name: 'FK Handläggning', role: 'data-provider', party: 'FK' });
  browser = await openBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

async function newPage(): Promise<Page> {
  const page = await browser.context.newPage();
  page.on('pageerror', (error) => {
    throw new Error(`Uncaught error in the page: ${error.message}`);
  });
  return page;
}

/** Checks the page with axe-core and saves its screenshot. */
async function checkPage(page: Page, name: string) {
  await saveScreenshot(page, name);
  const violations = await runAxe(page);
  expect(violations, `axe violations on ${name}:\n${describeViolations(violations)}`).toEqual([]);
}

async function heading(page: Page) {
  return (await page.locator('main h1').textContent())?.trim();
}

describe('sign-in', () => {
  it('rejects a wrong token and switches language', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/`);
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await heading(page)).toBe('Logga in');
    await checkPage(page, 'sign-in');

    await page.locator('#token').fill('avvik_not-a-real-token');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#signin-error').textContent(), { timeout: 10_000 }).toContain('Inloggningen misslyckades');
    // The API's invalid-token message is English, so the Swedish page shows its own text for the code.
    expect(await page.locator('#signin-error').textContent()).toContain('API-nyckeln gäller inte');
    expect(await page.locator('#signin-error').textContent()).not.toContain('The API token is not valid');

    await page.locator('#language-switch').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await heading(page)).toBe('Sign in');
    await page.locator('#language-switch').click();
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    await page.close();
  });

  it('signs in and out', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token);
    expect(await page.locator('#signed-in-as').textContent()).toContain('Förvaltningen');
    expect(await storedToken(page)).toBe(users.admin.token);
    await page.locator('#sign-out').click();
    await expect.poll(() => heading(page)).toBe('Logga in');
    expect(await storedToken(page)).toBeNull();
    await page.close();
  });
});

/** Waits until the declaration page shows a final status, and returns the declaration id. */
async function waitForProcessed(page: Page, expected: 'parsed' | 'failed'): Promise<string> {
  await page.waitForURL(/#\/declarations\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await page.locator(`#declaration-status .declaration-${expected}`).waitFor({ timeout: 60_000 });
  return page.url().split('/').pop()!;
}

describe('supplier', () => {
  it('uploads a declaration and sees its deviations appear', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.supplier.token, '#/declarations');
    await expect.poll(() => heading(page)).toBe('Egendeklarationer');
    await checkPage(page, 'declarations-empty');

    await page.locator('#declaration-file').setInputFiles(COVER_SHEET);
    await page.getByRole('button', { name: 'Ladda upp', exact: true }).click();
    const id = await waitForProcessed(page, 'parsed');

    const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'cover-sheet.expected.json'), 'utf8')) as {
      requirements: { total: number };
      deviations: unknown[];
    };
    const rows = page.locator('table.declaration-deviations tbody tr');
    await expect.poll(() => rows.count()).toBe(expected.deviations.length);
    expect(await page.locator('#cover-heading').textContent()).toBe('Försättsblad');
    expect(await page.locator('main').textContent()).toContain('Kommunsystem Norr AB');
    expect(await page.locator('main').textContent()).toContain('Inläsningsrapport');
    await checkPage(page, 'declaration-parsed');

    const api = await callApi(server.baseUrl, users.supplier.token, 'GET', `/api/declarations/${id}`);
    expect(api.body.requirements.total).toBe(expected.requirements.total);

    await setHash(page, '#/deviations');
    await expect.poll(() => page.locator('#result-count').textContent()).toContain(`av ${expected.deviations.length}`);
    await checkPage(page, 'deviations-supplier');

    await page.locator('table.list tbody tr a').first().click();
    await page.locator('#detail-context').waitFor();
    expect(await page.locator('.context-table tr.source-row').count()).toBe(1);
    expect(await page.locator('.context-table tbody tr').count()).toBeGreaterThan(1);
    expect(await page.locator('#actions-heading').count()).toBe(0);
    await checkPage(page, 'deviation-supplier');
    await page.close();
  });

  it('sees a failed upload with its error and the original file', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.supplier.token, '#/declarations');
    await page.locator('#declaration-file').waitFor();
    await page.locator('#declaration-file').setInputFiles(TRUNCATED);
    await page.getByRole('button', { name: 'Ladda upp', exact: true }).click();
    await waitForProcessed(page, 'failed');

    const failure = page.locator('section.failure');
    expect(await failure.locator('h2').textContent()).toBe('Bearbetningen misslyckades');
    expect(await failure.locator('code').textContent()).toBe('truncated-file');
    expect(await failure.textContent()).toContain('truncated.xlsx');
    expect(await failure.textContent()).toContain('Vad du kan göra');

    const download = page.waitForEvent('download');
    await page.locator('#download-original').click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('truncated.xlsx');
    const bytes = fs.readFileSync((await saved.path())!);
    expect(bytes.equals(fs.readFileSync(TRUNCATED))).toBe(true);
    await checkPage(page, 'declaration-failed');
    await page.close();
  });

  it('keeps the advice of rejected uploads in Swedish', async () => {
    const otherSupplier = await buildApiDeclaration({
      supplier: 'Annan Leverantör AB',
      organisationNumber: '556000-0035',
      system: 'Annat System',
      municipality: 'Västby kommun',
      contact: { name: 'Kim Kontakt', phone: '070-000 00 35', email: 'kim@example.invalid' },
      marker: 'annan',
    });
    const cases: { name: string; file: UploadFile; text: string; detail: string | null }[] = [
      {
        name: 'an old .xls workbook',
        file: { name: 'legacy.xls', mimeType: 'application/vnd.ms-excel', buffer: fs.readFileSync(LEGACY_XLS) },
        text: 'Om filen är en gammal Excel-arbetsbok (.xls) öppnar du den i Excel, sparar den som Excel-arbetsbok (.xlsx)',
        detail: "The file 'legacy.xls' is an old Excel 97-2003 workbook (.xls), which is not supported.",
      },
      {
        name: 'a password-protected workbook',
        file: { name: 'password-protected.xlsx', mimeType: XLSX_TYPE, buffer: fs.readFileSync(PASSWORD_PROTECTED) },
        text: 'Om arbetsboken är skyddad med lösenord sparar du den utan lösenord',
        detail: "The workbook 'password-protected.xlsx' is protected with a password",
      },
      {
        name: 'a text file',
        file: { name: 'anteckningar.txt', mimeType: 'text/plain', buffer: Buffer.from('Inte en egendeklaration, bara anteckningar.\n') },
        text: 'En egendeklaration ska vara en Excel-arbetsbok (.xlsx eller .xlsm) eller en PDF.',
        detail: "The file 'anteckningar.txt' is neither an Excel workbook (.xlsx) nor a PDF.",
      },
      {
        name: 'a file over the size limit',
        file: { name: 'stor.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(MAX_FILE_BYTES, 0x20)]) },
        text: 'Filen är större än servern tar emot, och serverns meddelande nedan anger gränsen.',
        detail: `The file 'stor.pdf' is larger than the limit of ${MAX_FILE_BYTES} bytes (1.0 MiB, set by AVVIK_MAX_FILE_BYTES).`,
      },
      {
        name: 'an empty file',
        file: { name: 'tom.xlsx', mimeType: XLSX_TYPE, buffer: Buffer.alloc(0) },
        text: 'Filen är tom (0 byte). Välj en fil med innehåll och försök igen.',
        detail: null,
      },
      {
        name: "another supplier's declaration",
        file: { name: 'annan.xlsx', mimeType: XLSX_TYPE, buffer: otherSupplier },
        text: 'Egendeklarationen anger en annan leverantör, ett annat verksamhetssystem eller en annan kommun än den ditt konto gäller.',
        detail: 'The declaration names supplier',
      },
    ];

    const page = await newPage();
    await signIn(page, server.baseUrl, users.supplier.token, '#/declarations');
    await page.locator('#declaration-file').waitFor();
    for (const { name, file, text, detail } of cases) {
      const error = await uploadExpectingError(page, '#declaration-file', 'Ladda upp', '#upload-error');
      await error.choose(file);
      const rejection = await error.read();
      expect(rejection.text, name).toMatch(/^Uppladdningen misslyckades: /);
      expect(rejection.text, name).toContain(text);
      // The declaration page names no attachment types.
      expect(rejection.text, name).not.toContain('PNG');
      expect(rejection.detail, name).toEqual(detail === null ? null : expect.stringContaining(detail));
      if (detail !== null) expect(rejection.detailLanguage, name).toBe('en');
    }
    await checkPage(page, 'declarations-rejected-upload');

    // The English interface shows the API's message as it is, with no detail line.
    await page.locator('#language-switch').click();
    await page.locator('#declaration-file').waitFor();
    const english = await uploadExpectingError(page, '#declaration-file', 'Upload', '#upload-error');
    await english.choose(cases[0]!.file);
    const rejection = await english.read();
    expect(rejection.text).toContain(`The upload failed: ${cases[0]!.detail}`);
    expect(rejection.detail).toBeNull();
    await page.locator('#language-switch').click();
    await page.close();
  });
});

type UploadFile = { name: string; mimeType: string; buffer: Buffer };

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Drives an upload form that is expected to fail: `choose` sets the file and submits the form,
 * and `read` waits for the error and returns its text, its detail line (the API's English
 * message) or null, and the detail's `lang`.
 */
function uploadExpectingError(page: Page, input: string, button: string, errorSelector: string) {
  const error = page.locator(errorSelector);
  return {
    async choose(file: UploadFile) {
      await page.locator(input).setInputFiles(file);
      await page.getByRole('button', { name: button, exact: true }).click();
    },
    async read() {
      // The form hides the previous error when it is submitted, so this waits for the new one.
      await page.locator(`${errorSelector}:not([hidden])`).waitFor({ timeout: 15_000 });
      const detail = error.locator('.error-detail');
      const hasDetail = (await detail.count()) > 0;
      // The error's own text is its first paragraph, or all of it when it has none.
      const paragraphs = error.locator('p');
      const text = (await paragraphs.count()) > 0 ? await paragraphs.first().textContent() : await error.textContent();
      return {
        text: text ?? '',
        detail: hasDetail ? await detail.textContent() : null,
        detailLanguage: hasDetail ? await detail.locator('span').getAttribute('lang') : null,
      };
    },
  };
}

/** Waits until the triage queue shows the deviation with this title, with focus on its heading. */
async function waitForCurrent(page: Page, title: string, focused = true) {
  await expect.poll(() => page.locator('#triage-current').textContent(), { timeout: 15_000 }).toBe(title);
  if (focused) await expect.poll(() => focusedId(page)).toBe('triage-current');
}

const AREA_ORDER = ['business-system', 'base-service', 'ssbtek'];

describe('administration', () => {
  it('works through the triage queue by keyboard alone', async () => {
    const bytes = await buildApiDeclaration({
      supplier: 'Alfa System AB',
      organisationNumber: '556000-0001',
      system: 'Alfa Ekonomi',
      municipality: 'Norrby kommun',
      contact: { name: 'Anna Alfasson', phone: '070-111 11 11', email: 'anna@alfa.example' },
      marker: 'alfanorr',
    });
    const declaration = await uploadThroughApi(server.baseUrl, users.admin.token, 'alfa.xlsx', bytes);
    expect(declaration.status).toBe('parsed');
    // The supplier's test uploaded this file already when the whole file runs; then it is the same declaration.
    await uploadThroughApi(server.baseUrl, users.admin.token, 'cover-sheet.xlsx', fs.readFileSync(COVER_SHEET));
    const queue = (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?status=new&sort=createdAt&limit=500')).body.items as {
      id: string;
      title: string;
      proposal: { area: string; partyCode: string | null };
    }[];
    expect(queue.length).toBeGreaterThanOrEqual(5);
    const detail = async (id: string) => (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations/${id}`)).body;

    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/triage');
    // On arrival focus is on the page heading; after each action it moves to the deviation's heading.
    await waitForCurrent(page, queue[0]!.title, false);
    expect(await page.locator('.context-table tr.source-row').count()).toBe(1);
    await checkPage(page, 'triage');

    // c confirms the proposal and moves to the next deviation.
    await page.keyboard.press('c');
    await waitForCurrent(page, queue[1]!.title);
    const confirmed = await detail(queue[0]!.id);
    expect(confirmed.owner?.partyCode).toBe(queue[0]!.proposal.partyCode);
    expect(confirmed.status).toBe('in-dialogue');

    // j and k move without changing anything; s skips to the end of the queue.
    await page.keyboard.press('j');
    await waitForCurrent(page, queue[2]!.title);
    await page.keyboard.press('k');
    await waitForCurrent(page, queue[1]!.title);
    await page.keyboard.press('s');
    await waitForCurrent(page, queue[2]!.title);
    expect((await detail(queue[1]!.id)).status).toBe('new');

    // a opens the assign dialog; arrows pick the area, Tab reaches the reason, Enter assigns.
    await page.keyboard.press('a');
    await page.locator('dialog[open]').waitFor();
    await checkPage(page, 'triage-assign-dialog');
    const proposedArea = queue[2]!.proposal.area === 'unassigned' ? 'base-service' : queue[2]!.proposal.area;
    const presses = (AREA_ORDER.indexOf('ssbtek') - AREA_ORDER.indexOf(proposedArea) + 3) % 3;
    for (let press = 0; press < presses; press++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Felet ligger i den centrala komponenten');
    await page.keyboard.press('Enter');
    await waitForCurrent(page, queue[3]!.title);
    const assigned = await detail(queue[2]!.id);
    expect(assigned.owner).toMatchObject({ area: 'ssbtek', partyCode: 'DRIFT' });
    expect(assigned.status).toBe('in-dialogue');

    // n flags a new requirement: the closest action the API offers is rejected-not-deviation.
    await page.keyboard.press('n');
    await page.locator('dialog[open]').waitFor();
    await page.keyboard.type('Stöd för e-legitimation');
    await page.keyboard.press('Enter');
    await waitForCurrent(page, queue[4]!.title);
    const flagged = await detail(queue[3]!.id);
    expect(flagged.status).toBe('rejected-not-deviation');
    expect(flagged.history.at(-1).reason).toBe('Nytt krav: Stöd för e-legitimation');

    // Escape closes a dialog without changes, and focus returns to the heading.
    await page.keyboard.press('a');
    await page.locator('dialog[open]').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    await expect.poll(() => focusedId(page)).toBe('triage-current');
    expect((await detail(queue[4]!.id)).status).toBe('new');

    // Shortcuts do nothing while the user types in a field.
    await page.locator('#triage-q').focus();
    await page.keyboard.type('c');
    expect(await page.locator('#triage-q').inputValue()).toBe('c');
    expect(await page.locator('#triage-current').textContent()).toBe(queue[4]!.title);
    expect((await detail(queue[4]!.id)).status).toBe('new');
    await page.close();
  });

  it('confirms a filtered selection in bulk', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/triage?area=base-service');
    await page.locator('#bulk-confirm').waitFor();
    const before = (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?status=new&area=base-service&limit=500')).body;
    const withProposal = before.items.filter((item: { proposal: { partyCode: string | null } }) => item.proposal.partyCode !== null);
    expect(withProposal.length).toBeGreaterThan(0);

    await page.locator('#bulk-confirm').click();
    const dialog = page.locator('dialog[open]');
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(`för ${withProposal.length} avvikelser`);
    await dialog.getByRole('button', { name: `Bekräfta ${withProposal.length}` }).click();
    await expect
      .poll(async () => (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?status=new&area=base-service&limit=500')).body.total, {
        timeout: 30_000,
      })
      .toBe(before.total - withProposal.length);
    for (const item of withProposal) {
      const after = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations/${item.id}`)).body;
      expect(after.owner?.partyCode).toBe(item.proposal.partyCode);
    }
    await page.close();
  });

  it('keeps the form on a rejected filter', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token);
    for (const [hash, field] of [['#/triage?party=fk', '#triage-party'], ['#/deviations?party=fk', '#filter-party']] as const) {
      await setHash(page, hash);
      const alert = page.getByRole('alert').filter({ hasText: 'Partkod: ingen part har koden ”fk”' });
      await alert.waitFor();
      expect(await alert.textContent(), hash).toContain('Partkoder skiljer på stora och små bokstäver');
      expect(await alert.textContent(), hash).not.toContain('No party has the code');
      expect(await page.locator(field).inputValue(), hash).toBe('fk');
      expect(await page.locator(field).getAttribute('aria-invalid'), hash).toBe('true');
    }

    // The English page shows the API's own message, which names the code that differs only in case.
    await page.locator('#language-switch').click();
    const english = page.getByRole('alert').filter({ hasText: 'No party has the code fk' });
    await english.waitFor();
    expect(await english.textContent()).toContain('give FK instead');
    expect(await english.textContent()).toContain('Party code: is not a known party code');
    await page.locator('#language-switch').click();
    await page.close();
  });

  it('shows a rejected select value as chosen', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token);
    const cases = [
      { hash: '#/deviations?status=klar', select: '#filter-status', value: 'klar', label: 'Status' },
      { hash: '#/triage?area=norr', select: '#triage-area', value: 'norr', label: 'Område' },
    ];
    for (const { hash, select, value, label } of cases) {
      await setHash(page, hash);
      const alert = page.getByRole('alert').filter({ hasText: `${label}: ”${value}” är inget giltigt värde` });
      await alert.waitFor();
      expect(await page.locator(select).inputValue(), hash).toBe(value);
      expect(await page.locator(`${select} option:checked`).textContent(), hash).toBe(`${value} (ogiltigt värde)`);
      expect(await page.locator(select).getAttribute('aria-invalid'), hash).toBe('true');
      expect(await page.locator(select).getAttribute('aria-describedby'), hash).toBe(await alert.getAttribute('id'));
    }
    await setHash(page, '#/deviations?status=klar');
    await page.locator('#filter-status[aria-invalid="true"]').waitFor();
    await checkPage(page, 'deviations-rejected-filter');

    // Submitting the form again sends the value the select shows, not the first option.
    await page.locator('#filter-party').fill('FK');
    await page.getByRole('button', { name: 'Filtrera', exact: true }).click();
    await page.waitForURL(/party=FK/);
    expect(page.url()).toContain('status=klar');
    await page.close();
  });

  it('names every rejected filter', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token);
    const longText = 'x'.repeat(201);
    const cases = [
      {
        hash: '#/deviations?status=klar&area=norr&overdue=kanske',
        items: ['Status: ”klar” är inget giltigt värde', 'Område: ”norr” är inget giltigt värde', 'Försenade: ”kanske” är inget giltigt värde'],
      },
      {
        // Only the unknown value of a list is quoted.
        hash: '#/deviations?status=new,klar&area=ssbtek,norr,syd',
        items: ['Status: ”klar” är inget giltigt värde', 'Område: ”norr,syd” är inget giltigt värde'],
      },
      {
        hash: `#/triage?area=norr&q=${longText}`,
        items: ['Område: ”norr” är inget giltigt värde', `Fritext: ”${'x'.repeat(100)}…” är inget giltigt värde`],
      },
    ];
    for (const { hash, items } of cases) {
      await setHash(page, hash);
      const alert = page.getByRole('alert').filter({ hasText: `Servern godtog inte de här ${items.length} filtren` });
      await alert.waitFor();
      expect(await alert.locator('li').allTextContents(), hash).toEqual(items);
      expect(await alert.textContent(), hash).not.toContain('must be');
    }
    await page.close();
  });

  it('shows other API errors in Swedish', async () => {
    const reported = await callApi(server.baseUrl, users.admin.token, 'POST', '/api/deviations', {
      title: 'Handläggarvyn visar fel datum',
      reproduction: 'Öppna ett ärende och jämför datumen.',
      result: 'Datumet är en dag fel.',
      material: ['Skärmbild'],
      contactName: 'Test Testsson',
      contactPhone: '070-000 00 00',
      contactEmail: 'test@example.invalid',
    });
    expect(reported.status).toBe(201);
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/deviations');
    await page.locator('#result-count').waitFor();

    // The app's own request function, run in the page against the real server. The script is a
    // string, because vitest rewrites dynamic imports in the test's own code.
    const messageOf = (url: string, body?: unknown) =>
      page.evaluate<string | null>(`(async () => {
        const { api } = await import('/js/api.js');
        try {
          await api(${JSON.stringify(url)}, ${body === undefined ? '{}' : `{ method: 'POST', body: ${JSON.stringify(body)} }`});
          return null;
        } catch (error) {
          return error.message;
        }
      })()`);

    // A known code: invalid-transition names the allowed statuses by their Swedish labels.
    const transition = await messageOf(`/api/deviations/${reported.body.id}/transition`, { status: 'fixed', reason: 'Rättat' });
    expect(transition).toBe('Avvikelsen kan inte byta till den statusen från sin nuvarande. Tillåtna statusar: ”I dialog”, ”Avvisad, ingen avvikelse”, ”Avvisad, dubblett”.');

    // A code without a Swedish text keeps the API's English message as detail.
    const unknown = await messageOf('/api/nothing-here');
    expect(unknown).toContain('Servern avvisade begäran med felkoden route-not-found.');
    expect(unknown).toContain('No endpoint matches GET /api/nothing-here');
    await page.close();
  });

  it('keeps the advice of rejected attachments in Swedish', async () => {
    const bytes = await buildApiDeclaration({
      supplier: 'Bilaga Data AB',
      organisationNumber: '556000-0051',
      system: 'Bilaga Ekonomi',
      municipality: 'Bilby kommun',
      contact: { name: 'Bo Bilaga', phone: '070-000 00 51', email: 'bo@example.invalid' },
      marker: 'bilaga',
    });
    const declaration = await uploadThroughApi(server.baseUrl, users.admin.token, 'bilaga.xlsx', bytes);
    expect(declaration.status).toBe('parsed');
    const listed = await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations?declaration=${declaration.id}&limit=1`);
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, `#/deviations/${listed.body.items[0].id}`);
    await page.locator('#attachment-file').waitFor();
    const error = uploadExpectingError(page, '#attachment-file', 'Ladda upp', 'section[aria-labelledby="attachments-heading"] [role="alert"]');

    // An executable's first bytes, with NUL bytes, so it is neither text nor an accepted format.
    await error.choose({ name: 'program.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00, 0x00, 0x00]) });
    const unsupported = await error.read();
    expect(unsupported.text).toContain('Servern tar inte emot filen som bilaga. En bilaga kan vara en bild (PNG, JPEG, GIF eller WebP)');
    expect(unsupported.text).not.toContain('egendeklaration');
    expect(unsupported.detail).toContain("The file 'program.bin' is not an accepted attachment.");
    expect(unsupported.detailLanguage).toBe('en');
    await checkPage(page, 'deviation-rejected-attachment');

    await error.choose({ name: 'logg.txt', mimeType: 'text/plain', buffer: Buffer.alloc(MAX_FILE_BYTES + 1, 0x61) });
    const tooLarge = await error.read();
    expect(tooLarge.text).toContain('Filen är större än servern tar emot, och serverns meddelande nedan anger gränsen.');
    expect(tooLarge.detail).toContain(`larger than the limit of ${MAX_FILE_BYTES} bytes`);
    await page.close();
  });

  it('names missing fields in words', async () => {
    // A cover without contact details gives deviations that lack all three.
    const bytes = await buildApiDeclaration({
      supplier: 'Beta Data AB',
      organisationNumber: '556000-0027',
      system: 'Beta Ekonomi',
      municipality: 'Östby kommun',
      contact: { name: '', phone: '', email: '' },
      marker: 'beta',
    });
    const declaration = await uploadThroughApi(server.baseUrl, users.admin.token, 'beta.xlsx', bytes);
    expect(declaration.status).toBe('parsed');
    const items = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations?declaration=${declaration.id}`)).body.items as { id: string }[];
    const detail = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations/${items[0]!.id}`)).body;
    expect(detail.missingFields).toEqual(expect.arrayContaining(['contact-name', 'contact-phone', 'contact-email']));
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, `#/deviations/${detail.id}`);
    const missing = page.locator('section', { has: page.getByRole('heading', { name: 'Saknade uppgifter' }) }).locator('li');
    await expect.poll(() => missing.allTextContents()).toEqual(expect.arrayContaining([
      'Kontaktpersonens namn',
      'Kontaktpersonens telefonnummer',
      'Kontaktpersonens e-postadress',
    ]));
    await page.locator('#language-switch').click();
    const english = page.locator('section', { has: page.getByRole('heading', { name: 'Missing fields' }) }).locator('li');
    await expect.poll(() => english.allTextContents()).toEqual(
      expect.arrayContaining(["Contact person's name", "Contact person's phone number", "Contact person's e-mail address"]),
    );
    await page.locator('#language-switch').click();
    await page.close();
  });

  it('shows the overview, the list and a deviation with its actions', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/overview');
    await page.locator('svg.chart').waitFor();
    const stats = (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/stats')).body;
    expect(await page.locator('main .lead').textContent()).toContain(String(stats.total));
    expect(stats.weekly.at(-1).opened).toBe(stats.total);
    expect(await page.locator('svg.chart rect.bar-opened').count()).toBe(13);
    await checkPage(page, 'overview');

    await setHash(page, '#/deviations?status=in-dialogue');
    await expect.poll(() => page.locator('#result-count').textContent()).toMatch(/av \d+/);
    const inDialogue = (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?status=in-dialogue')).body.total;
    expect(await page.locator('table.list tbody tr').count()).toBe(inDialogue);
    await checkPage(page, 'deviations-admin');

    await page.locator('table.list tbody tr a').first().click();
    await page.locator('#actions-heading').waitFor();
    await page.locator('#comment-body').fill('Vi har kontaktat leverantören.');
    await page.getByRole('button', { name: 'Skicka kommentar' }).click();
    await expect.poll(() => page.locator('ol.comments li').count()).toBe(1);
    await checkPage(page, 'deviation-admin');

    await page.locator('#language-switch').click();
    await page.locator('#actions-heading').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#actions-heading').textContent()).toBe('Actions');
    await checkPage(page, 'deviation-admin-english');
    await page.locator('#language-switch').click();
    await page.close();
  });
});

describe('data provider', () => {
  it('sees only its own deviations in every view', async () => {
    const all = (await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?limit=500')).body.items as {
      id: string;
      title: string;
      owner: { partyCode: string } | null;
    }[];
    const own = all.filter((item) => item.owner?.partyCode === 'FK');
    // Declarations of several systems share requirement texts, so only titles that none of FK's own deviations has tell them apart.
    const ownTitles = new Set(own.map((item) => item.title));
    const others = all.filter((item) => item.owner?.partyCode !== 'FK' && !ownTitles.has(item.title));
    expect(own.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);

    const page = await newPage();
    await signIn(page, server.baseUrl, users.fk.token);
    await expect.poll(() => heading(page)).toBe('Avvikelser');
    const navLinks = await page.locator('#site-nav a').allTextContents();
    expect(navLinks).toEqual(['Avvikelser']);
    const listed = await page.locator('table.list tbody tr a').evaluateAll((links) => links.map((link) => (link as unknown as { getAttribute(name: string): string | null }).getAttribute('href')));
    expect(listed.sort()).toEqual(own.map((item) => `#/deviations/${item.id}`).sort());
    const text = (await page.locator('main').textContent()) ?? '';
    for (const other of others) expect(text).not.toContain(other.title);
    await checkPage(page, 'deviations-data-provider');

    await page.locator('table.list tbody tr a').first().click();
    await page.locator('#detail-context').waitFor();
    expect(await page.locator('.context-table tbody tr').count()).toBe(1);
    expect(await page.locator('section.context').textContent()).toContain('Du ser bara källraden');
    await checkPage(page, 'deviation-data-provider');

    await setHash(page, `#/deviations/${others[0]!.id}`);
    await expect.poll(() => heading(page)).toBe('Avvikelsen finns inte, eller så får du inte se den.');

    await setHash(page, '#/declarations');
    await expect.poll(() => page.locator('main').textContent()).toContain('Din roll ser inga egendeklarationer');
    await checkPage(page, 'declarations-data-provider');

    await setHash(page, '#/overview');
    await page.locator('svg.chart').waitFor();
    expect(await page.locator('main .lead').textContent()).toContain(`: ${own.length}`);
    const partyCells = await page.locator('#by-party ~ table tbody tr').allTextContents();
    expect(partyCells).toEqual([`FK${own.length}`]);
    await checkPage(page, 'overview-data-provider');
    await page.close();
  });
});

describe('municipality user of a sole trader', () => {
  it('sees the masked supplier code without a link', async () => {
    // A sole trader's organisation number is the owner's personal identity number.
    const bytes = await buildApiDeclaration({
      supplier: 'Eva Ek Konsult',
      organisationNumber: '850312-1231',
      system: 'Ek Ekonomi',
      municipality: 'Norrby kommun',
      contact: { name: 'Eva Ek', phone: '070-123 45 61', email: 'eva@ek.example' },
      marker: 'evaek',
    });
    const declaration = await uploadThroughApi(server.baseUrl, users.admin.token, 'evaek.xlsx', bytes);
    expect(declaration.status).toBe('parsed');
    const municipality = await server.createUser({ name: 'Socialtjänsten Norrby', role: 'municipality', system: declaration.businessSystem.id, municipality: 'Norrby kommun' });

    const page = await newPage();
    await signIn(page, server.baseUrl, municipality.token, '#/overview');
    await page.locator('svg.chart').waitFor();
    const masked = page.locator('#by-party ~ table tbody tr', { hasText: 'ORG-[contact hidden]' });
    await expect.poll(() => masked.count()).toBe(1);
    expect(await masked.locator('a').count()).toBe(0);
    expect(await page.locator('main').textContent()).not.toContain('8503121231');
    await page.close();
  });
});

describe('long words', () => {
  it('wrap instead of widening the page', async () => {
    // One unbroken word of 40,000 characters in the requirement and comment cells of VS-1, and
    // in the comment cells of the other rows. The reader keeps a cell's first 32,767 characters,
    // Excel's maximum, so the pages show about 32,700 characters of the word. The test looks for the first 30,000.
    const longWord = 'Långt'.repeat(8_000);
    const shownWord = longWord.slice(0, 30_000);
    const built = await buildApiDeclaration({
      supplier: 'Långa Ord AB',
      organisationNumber: '556000-0043',
      system: 'Långa System',
      municipality: 'Långby kommun',
      contact: { name: 'Lo Lång', phone: '070-000 00 43', email: 'lo@example.invalid' },
      marker: longWord,
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(built as unknown as ExcelJS.Buffer);
    const sheet = workbook.getWorksheet('Krav')!;
    const requirementRow = sheet.getRows(1, sheet.rowCount)!.find((row) => row.getCell(1).value === 'VS-1')!;
    requirementRow.getCell(3).value = `Långordskrav ${longWord}`;
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const fileName = `${'Egendeklaration'.repeat(12)}.xlsx`;
    const declaration = await uploadThroughApi(server.baseUrl, users.admin.token, fileName, bytes);
    expect(declaration.status).toBe('parsed');

    const items = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations?declaration=${declaration.id}`)).body.items as { id: string; requirementId: string }[];
    const longRequirement = items.find((item) => item.requirementId === 'VS-1')!;
    const commented = items.find((item) => item.requirementId === 'BT-1')!;
    const comment = await callApi(server.baseUrl, users.admin.token, 'POST', `/api/deviations/${commented.id}/comments`, { body: 'Kommentar'.repeat(1_000) });
    expect(comment.status).toBe(201);
    const moved = await callApi(server.baseUrl, users.admin.token, 'POST', `/api/deviations/${commented.id}/transition`, { status: 'in-dialogue', reason: 'Skäl'.repeat(500) });
    expect(moved.status).toBe(200);

    const views = [
      { hash: `#/deviations/${longRequirement.id}`, ready: '#detail-context', words: [shownWord] },
      { hash: `#/deviations/${commented.id}`, ready: 'ol.comments', words: ['Kommentar'.repeat(1_000), 'Skäl'.repeat(500)] },
      { hash: '#/deviations?q=L%C3%A5ngordskrav', ready: 'table.list', words: ['Långt'.repeat(10)] },
      { hash: '#/triage?q=L%C3%A5ngordskrav', ready: '#triage-current a', words: [shownWord] },
      { hash: `#/declarations/${declaration.id}`, ready: '.declaration-deviations', words: [fileName] },
      { hash: '#/declarations', ready: '#declaration-list-heading', words: [fileName] },
    ];
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/overview');
    await page.locator('svg.chart').waitFor();
    const viewportWidth = page.viewportSize()!.width;
    for (const view of views) {
      await setHash(page, view.hash);
      await page.locator(view.ready).first().waitFor({ timeout: 15_000 });
      const text = await page.locator('main').textContent();
      for (const word of view.words) expect(text, view.hash).toContain(word);
      const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
      expect.soft(scrollWidth, `scroll width of ${view.hash}`).toBeLessThanOrEqual(viewportWidth);
    }
    await page.close();
  });
});
