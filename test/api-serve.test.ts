// `avvik users` and `avvik serve --with-worker` as an operator runs them: real processes, a real
// socket on 127.0.0.1, a multipart upload from fetch, revocation while the server runs, shutdown
// on SIGTERM, and logs free of tokens, contact details and query strings.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './support/services.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const queueName = uniqueName('serve');
let testDatabase: TestDatabase;

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabase.url, AVVIK_QUEUE: queueName, AVVIK_LOG_LEVEL: 'debug' };
  delete env.REDIS_URL;
  return { ...env, ...extra };
}

function avvik(args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), ...args], {
    cwd: ROOT,
    env: environment(extra),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  testDatabase = await createTestDatabase();
}, 60_000);

afterAll(async () => {
  await testDatabase?.drop();
  await removeQueueKeys(queueName);
}, 60_000);

describe('avvik users', () => {
  it('creates a user and prints the token once', () => {
    const result = avvik(['users', 'create', '--name', 'Förvaltningen', '--role', 'administration']);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Created user [0-9a-f-]{36}: Förvaltningen, administration, party SKR\./);
    expect(result.stdout).toMatch(/^avvik_[A-Za-z0-9_-]{43}$/m);
  });

  it.each([
    [['--name', 'X', '--role', 'supplier'], 'Role supplier needs --party'],
    [['--name', 'X', '--role', 'supplier', '--party', 'ORG-0000000000'], 'No party has the code ORG-0000000000'],
    [['--name', 'X', '--role', 'data-provider', '--party', 'fk'], 'No party has the code fk. Party codes are case-sensitive, so give FK instead.'],
    [['--name', 'X', '--role', 'data-provider', '--party', 'DRIFT'], 'Party DRIFT is of kind operations, but role data-provider needs a party of kind data-provider'],
    [['--name', 'X', '--role', 'municipality', '--system', 'abc', '--municipality', 'Y'], 'No business system has the id abc'],
    [['--name', 'X', '--role', 'municipality'], 'needs --system'],
    [['--name', 'X', '--role', 'operations', '--municipality', 'Y'], 'apply only to role municipality'],
    [['--name', 'X', '--role', 'boss'], "Allowed choices are supplier, municipality, data-provider, operations, administration"],
  ])('rejects %j', (options, message) => {
    const result = avvik(['users', 'create', ...options]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('Run `avvik users create --help`');
    expect(result.stdout).not.toContain('avvik_');
  });

  it('rejects a name over 200 characters', () => {
    for (const length of [201, 100_000]) {
      const result = avvik(['users', 'create', '--name', 'N'.repeat(length), '--role', 'administration']);
      expect(result.status, `${length}`).toBe(1);
      expect(result.stderr, `${length}`).toContain(`--name has ${length} characters, more than the maximum of 200.`);
      expect(result.stdout, `${length}`).not.toContain('avvik_');
    }
  });

  it('accepts a name of the maximum length', () => {
    const result = avvik(['users', 'create', '--json', '--name', ` ${'N'.repeat(200)} `, '--role', 'administration']);
    expect(result.status, result.stderr).toBe(0);
    expect((JSON.parse(result.stdout) as { name: string }).name).toBe('N'.repeat(200));
  });

  it('rejects revoking an unknown user', () => {
    const result = avvik(['users', 'revoke', '00000000-0000-4000-8000-000000000000']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('No user has the id');
  });

  it('shows help with examples', () => {
    for (const command of [['serve'], ['users', 'create'], ['users', 'revoke'], ['users', 'list']]) {
      const result = avvik([...command, '--help']);
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/Examples?:/);
    }
  });
});

describe('avvik serve', () => {
  let server: ChildProcess;
  let stderr = '';
  let baseUrl: string;
  let admin: { id: string; token: string };
  let exitCode: Promise<number | null>;

  beforeAll(async () => {
    const created = avvik(['users', 'create', '--name', 'Driftadmin', '--role', 'administration', '--json']);
    expect(created.status, created.stderr).toBe(0);
    admin = JSON.parse(created.stdout) as { id: string; token: string };

    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = spawn(process.execPath, [path.join(ROOT, 'bin', 'avvik.js'), 'serve', '--port', String(port), '--with-worker'], {
      cwd: ROOT,
      env: environment({ REDIS_URL }),
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    exitCode = new Promise((resolve) => server.once('exit', (code) => resolve(code)));

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
  }, 90_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGKILL');
      await exitCode;
    }
  });

  const get = (url: string, token = admin.token) => fetch(`${baseUrl}${url}`, { headers: { authorization: `Bearer ${token}` } });

  it('answers readiness with the database and Redis', async () => {
    const answer = await fetch(`${baseUrl}/ready`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ status: 'ready', checks: { database: { status: 'ok' }, redis: { status: 'ok' } } });
  });

  it('takes an upload over HTTP and processes it with its own worker', async () => {
    const form = new FormData();
    form.append('file', new Blob([fs.readFileSync(path.join(ROOT, 'fixtures', 'cover-sheet.xlsx'))]), 'cover-sheet.xlsx');
    const answer = await fetch(`${baseUrl}/api/declarations`, { method: 'POST', body: form, headers: { authorization: `Bearer ${admin.token}` } });
    expect(answer.status).toBe(202);
    const { id } = (await answer.json()) as { id: string };

    let declaration: { status: string; deviations: { id: string }[]; cover: { contact: { name: string } } } | undefined;
    for (let attempt = 0; attempt < 300; attempt++) {
      declaration = (await (await get(`/api/declarations/${id}`)).json()) as typeof declaration;
      if (declaration!.status === 'parsed' || declaration!.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(declaration!.status).toBe('parsed');
    expect(declaration!.deviations.length).toBeGreaterThan(0);

    const detail = (await (await get(`/api/deviations/${declaration!.deviations[0]!.id}`)).json()) as { contact: { email: string } };
    expect(detail.contact.email).toContain('@');
    const search = await get(`/api/deviations?q=${encodeURIComponent(declaration!.cover.contact.name)}`);
    expect(search.status).toBe(200);
  });

  it('rejects a token revoked while the server runs', async () => {
    const created = avvik(['users', 'create', '--name', 'Kortvarig', '--role', 'administration', '--json']);
    const user = JSON.parse(created.stdout) as { id: string; token: string };
    expect((await get('/api/deviations', user.token)).status).toBe(200);

    const revoked = avvik(['users', 'revoke', user.id]);
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Revoked the token of user ${user.id}`);
    const answer = await get('/api/deviations', user.token);
    expect(answer.status).toBe(401);
    expect(((await answer.json()) as { code: string }).code).toBe('token-revoked');

    const listed = JSON.parse(avvik(['users', 'list', '--json']).stdout) as { id: string; revokedAt: string | null }[];
    expect(listed.find((entry) => entry.id === user.id)?.revokedAt).not.toBeNull();
    expect(listed.find((entry) => entry.id === admin.id)?.revokedAt).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(user.token);
  });

  it('stops on SIGTERM and logs no token, contact detail or query string', async () => {
    server.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(stderr).toContain('API server started');
    expect(stderr).toContain('API server stopped');
    expect(stderr).toContain('"route":"/api/deviations/:id"');

    const expected = JSON.parse(fs.readFileSync(path.join(ROOT, 'fixtures', 'cover-sheet.expected.json'), 'utf8')) as {
      cover: { contact: { name: string; phone: string; email: string } };
    };
    const { contact } = expected.cover;
    expect(stderr).not.toContain(admin.token);
    expect(stderr).not.toContain(contact.email);
    expect(stderr).not.toContain(contact.phone);
    expect(stderr).not.toContain(contact.name);
    expect(stderr).not.toContain(encodeURIComponent(contact.name));
    expect(stderr).not.toContain('?q=');
  });
});

describe('avvik serve without Redis', () => {
  it('rejects --with-worker', () => {
    const result = avvik(['serve', '--port', '1', '--with-worker']);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('--with-worker needs REDIS_URL');
  });
});
