// The parts that keep digests in bounded memory: the external merge sort over temporary files,
// files renamed into place only when complete, and digests of parties with thousands of
// deviations sorted through many small runs on a generated PostgreSQL database.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOverdueDeviations } from '../scripts/followup-memory.ts';
import { fromDbPartyKind } from '../src/db/enums.ts';
import { partyActor } from '../src/followup/actors.ts';
import { AtomicFile, AtomicWriteError } from '../src/followup/atomic-file.ts';
import { writeDigests } from '../src/followup/digest.ts';
import { ExternalSort } from '../src/followup/external-sort.ts';
import { findOverdue } from '../src/followup/overdue.ts';
import { loadFollowupSettings } from '../src/followup/settings.ts';
import { createTestDatabase, type TestDatabase } from './support/services.ts';

const folders: string[] = [];
function temporaryFolder(prefix: string): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  folders.push(folder);
  return folder;
}
afterAll(() => {
  for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
});

interface Entry {
  key: number;
  id: string;
  text: string;
}
const compareEntries = (a: Entry, b: Entry) => a.key - b.key || a.id.localeCompare(b.id);

/** Entries with many equal keys, and texts with a line feed, a line separator and quotes. */
function entries(count: number): Entry[] {
  return Array.from({ length: count }, (_, index) => ({
    key: (index * 7919) % 97,
    id: randomUUID(),
    text: `rad ${index}\nnästa\u2028"citat" \\ slut`,
  }));
}

async function collect<T>(values: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const value of values) result.push(value);
  return result;
}

describe('ExternalSort', () => {
  it('merges many runs in order', async () => {
    const root = temporaryFolder('avvik-sort-test-');
    const input = entries(20_000);
    const sort = new ExternalSort(compareEntries, { runSize: 300, maxOpenRuns: 4, temporaryRoot: root });
    try {
      for (const entry of input) await sort.add(entry);
      expect(sort.count).toBe(20_000);
      // The runs are on disk before the merge.
      const [runFolder] = fs.readdirSync(root);
      expect(runFolder).toMatch(/^avvik-sort-/);
      expect(fs.readdirSync(path.join(root, runFolder!)).length).toBe(Math.floor(20_000 / 300));

      const sorted = await collect(sort.sorted());
      expect(sorted).toEqual([...input].sort(compareEntries));
    } finally {
      await sort.dispose();
    }
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('sorts one run in memory', async () => {
    const root = temporaryFolder('avvik-sort-test-');
    const input = entries(500);
    const sort = new ExternalSort(compareEntries, { runSize: 500, temporaryRoot: root });
    for (const entry of input.slice(0, 499)) await sort.add(entry);
    await sort.add(input[499]!);
    // The 500th value fills the run, which is then written to disk. Fewer values stay in memory.
    expect(fs.readdirSync(root).length).toBe(1);

    const small = new ExternalSort(compareEntries, { runSize: 500, temporaryRoot: root });
    for (const entry of input.slice(0, 499)) await small.add(entry);
    expect(await collect(small.sorted())).toEqual(input.slice(0, 499).sort(compareEntries));
    expect(fs.readdirSync(root).length).toBe(1);
    await sort.dispose();
    await small.dispose();
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('names the run file that cannot be written', async () => {
    const root = path.join(temporaryFolder('avvik-sort-test-'), 'missing');
    const sort = new ExternalSort(compareEntries, { runSize: 2, temporaryRoot: root });
    await sort.add(entries(1)[0]!);
    await expect(sort.add(entries(1)[0]!)).rejects.toThrow(
      `Writing the temporary sort file ${path.join(root, 'avvik-sort-*')} failed, because its folder does not exist (ENOENT). ` +
        'Set TMPDIR to a folder that exists and allows writing, and run the command again.',
    );
    await sort.dispose();
  });
});

describe('AtomicFile', () => {
  it('publishes only a finished file', async () => {
    const folder = temporaryFolder('avvik-atomic-test-');
    const file = path.join(folder, 'SKR.txt');
    fs.writeFileSync(file, 'earlier');
    const atomic = await AtomicFile.create(file);
    await atomic.write('x'.repeat(100_000));
    await atomic.write('end\n');
    // The first 64 K characters are on disk, under a hidden temporary name.
    expect(path.basename(atomic.temporaryFile)).toMatch(/^\.SKR\.txt\.[0-9a-f]{8}\.tmp$/);
    expect(fs.statSync(atomic.temporaryFile).size).toBeGreaterThan(0);
    expect(fs.readFileSync(file, 'utf8')).toBe('earlier');

    await atomic.finish();
    expect(fs.readFileSync(file, 'utf8')).toBe('earlier');
    await atomic.publish();
    expect(fs.readFileSync(file, 'utf8')).toBe(`${'x'.repeat(100_000)}end\n`);
    expect(fs.readdirSync(folder)).toEqual(['SKR.txt']);
  });

  it('names the file when its folder is removed', async () => {
    const folder = path.join(temporaryFolder('avvik-atomic-test-'), 'digests');
    fs.mkdirSync(folder);
    const file = path.join(folder, 'SKR.json');
    const atomic = await AtomicFile.create(file);
    await atomic.write('{}\n');
    fs.rmSync(folder, { recursive: true });

    await atomic.finish();
    const failure = await atomic.publish().then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(AtomicWriteError);
    expect((failure as AtomicWriteError).file).toBe(file);
    expect((failure as AtomicWriteError).failure.kind).toBe('missing-folder');
    expect((failure as AtomicWriteError).message).toBe(`Writing ${file} failed, because its folder does not exist (ENOENT).`);
    await atomic.discard();
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('writeDigests', () => {
  let testDatabase: TestDatabase;
  /** 3,000 overdue deviations, of which 1,800 wait on the administration. */
  const OVERDUE = 3_000;
  const TODAY = '2027-01-08';
  const settings = loadFollowupSettings(path.resolve(import.meta.dirname, '..', 'config', 'followup.json'));

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    await generateOverdueDeviations(testDatabase.url, OVERDUE);
    // Titles with a line feed, a line separator, quotes and a backslash must survive the sort runs.
    await testDatabase.database.prisma.deviation.updateMany({
      where: { requirementId: { in: ['K5', 'K7', 'K8'] } },
      data: { title: 'Avvikelse med radbrytning \u2028 "citat" \\ slut\nrad två' },
    });
  }, 120_000);
  afterAll(async () => {
    await testDatabase?.drop();
  }, 60_000);

  it('writes the same digests through many sort runs', async () => {
    const prisma = testDatabase.database.prisma;
    const inMemory = temporaryFolder('avvik-digest-memory-');
    const throughRuns = temporaryFolder('avvik-digest-runs-');
    const sortRoot = temporaryFolder('avvik-digest-sort-');

    const expected = await writeDigests(prisma, settings, TODAY, inMemory);
    const written = await writeDigests(prisma, settings, TODAY, throughRuns, {
      pageSize: 70,
      sort: { runSize: 100, maxOpenRuns: 3, temporaryRoot: sortRoot },
    });
    expect(written.reduce((sum, digest) => sum + digest.count, 0)).toBe(OVERDUE);
    expect(written.map((digest) => [digest.party.code, digest.count])).toEqual(expected.map((digest) => [digest.party.code, digest.count]));
    expect(written.find((digest) => digest.party.code === 'SKR')?.count).toBe(1_800);
    expect(fs.readdirSync(sortRoot)).toEqual([]);

    const files = fs.readdirSync(inMemory).sort();
    expect(fs.readdirSync(throughRuns).sort()).toEqual(files);
    for (const file of files) {
      expect(fs.readFileSync(path.join(throughRuns, file), 'utf8'), file).toBe(fs.readFileSync(path.join(inMemory, file), 'utf8'));
    }
  }, 180_000);

  it('lists a party as the report does', async () => {
    const prisma = testDatabase.database.prisma;
    const folder = temporaryFolder('avvik-digest-order-');
    await writeDigests(prisma, settings, TODAY, folder, { sort: { runSize: 250, maxOpenRuns: 2, temporaryRoot: temporaryFolder('avvik-digest-sort-') } });

    for (const code of ['SKR', 'ORG-5560000901']) {
      const stored = await prisma.party.findUniqueOrThrow({ where: { code } });
      const actor = partyActor({ ...stored, kind: fromDbPartyKind(stored.kind) });
      const report = await findOverdue(prisma, actor, settings, TODAY, { party: code });
      const items = report.groups[0]!.items;
      const raw = fs.readFileSync(path.join(folder, `${code}.json`), 'utf8');
      const digest = JSON.parse(raw) as { today: string; party: unknown; total: number; items: unknown[] };
      expect(raw, code).toBe(`${JSON.stringify({ today: TODAY, party: report.groups[0]!.party, total: items.length, items }, null, 2)}\n`);
      expect(digest.total, code).toBe(items.length);

      const text = fs.readFileSync(path.join(folder, `${code}.txt`), 'utf8');
      const numbered = [...text.matchAll(/^(\d+)\. [\s\S]*?\n {3}Deviation (\S+),/gm)].map((match) => `${match[1]} ${match[2]}`);
      expect(numbered, code).toEqual(items.map((item, index) => `${index + 1} ${item.id}`));
    }
  }, 180_000);
});
