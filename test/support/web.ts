// The web app against a real `avvik serve` process on 127.0.0.1, with its own PostgreSQL
// database and BullMQ queue, driven by Debian's Chromium through playwright-core. Playwright
// never downloads a browser here: a missing Chromium fails the test with a message.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { createApiUser, type NewUser } from '../../src/api/users.ts';
import type { PrismaClient } from '../../src/generated/prisma/client.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './services.ts';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(ROOT, 'test-results', 'screenshots');
const AXE_PATH = path.join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface WebServer {
  baseUrl: string;
  prisma: PrismaClient;
  /** The server's stderr so far, for failure messages. */
  log(): string;
  createUser(request: NewUser): Promise<{ id: string; token: string }>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `avvik serve --with-worker` on a free port with a new database and queue, and waits for /health. */
export async function startWebServer(): Promise<WebServer> {
  const testDatabase: TestDatabase = await createTestDatabase();
  const queueName = uniqueName('web');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: testDatabase.url,
    REDIS_URL,
    AVVIK_QUEUE: queueName,
    AVVIK_LOG_LEVEL: 'warn',
  };
  const server: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), 'serve', '--port', String(port), '--with-worker'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));

  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${baseUrl}/health`)).ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`avvik serve did not start:\n${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const prisma = testDatabase.database.prisma;
  return {
    baseUrl,
    prisma,
    log: () => stderr,
    createUser: async (request) => {
      const { user, token } = await createApiUser(prisma, request);
      return { id: user.id, token };
    },
    close: async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
        if (server.exitCode === null) server.kill('SIGKILL');
      }
      await testDatabase.drop();
      await removeQueueKeys(queueName);
    },
  };
}

/**
 * Opens Debian's Chromium with a fresh profile. CSP is bypassed only so that axe-core can be
 * injected as an inline script; the app itself loads no inline script.
 */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is missing at ${CHROMIUM_PATH}. Install Debian's chromium package (apt-get install chromium) to run the web app tests.`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    bypassCSP: true,
    viewport: { width: 1280, height: 900 },
    locale: 'sv-SE',
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Opens the app and signs in with a token through the sign-in form, and waits for the first page. */
export async function signIn(page: Page, baseUrl: string, token: string, hash = ''): Promise<void> {
  await page.goto(`${baseUrl}/${hash}`);
  await page.locator('#token').fill(token);
  await page.keyboard.press('Enter');
  await page.locator('#sign-out').waitFor({ state: 'visible' });
  if (hash) await setHash(page, hash);
}

/** Moves the app to another page by its address, as following a link does. */
export async function setHash(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => {
    (globalThis as unknown as { location: { hash: string } }).location.hash = target;
  }, hash);
}

/** Returns the id of the element that has focus. */
export function focusedId(page: Page): Promise<string | undefined> {
  return page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id);
}

/** Returns the token the app keeps in sessionStorage, or null. */
export function storedToken(page: Page): Promise<string | null> {
  return page.evaluate(() => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('avvik.token'));
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core with the WCAG 2.0 and 2.1 A and AA rules, and returns the violations. */
export async function runAxe(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate(() => 'axe' in globalThis);
  if (!loaded) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const scope = globalThis as unknown as { document: unknown; axe: { run(context: unknown, options: object): Promise<{ violations: AxeViolation[] }> } };
    const result = await scope.axe.run(scope.document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => ({ target: node.target, failureSummary: node.failureSummary })),
    }));
  });
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n${violation.nodes.map((node) => `  ${node.target.join(' ')}: ${node.failureSummary ?? ''}`).join('\n')}`)
    .join('\n');
}

/** Saves a full-page screenshot under test-results/screenshots/NAME.png. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Calls the API with a token, outside the browser, to set up or check data. */
export async function callApi<T = any>(baseUrl: string, token: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const type = response.headers.get('content-type') ?? '';
  return { status: response.status, body: (type.includes('json') ? await response.json() : await response.text()) as T };
}

/** Uploads a declaration through the API and waits until it is parsed or failed. */
export async function uploadThroughApi(baseUrl: string, token: string, fileName: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('file', new Blob([bytes]), fileName);
  const answer = await fetch(`${baseUrl}/api/declarations`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  if (answer.status !== 202) throw new Error(`Upload of ${fileName} answered ${answer.status}: ${await answer.text()}`);
  const { id } = (await answer.json()) as { id: string };
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { body } = await callApi(baseUrl, token, 'GET', `/api/declarations/${id}`);
    if (body.status === 'parsed' || body.status === 'failed') return body;
    if (Date.now() > deadline) throw new Error(`Declaration ${id} is still ${body.status} after 60 s.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
