// `avvik followup --digest` in bounded memory: 30,000 overdue deviations, written with a 64 MB
// JavaScript heap. `avvik followup --json`, which holds the whole report, runs out of that heap.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOverdueDeviations } from '../scripts/followup-memory.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const OVERDUE = 30_000;

let testDatabase: TestDatabase;
const digestDir = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-digest-memory-'));

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  await generateOverdueDeviations(testDatabase.url, OVERDUE);
}, 120_000);
afterAll(async () => {
  fs.rmSync(digestDir, { recursive: true, force: true });
  await testDatabase?.drop();
}, 60_000);

describe('avvik followup --digest', () => {
  it('writes 30,000 deviations in a 64 MB heap', () => {
    const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'warn' };
    delete environment.REDIS_URL;
    delete environment.AVVIK_FOLLOWUP_FILE;
    const result = spawnSync(
      process.execPath,
      ['--max-old-space-size=64', path.join(ROOT, 'bin', 'avvik.js'), 'followup', '--digest', digestDir, '--today', '2027-01-08', '--json'],
      { cwd: ROOT, env: environment, encoding: 'utf8', timeout: 300_000 },
    );
    expect(result.signal, result.stderr.slice(-2000)).toBeNull();
    expect(result.status, result.stderr.slice(-2000)).toBe(0);

    const written = JSON.parse(result.stdout) as { digests: { party: { code: string }; count: number; jsonFile: string }[] };
    expect(written.digests.reduce((sum, digest) => sum + digest.count, 0)).toBe(OVERDUE);
    // Half of the generated deviations are new and a tenth fixed, so they wait on the administration.
    expect(written.digests[0]!.party.code).toBe('SKR');
    expect(written.digests[0]!.count).toBe(18_000);
    for (const digest of written.digests) {
      const parsed = JSON.parse(fs.readFileSync(digest.jsonFile, 'utf8')) as { total: number; items: unknown[] };
      expect(parsed.total, digest.party.code).toBe(digest.count);
      expect(parsed.items.length, digest.party.code).toBe(digest.count);
    }
  }, 360_000);
});
