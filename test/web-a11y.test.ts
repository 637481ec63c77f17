// Accessibility of the web app in Debian's Chromium against a real `avvik serve` with PostgreSQL
// and Redis. axe-core checks every page in Swedish and English, signed out, as an administrator
// and as a supplier, including open dialogs, rejected filters and errors. The triage flow is
// then done with Tab, Enter and Escape alone, checking focus, its outline and the live regions.
import fs from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSeriousViolations, readFocus, tabTo, type FocusState } from './support/a11y.ts';
import { buildApiDeclaration } from './support/api-workbooks.ts';
import { callApi, describeViolations, openBrowser, ROOT, signIn, startWebServer, uploadThroughApi, type WebServer } from './support/web.ts';

const COVER_SHEET = path.join(ROOT, 'fixtures', 'cover-sheet.xlsx');
const TRUNCATED = path.join(ROOT, 'fixtures', 'truncated.xlsx');
/** The supplier that fixtures/cover-sheet.xlsx names, as Avvik derives its party code. */
const COVER_SHEET_SUPPLIER = { code: 'ORG-5561234567', name: 'Kommunsystem Norr AB', organisationNumber: '556123-4567' };
const MISSING_ID = '00000000-0000-4000-8000-000000000000';
const LANGUAGES = ['sv', 'en'] as const;

let server: WebServer;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const users = {} as Record<'admin' | 'supplier', { id: string; token: string }>;
const ids = { parsedDeclaration: '', failedDeclaration: '', supplierDeviation: '' };

beforeAll(async () => {
  server = await startWebServer();
  await server.prisma.party.create({ data: { ...COVER_SHEET_SUPPLIER, kind: 'supplier' } });
  users.admin = await server.createUser({ name: 'Förvaltningen', role: 'administration' });
  users.supplier = await server.createUser({ name: 'Norr Support', role: 'supplier', party: COVER_SHEET_SUPPLIER.code });

  const parsed = await uploadThroughApi(server.baseUrl, users.supplier.token, 'cover-sheet.xlsx', fs.readFileSync(COVER_SHEET));
  const failed = await uploadThroughApi(server.baseUrl, users.supplier.token, 'truncated.xlsx', fs.readFileSync(TRUNCATED));
  expect(parsed.status).toBe('parsed');
  expect(failed.status).toBe('failed');
  ids.parsedDeclaration = parsed.id;
  ids.failedDeclaration = failed.id;
  // Four declarations of four deviations each, with the cover sheet's, fill more than one page of the list.
  for (const [index, marker] of ['alfanorr', 'betasyd', 'gammavast', 'deltaost'].entries()) {
    const bytes = await buildApiDeclaration({
      supplier: `System ${index} AB`,
      organisationNumber: `556000-000${index}`,
      system: `Ekonomi ${index}`,
      municipality: `Kommun ${index}`,
      contact: { name: `Kontakt ${index}`, phone: `070-000 00 0${index}`, email: `kontakt${index}@example.invalid` },
      marker,
    });
    expect((await uploadThroughApi(server.baseUrl, users.admin.token, `${marker}.xlsx`, bytes)).status).toBe('parsed');
  }

  const supplierList = await callApi(server.baseUrl, users.supplier.token, 'GET', '/api/deviations?limit=1');
  ids.supplierDeviation = supplierList.body.items[0].id;
  const commented = await callApi(server.baseUrl, users.admin.token, 'POST', `/api/deviations/${ids.supplierDeviation}/comments`, { body: 'Vi har kontaktat leverantören.' });
  expect(commented.status).toBe(201);
  const form = new FormData();
  form.append('file', new Blob(['Skärmbild saknas, se beskrivningen.']), 'anteckning.txt');
  const attached = await fetch(`${server.baseUrl}/api/deviations/${ids.supplierDeviation}/attachments`, {
    method: 'POST',
    body: form,
    headers: { authorization: `Bearer ${users.admin.token}` },
  });
  expect(attached.status).toBe(201);
  browser = await openBrowser();
  // An uncaught error in any page of the app fails the run.
  browser.context.on('page', (page) =>
    page.on('pageerror', (error) => {
      throw new Error(`Uncaught error in the page: ${error.message}`);
    }),
  );
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
}, 60_000);

function newPage(): Promise<Page> {
  return browser.context.newPage();
}

/** Returns the deviations with status new, oldest first, in the order of the triage queue. */
async function newDeviations(): Promise<{ id: string; title: string; proposal: { area: string; partyCode: string | null } }[]> {
  const { body } = await callApi(server.baseUrl, users.admin.token, 'GET', '/api/deviations?status=new&sort=createdAt&limit=500');
  return body.items;
}

/** Moves a new deviation to in-dialogue outside the browser, as another administrator would. */
async function triageElsewhere(id: string): Promise<void> {
  const moved = await callApi(server.baseUrl, users.admin.token, 'POST', `/api/deviations/${id}/transition`, { status: 'in-dialogue', reason: 'Granskad i en annan flik' });
  expect(moved.status).toBe(200);
}

/** Returns the id at the end of a `#/deviations/ID` link. */
async function linkedId(page: Page, selector: string): Promise<string> {
  const href = await page.locator(selector).first().getAttribute('href');
  return href!.split('/').pop()!;
}

interface View {
  name: string;
  hash: string;
  /** A selector that matches once the page has rendered what is checked. */
  ready: string;
  /** Brings the page into the state to check, such as an open dialog or a shown error. */
  prepare?: (page: Page) => Promise<void>;
}

async function openDialogWith(page: Page, open: () => Promise<void>) {
  await open();
  await page.locator('dialog[open]').waitFor();
}

const SIGNED_OUT_VIEWS: View[] = [
  { name: 'sign-in', hash: '', ready: '#token' },
  {
    name: 'sign-in with a wrong token',
    hash: '',
    ready: '#token',
    prepare: async (page) => {
      await page.locator('#token').fill('avvik_not-a-real-token');
      await page.keyboard.press('Enter');
      await page.locator('#signin-error:not([hidden])').waitFor();
    },
  },
];

const ADMIN_VIEWS: View[] = [
  { name: 'overview', hash: '#/overview', ready: 'svg.chart' },
  { name: 'overview with the chart table open', hash: '#/overview', ready: 'svg.chart', prepare: (page) => page.locator('details summary').click() },
  { name: 'triage queue', hash: '#/triage', ready: '#triage-current' },
  { name: 'empty triage queue', hash: '#/triage?q=ingenträff', ready: '#triage-current' },
  { name: 'triage assign dialog', hash: '#/triage', ready: '#triage-current', prepare: (page) => openDialogWith(page, () => page.keyboard.press('a')) },
  { name: 'triage new requirement dialog', hash: '#/triage', ready: '#triage-current', prepare: (page) => openDialogWith(page, () => page.keyboard.press('n')) },
  { name: 'triage bulk dialog', hash: '#/triage', ready: '#triage-current', prepare: (page) => openDialogWith(page, () => page.locator('#bulk-confirm').click()) },
  {
    name: 'triage action error',
    hash: '#/triage',
    ready: '#triage-current',
    prepare: async (page) => {
      await triageElsewhere(await linkedId(page, '#triage-current a'));
      await page.keyboard.press('c');
      await page.locator('.error-slot [role="alert"]').waitFor();
    },
  },
  { name: 'triage rejected filter', hash: '#/triage?party=fk&area=norr', ready: '[role="alert"]' },
  { name: 'deviation list with pages', hash: '#/deviations', ready: 'nav.pagination' },
  { name: 'deviation list rejected filters', hash: '#/deviations?status=klar&area=norr&overdue=kanske', ready: '[role="alert"]' },
  { name: 'deviation', hash: '#/deviations/DEVIATION', ready: '#actions-heading' },
  {
    name: 'deviation assign dialog',
    hash: '#/deviations/DEVIATION',
    ready: '#actions-heading',
    prepare: (page) => openDialogWith(page, () => page.locator('section[aria-labelledby="actions-heading"] .actions button').nth(1).click()),
  },
  {
    name: 'deviation status change error',
    hash: '#/deviations/NEW',
    ready: '#transition-reason',
    prepare: async (page) => {
      await triageElsewhere(page.url().split('/').pop()!);
      await page.locator('#transition-reason').fill('Skickas till ägaren');
      await page.locator('#transition-reason').press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('section[aria-labelledby="actions-heading"] [role="alert"]:not([hidden])').waitFor();
    },
  },
  { name: 'deviation not found', hash: `#/deviations/${MISSING_ID}`, ready: 'main h1' },
  { name: 'declarations', hash: '#/declarations', ready: '#declaration-file' },
  { name: 'parsed declaration', hash: '#/declarations/PARSED', ready: '.declaration-deviations' },
  { name: 'failed declaration', hash: '#/declarations/FAILED', ready: 'section.failure' },
  { name: 'unknown page', hash: '#/nothing-here', ready: 'main h1' },
];

const SUPPLIER_VIEWS: View[] = [
  { name: 'overview', hash: '#/overview', ready: 'svg.chart' },
  { name: 'deviation list', hash: '#/deviations', ready: 'table.list' },
  { name: 'deviation list rejected filter', hash: '#/deviations?status=klar', ready: '[role="alert"]' },
  { name: 'deviation', hash: '#/deviations/DEVIATION', ready: '#detail-context' },
  {
    name: 'deviation with a rejected attachment',
    hash: '#/deviations/DEVIATION',
    ready: '#attachment-file',
    prepare: async (page) => {
      // NUL bytes and no known signature: neither text nor an accepted attachment type.
      await page.locator('#attachment-file').setInputFiles({ name: 'program.bin', mimeType: 'application/octet-stream', buffer: Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00]) });
      await page.locator('#attachment-file').press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('section[aria-labelledby="attachments-heading"] [role="alert"]:not([hidden])').waitFor();
    },
  },
  { name: 'declarations', hash: '#/declarations', ready: '#declaration-file' },
  {
    name: 'declarations upload error',
    hash: '#/declarations',
    ready: '#declaration-file',
    prepare: async (page) => {
      await page.locator('#declaration-file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Inte en egendeklaration') });
      await page.locator('#declaration-file').press('Tab');
      await page.keyboard.press('Enter');
      await page.locator('#upload-error:not([hidden])').waitFor();
    },
  },
  { name: 'parsed declaration', hash: '#/declarations/PARSED', ready: '.declaration-deviations' },
  { name: 'failed declaration', hash: '#/declarations/FAILED', ready: 'section.failure' },
  { name: 'deviation not found', hash: `#/deviations/${MISSING_ID}`, ready: 'main h1' },
];

/**
 * Fills in the ids that the views name by placeholder. DEVIATION is a deviation visible to the
 * supplier, with a comment and an attachment, and NEW is a new deviation that the view may change.
 */
async function resolveHash(hash: string): Promise<string> {
  if (hash.endsWith('/NEW')) {
    const queue = await newDeviations();
    // The newest, so that the triage queue, oldest first, keeps its head for the triage views.
    return hash.replace('NEW', queue.at(-1)!.id);
  }
  return hash
    .replace('/DEVIATION', `/${ids.supplierDeviation}`)
    .replace('/PARSED', `/${ids.parsedDeclaration}`)
    .replace('/FAILED', `/${ids.failedDeclaration}`);
}

/**
 * Loads each view afresh in the language, runs axe-core on it and returns a failure line per view
 * with serious or critical violations. The tab keeps its token and language across loads.
 */
async function checkViews(page: Page, views: View[], language: string): Promise<string[]> {
  const failures: string[] = [];
  for (const view of views) {
    await page.goto('about:blank');
    await page.goto(`${server.baseUrl}/${await resolveHash(view.hash)}`);
    await page.locator(view.ready).first().waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('html', 'lang'), view.name).toBe(language);
    await view.prepare?.(page);
    const violations = await findSeriousViolations(page);
    if (violations.length > 0) failures.push(`${view.name} (${language}):\n${describeViolations(violations)}`);
  }
  return failures;
}

/** Switches the app to `language` with its own button, unless the page is in that language already. */
async function useLanguage(page: Page, language: string): Promise<void> {
  // The page heading appears once the app has applied the language stored in localStorage.
  await page.locator('main h1').waitFor();
  if ((await page.getAttribute('html', 'lang')) !== language) await page.locator('#language-switch').click();
  await expect.poll(() => page.getAttribute('html', 'lang')).toBe(language);
}

/**
 * Checks the views in the language and switches back to Swedish afterwards, because every page of
 * the browser shares the language in localStorage and the other tests expect Swedish.
 */
async function checkViewsIn(page: Page, views: View[], language: string): Promise<string[]> {
  await useLanguage(page, language);
  try {
    return await checkViews(page, views, language);
  } finally {
    await page.goto(`${server.baseUrl}/`);
    await useLanguage(page, 'sv');
  }
}

describe('axe-core', () => {
  it.each(LANGUAGES)('finds nothing serious signed out (%s)', async (language) => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#token').waitFor();
    const failures = await checkViewsIn(page, SIGNED_OUT_VIEWS, language);
    expect(failures, failures.join('\n\n')).toEqual([]);
    await page.close();
  });

  for (const [role, views] of [['admin', ADMIN_VIEWS], ['supplier', SUPPLIER_VIEWS]] as const) {
    it.each(LANGUAGES)(`finds nothing serious for the ${role} (%s)`, async (language) => {
      const page = await newPage();
      await signIn(page, server.baseUrl, users[role].token);
      const failures = await checkViewsIn(page, views, language);
      expect(failures, failures.join('\n\n')).toEqual([]);
      await page.close();
    }, 180_000);
  }
});

/** Fails with the element when the focus indicator of the focused element is not drawn. */
function expectOutlined(focus: FocusState) {
  expect(focus.outlined, `no visible focus outline on ${focus.description}`).toBe(true);
}

/** Returns the text of the polite live region, found by its role as assistive technology finds it. */
function statusText(page: Page) {
  return page.getByRole('status').and(page.locator('#live')).textContent();
}

/** Returns the text of the alerts inside `scope` without waiting for one to appear. */
async function alertText(scope: Locator): Promise<string> {
  return (await scope.getByRole('alert').allTextContents()).join(' ');
}

describe('keyboard', () => {
  it('triages the queue with Tab and Enter', async () => {
    const queue = await newDeviations();
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/triage');
    await expect.poll(() => page.locator('#triage-current').textContent()).toBe(queue[0]!.title);

    // Tab from the page heading to the assign button, with a visible outline at every stop.
    const assign = page.locator('#triage-workspace').getByRole('button', { name: 'Tilldela', exact: true });
    const stops = await tabTo(page, assign);
    for (const stop of stops) expectOutlined(stop);

    // Enter opens the dialog with focus on the proposed area. The arrow keys change the area and
    // then the party, and Tab moves from one group to the next.
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Tilldela ägare' });
    await dialog.waitFor();
    const tree = await dialog.ariaSnapshot();
    expect(tree).toContain('- group "Område"');
    expect(tree).toContain('- group "Part"');
    expect(tree).toContain('- textbox "Motivering"');
    const onArea = await readFocus(page);
    expect(onArea.inDialog).toBe(true);
    expectOutlined(onArea);
    expect(await dialog.getByRole('radio', { name: 'Verksamhetssystem' }).isChecked()).toBe(true);
    await page.keyboard.press('ArrowDown');
    expect(await dialog.getByRole('radio', { name: 'Bastjänst' }).isChecked()).toBe(true);
    await page.keyboard.press('Tab');
    const onParty = await readFocus(page);
    expect(onParty.description).toMatch(/^input/);
    expectOutlined(onParty);
    await page.keyboard.press('ArrowDown');
    const party = await dialog.locator('input[name="party"]:checked').getAttribute('value');
    expect(party).not.toBe(queue[0]!.proposal.partyCode);
    await page.keyboard.press('Tab');
    expect((await readFocus(page)).description).toMatch(/^input#assign-reason/);
    await page.keyboard.type('Ägaren bekräftad med tangentbordet');
    await page.keyboard.press('Tab');
    const save = await readFocus(page);
    expect(save.description).toBe('button "Tilldela"');
    expectOutlined(save);
    await page.keyboard.press('Enter');

    // After saving, focus is on the next deviation's heading and the result is announced.
    await expect.poll(() => page.locator('#triage-current').textContent()).toBe(queue[1]!.title);
    await expect.poll(async () => (await readFocus(page)).description).toMatch(/^h2#triage-current/);
    expectOutlined(await readFocus(page));
    await expect.poll(() => statusText(page)).toContain(`Tilldelad ${party}: ${queue[0]!.title}.`);
    const saved = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations/${queue[0]!.id}`)).body;
    expect(saved.status).toBe('in-dialogue');
    expect(saved.owner).toMatchObject({ area: 'base-service', partyCode: party });
    expect(saved.history.at(-1).reason).toBe('Ägaren bekräftad med tangentbordet');

    // Confirm the next one with Tab and Enter.
    const confirm = page.locator('#triage-workspace').getByRole('button', { name: 'Bekräfta', exact: true });
    for (const stop of await tabTo(page, confirm)) expectOutlined(stop);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#triage-current').textContent()).toBe(queue[2]!.title);
    await expect.poll(async () => (await readFocus(page)).description).toMatch(/^h2#triage-current/);
    await expect.poll(() => statusText(page)).toContain(`Bekräftad: ${queue[1]!.title}.`);
    await page.close();
  });

  it('closes a dialog with Escape and returns focus', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/triage');
    await page.locator('#triage-current').waitFor();
    const flag = page.locator('#triage-workspace').getByRole('button', { name: 'Nytt krav', exact: true });
    await tabTo(page, flag);
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: 'Markera som nytt krav' }).waitFor();
    expect((await readFocus(page)).description).toMatch(/^input#new-requirement-reason/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog').count()).toBe(0);
    const back = await readFocus(page);
    expect(back.description).toBe('button "Nytt krav"');
    expectOutlined(back);
    await page.close();
  });

  it('announces a triage error and keeps focus', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/triage');
    await page.locator('#triage-current').waitFor();
    const current = await linkedId(page, '#triage-current a');
    await triageElsewhere(current);

    const confirm = page.locator('#triage-workspace').getByRole('button', { name: 'Bekräfta', exact: true });
    await tabTo(page, confirm);
    await page.keyboard.press('Enter');
    await expect.poll(() => alertText(page.locator('#triage-workspace'))).toContain('Avvikelsen kan inte byta till den statusen');
    const focus = await readFocus(page);
    expect(focus.description).toBe('button "Bekräfta"');
    expectOutlined(focus);
    await page.close();
  });

  it('triages a deviation page with Tab and Enter', async () => {
    const queue = await newDeviations();
    const target = queue.at(-1)!;
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, '#/deviations?status=new&sort=-updatedAt');
    await page.locator('table.list').waitFor();

    // Open the deviation from the list by keyboard; focus lands on its heading.
    // Titles repeat across declarations, so the link is found by its address.
    const link = page.locator(`table.list a[href="#/deviations/${target.id}"]`);
    for (const stop of await tabTo(page, link, 80)) expectOutlined(stop);
    await page.keyboard.press('Enter');
    await page.locator('#actions-heading').waitFor();
    await expect.poll(async () => (await readFocus(page)).description).toBe(`h1 "${target.title}"`);
    expectOutlined(await readFocus(page));

    // Confirm the proposed owner: focus returns to the heading and the result is announced.
    const confirm = page.getByRole('button', { name: 'Bekräfta föreslagen ägare' });
    for (const stop of await tabTo(page, confirm)) expectOutlined(stop);
    await page.keyboard.press('Enter');
    await expect.poll(() => statusText(page)).toContain(`Ägaren ${target.proposal.partyCode} är bekräftad.`);
    const afterConfirm = await readFocus(page);
    expect(afterConfirm.description).toBe(`h1 "${target.title}"`);
    expectOutlined(afterConfirm);

    // Give a reason and save the status change.
    const reason = page.getByRole('textbox', { name: 'Motivering' });
    await tabTo(page, page.getByRole('combobox', { name: 'Ny status' }));
    expect(await page.getByRole('combobox', { name: 'Ny status' }).inputValue()).toBe('in-dialogue');
    await tabTo(page, reason);
    await page.keyboard.type('Skickas till ägaren');
    await page.keyboard.press('Tab');
    expect((await readFocus(page)).description).toBe('button "Byt status"');
    await page.keyboard.press('Enter');
    await expect.poll(() => statusText(page)).toContain('Status ändrad till I dialog.');
    const afterSave = await readFocus(page);
    expect(afterSave.description).toBe(`h1 "${target.title}"`);
    expectOutlined(afterSave);
    const saved = (await callApi(server.baseUrl, users.admin.token, 'GET', `/api/deviations/${target.id}`)).body;
    expect(saved.status).toBe('in-dialogue');
    expect(saved.owner?.partyCode).toBe(target.proposal.partyCode);
    await page.close();
  });

  it('announces a failed status change and keeps focus', async () => {
    const queue = await newDeviations();
    const target = queue.at(-1)!;
    const page = await newPage();
    await signIn(page, server.baseUrl, users.admin.token, `#/deviations/${target.id}`);
    await page.locator('#actions-heading').waitFor();
    await triageElsewhere(target.id);

    await tabTo(page, page.getByRole('textbox', { name: 'Motivering' }), 80);
    await page.keyboard.type('Skickas till ägaren');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => alertText(page.locator('section[aria-labelledby="actions-heading"]'))).toContain('Avvikelsen kan inte byta till den statusen');
    const focus = await readFocus(page);
    expect(focus.description).toBe('button "Byt status"');
    expectOutlined(focus);
    await page.close();
  });

  it('announces a failed sign-in', async () => {
    const page = await newPage();
    await page.goto(`${server.baseUrl}/`);
    await page.locator('#token').waitFor();
    // Focus starts on the page heading, and the token field is the next stop.
    expect((await readFocus(page)).description).toBe('h1 "Logga in"');
    await page.keyboard.press('Tab');
    expect((await readFocus(page)).description).toMatch(/^input#token/);
    await page.keyboard.type('avvik_not-a-real-token');
    await page.keyboard.press('Enter');
    await expect.poll(() => alertText(page.locator('main'))).toContain('Inloggningen misslyckades');
    const focus = await readFocus(page);
    expect(focus.description).toMatch(/^input#token/);
    expectOutlined(focus);
    expect(await page.locator('#token').getAttribute('aria-invalid')).toBe('true');
    await page.close();
  });

  it('announces a failed upload and returns focus', async () => {
    const page = await newPage();
    await signIn(page, server.baseUrl, users.supplier.token, '#/declarations');
    const file = page.getByLabel('Fil (.xlsx, .xlsm eller .pdf)', { exact: true });
    await file.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Inte en egendeklaration') });
    await file.focus();
    await page.keyboard.press('Tab');
    expect((await readFocus(page)).description).toBe('button "Ladda upp"');
    await page.keyboard.press('Enter');
    await expect.poll(() => alertText(page.locator('main'))).toContain('Uppladdningen misslyckades');
    // The alert also contains the API's English message, which names the case, marked as English.
    const alert = await alertText(page.locator('main'));
    expect(alert).toContain('En egendeklaration ska vara en Excel-arbetsbok (.xlsx eller .xlsm) eller en PDF.');
    expect(alert).toContain("Serverns meddelande på engelska: The file 'notes.txt' is neither an Excel workbook (.xlsx) nor a PDF.");
    expect(await page.locator('#upload-error .error-detail span').getAttribute('lang')).toBe('en');
    const focus = await readFocus(page);
    expect(focus.description).toMatch(/^input#declaration-file/);
    expectOutlined(focus);
    await page.close();
  });
});
