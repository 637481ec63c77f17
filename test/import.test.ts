// `avvik import` over a folder: counts, duplicates, failures, and a second or interrupted run
// that does nothing twice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskContactDetails } from '../src/api/contact-text.ts';
import { openAppContext, type AppContext } from '../src/cli/context.ts';
import { formatImportProgress, formatImportSummary, importFolder } from '../src/cli/import-command.ts';
import { readConfig } from '../src/config.ts';
import { createLogger } from '../src/log.ts';
import { connectRedis, startDeclarationWorker } from '../src/workers/queue.ts';
import { createTestDatabase, REDIS_URL, removeQueueKeys, uniqueName, type TestDatabase } from './support/services.ts';
import { buildDeclarationWorkbook } from './support/workbooks.ts';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'fixtures');

/** Lays out a folder of historical declarations: good files, a broken one, a copy and a note. */
function makeArchive(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-archive-'));
  fs.mkdirSync(path.join(root, '2019', 'vår'), { recursive: true });
  fs.mkdirSync(path.join(root, '2024'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'cover-sheet.xlsx'), path.join(root, '2019', 'vår', 'deklaration norr.xlsx'));
  fs.copyFileSync(path.join(FIXTURES, 'english.xlsx'), path.join(root, '2019', 'english.xlsx'));
  fs.copyFileSync(path.join(FIXTURES, 'wrapped-pages.pdf'), path.join(root, '2024', 'mitt.pdf'));
  fs.copyFileSync(path.join(FIXTURES, 'truncated.xlsx'), path.join(root, '2024', 'trasig.xlsx'));
  fs.copyFileSync(path.join(FIXTURES, 'cover-sheet.xlsx'), path.join(root, '2024', 'kopia.XLSX'));
  fs.writeFileSync(path.join(root, 'LÄSMIG.txt'), 'Deklarationer 2019 till 2024.');
  return root;
}

/** Starts a queue worker that processes declarations with the context's database and rules. */
function startWorker(context: AppContext, queueName: string, concurrency: number) {
  const connection = connectRedis(REDIS_URL);
  const worker = startDeclarationWorker({
    connection,
    queueName,
    concurrency,
    context: { prisma: context.database.prisma, ruleSet: context.ruleSet, parties: context.parties, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
    log: context.log,
  });
  return {
    async stop() {
      await worker.close();
      connection.disconnect();
    },
  };
}

describe('import in-process', () => {
  let testDatabase: TestDatabase;
  let context: AppContext;
  const archive = makeArchive();

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
  });
  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(archive, { recursive: true, force: true });
  });

  it('stops early and resumes without doing anything twice', async () => {
    let stored = 0;
    const first = await importFolder(context, archive, { shouldStop: () => stored++ >= 2 });
    expect(first.interrupted).toBe(true);
    expect(first.parsed + first.failed).toBe(2);

    const second = await importFolder(context, archive);
    expect(second.interrupted).toBe(false);
    expect(second.found).toBe(5);
    expect(second.ignored).toBe(1);
    expect(second.duplicate).toBe(3);
    expect(second.parsed).toBe(1);
    expect(second.failed).toBe(1);
    expect(second.failures).toHaveLength(1);
    expect(second.failures[0]!.file).toMatch(/trasig\.xlsx$/);
    expect(second.failures[0]!.code).toBe('truncated-file');
    expect(await context.database.prisma.declaration.count()).toBe(4);
  });

  it('counts a stored failure again', async () => {
    const deviationsBefore = await context.database.prisma.deviation.count();
    const again = await importFolder(context, archive);
    expect(again.duplicate).toBe(4);
    expect(again.parsed).toBe(0);
    expect(again.failed).toBe(1);
    expect(again.failures).toHaveLength(1);
    expect(again.failures[0]!.file).toMatch(/trasig\.xlsx$/);
    expect(again.failures[0]!.code).toBe('truncated-file');
    expect(again.failures[0]!.message).toContain('trasig.xlsx');
    expect(await context.database.prisma.declaration.count()).toBe(4);
    expect(await context.database.prisma.deviation.count()).toBe(deviationsBefore);
  });

  it('words the next step of a failure for the import', async () => {
    const summary = await importFolder(context, archive);
    const message = summary.failures[0]!.message;
    expect(message).toContain('Put the complete file in its place and run the import again.');
    expect(message).not.toMatch(/upload (?:it|the file|the complete file) again/i);

    // The stored message, which the HTTP API returns, keeps the upload's wording.
    const stored = await context.database.prisma.declaration.findFirstOrThrow({ where: { status: 'failed' } });
    expect(stored.errorMessage).toContain('Upload the complete file again.');
  });

  it('accounts for every file after a stop', async () => {
    let stored = 0;
    const summary = await importFolder(context, archive, { shouldStop: () => stored++ >= 2 });
    expect(summary.interrupted).toBe(true);
    expect(summary.found).toBe(5);
    expect(summary.notStarted).toBe(3);
    expect(summary.parsed + summary.failed + summary.duplicate + summary.waiting + summary.notStarted).toBe(summary.found);

    const text = formatImportSummary(archive, summary);
    expect(text).toContain(', 3 not started because the import was stopped');
    expect(text).toContain('Run the same command again to continue');
    expect(text).not.toContain('still waiting stay in the queue');
    // Files queued before the stop wait for a worker, not for another run.
    const queued = formatImportSummary(archive, { ...summary, parsed: summary.parsed - 1, waiting: summary.waiting + 1 });
    expect(queued).toContain('The files still waiting stay in the queue, and `avvik worker` processes them; start one if none is running.');
  });
});

describe('import of lock and hidden files', () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-lock-files-'));
  // A folder whose own name starts with a dot: only names below it decide what is hidden.
  const folder = path.join(parent, '.arkiv');
  let testDatabase: TestDatabase;
  let context: AppContext;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    const workbook = await buildDeclarationWorkbook({ requirements: 3, notMetEvery: 2 });
    fs.mkdirSync(path.join(folder, '2025', '.Trash'), { recursive: true });
    fs.writeFileSync(path.join(folder, '2025', 'deklaration.xlsx'), workbook);
    // A stand-in for Excel's owner file, which contains the name of the user who has the workbook open.
    const owner = Buffer.alloc(162, 0x20);
    owner.write('\u0005Kim T', 0, 'latin1');
    fs.writeFileSync(path.join(folder, '2025', '~$deklaration.xlsx'), owner);
    // macOS's AppleDouble file of the workbook, which starts with the AppleDouble magic number.
    fs.writeFileSync(path.join(folder, '2025', '._deklaration.xlsx'), Buffer.from([0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00]));
    fs.writeFileSync(path.join(folder, '2025', '.dold kopia.pdf'), '%PDF-1.4 without a body');
    fs.writeFileSync(path.join(folder, '2025', '.Trash', 'gammal.xlsx'), workbook);
    fs.writeFileSync(path.join(folder, '.DS_Store'), Buffer.from([0x00, 0x00, 0x00, 0x01]));
  });
  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(parent, { recursive: true, force: true });
  });

  it('skips them without storing them', async () => {
    for (const run of ['first', 'second']) {
      const progress: string[] = [];
      const summary = await importFolder(context, folder, { onProgress: (counts) => progress.push(formatImportProgress(counts)) });
      expect(summary.found, run).toBe(1);
      expect(summary.skipped, run).toBe(4);
      expect(summary.ignored, run).toBe(1);
      expect(summary.failed, run).toBe(0);
      expect(summary.failures, run).toEqual([]);
      expect(summary.parsed + summary.duplicate, run).toBe(1);
      expect(progress.at(-1), run).toMatch(/, 4 skipped$/);
      expect(formatImportSummary(folder, summary), run).toContain('1 declaration file found, 4 lock or hidden files skipped, 1 other entry ignored');
    }
    expect(await context.database.prisma.declaration.count()).toBe(1);
  });
});

describe('import of copies of a broken file', () => {
  let testDatabase: TestDatabase;
  let context: AppContext;
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-copies-'));

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    for (const name of ['a.xlsx', 'b.xlsx', 'c.xlsx']) fs.copyFileSync(path.join(FIXTURES, 'truncated.xlsx'), path.join(folder, name));
    fs.copyFileSync(path.join(FIXTURES, 'english.xlsx'), path.join(folder, 'd.xlsx'));
    fs.copyFileSync(path.join(FIXTURES, 'english.xlsx'), path.join(folder, 'e.xlsx'));
  });
  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('fails every copy in every run', async () => {
    for (const run of ['first', 'second']) {
      const summary = await importFolder(context, folder);
      expect(summary.failed, run).toBe(3);
      expect(summary.failures.map((failure) => path.basename(failure.file)), run).toEqual(['a.xlsx', 'b.xlsx', 'c.xlsx']);
      for (const failure of summary.failures) expect(failure.code, run).toBe('truncated-file');
      expect(summary.parsed, run).toBe(run === 'first' ? 1 : 0);
      expect(summary.duplicate, run).toBe(run === 'first' ? 1 : 2);
      expect(summary.waiting, run).toBe(0);
    }
    expect(await context.database.prisma.declaration.count()).toBe(2);
  });
});

describe('import of symbolic links', () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-links-'));
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-link-targets-'));
  let testDatabase: TestDatabase;
  let context: AppContext;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    fs.copyFileSync(path.join(FIXTURES, 'english.xlsx'), path.join(outside, 'english.xlsx'));
    fs.symlinkSync(path.join(outside, 'english.xlsx'), path.join(folder, 'länk.xlsx'));
    fs.symlinkSync(path.join(outside, 'borta.xlsx'), path.join(folder, 'trasig länk.xlsx'));
    fs.symlinkSync(path.join(outside, 'borta.txt'), path.join(folder, 'anteckning.txt'));
    fs.symlinkSync(outside, path.join(folder, 'mapp'));
  });
  afterAll(async () => {
    await context?.close();
    await testDatabase?.drop();
    fs.rmSync(folder, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('follows links to files and reports the rest', async () => {
    const summary = await importFolder(context, folder);
    expect(summary.found).toBe(2);
    expect(summary.parsed).toBe(1);
    expect(summary.failed).toBe(1);
    expect(summary.failures[0]!.file).toBe(path.join(folder, 'trasig länk.xlsx'));
    expect(summary.failures[0]!.code).toBe('file-not-readable');
    expect(summary.failures[0]!.message).toContain(`is a symbolic link to ${path.join(outside, 'borta.xlsx')}, which does not exist`);
    expect(summary.ignored).toBe(2);
    expect(summary.linksToFolders).toBe(1);
    expect(formatImportSummary(folder, summary)).toContain('2 other entries ignored (1 is a symbolic link to a folder, which is not followed)');
    expect(formatImportSummary(folder, { ...summary, found: 1, ignored: 1, linksToFolders: 0 })).toContain('1 declaration file found, 1 other entry ignored');
  });
});

describe('import of a file whose name is not UTF-8', () => {
  it('names the problem instead of a missing file', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-names-'));
    // Bytes 0xFF and 0xFE in a Linux file name, as an old Windows-1252 archive can leave them.
    const rawName = Buffer.concat([Buffer.from(path.join(folder, 'dekl')), Buffer.from([0xff, 0xfe]), Buffer.from('.xlsx')]);
    fs.copyFileSync(path.join(FIXTURES, 'cover-sheet.xlsx'), rawName);
    const testDatabase = await createTestDatabase();
    const context = await openAppContext(readConfig({ DATABASE_URL: testDatabase.url, AVVIK_LOG_LEVEL: 'silent' }));
    try {
      const summary = await importFolder(context, folder);
      expect(summary.failed).toBe(1);
      expect(summary.failures[0]!.code).toBe('file-not-readable');
      expect(summary.failures[0]!.message).toContain('its name is not valid UTF-8');
      expect(summary.failures[0]!.message).toContain('Rename the file');
    } finally {
      await context.close();
      await testDatabase.drop();
      fs.rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('import through queue workers', () => {
  const queueName = uniqueName('import');
  let testDatabase: TestDatabase;
  let context: AppContext;
  let worker: ReturnType<typeof startWorker>;
  const archive = makeArchive();
  // A second copy of the broken file, read while the first copy's job may still be waiting.
  fs.copyFileSync(path.join(FIXTURES, 'truncated.xlsx'), path.join(archive, '2024', 'trasig kopia.xlsx'));

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    context = await openAppContext(
      readConfig({ DATABASE_URL: testDatabase.url, REDIS_URL, AVVIK_QUEUE: queueName, AVVIK_LOG_LEVEL: 'silent' }),
    );
    worker = startWorker(context, queueName, 2);
  });
  afterAll(async () => {
    await worker?.stop();
    await context?.close();
    await testDatabase?.drop();
    await removeQueueKeys(queueName);
    fs.rmSync(archive, { recursive: true, force: true });
  });

  it('counts parsed, failed and duplicate files', async () => {
    const progress: number[] = [];
    const summary = await importFolder(context, archive, { onProgress: (counts) => progress.push(counts.parsed + counts.failed + counts.duplicate) });
    expect(summary.parsed).toBe(3);
    expect(summary.failed).toBe(2);
    expect(summary.failures.map((failure) => path.basename(failure.file)).sort()).toEqual(['trasig kopia.xlsx', 'trasig.xlsx']);
    expect(summary.duplicate).toBe(1);
    expect(summary.waiting).toBe(0);
    expect(progress.at(-1)).toBe(6);
    expect(await context.database.prisma.declaration.count()).toBe(4);

    const again = await importFolder(context, archive);
    expect(again.failed).toBe(2);
    expect(again.duplicate).toBe(4);
    expect(again.parsed).toBe(0);
    expect(again.waiting).toBe(0);
  });
});

describe('import through a queue without workers', () => {
  const queueName = uniqueName('import-no-worker');
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-no-worker-'));
  const logLines: string[] = [];
  let testDatabase: TestDatabase;
  let context: AppContext;
  let worker: ReturnType<typeof startWorker> | undefined;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const opened = await openAppContext(
      readConfig({ DATABASE_URL: testDatabase.url, REDIS_URL, AVVIK_QUEUE: queueName, AVVIK_LOG_LEVEL: 'silent' }),
    );
    context = { ...opened, log: createLogger('warn', { write: (line: string) => logLines.push(line) }) };
    for (const system of ['Norra systemet', 'Södra systemet']) {
      fs.writeFileSync(path.join(folder, `${system}.xlsx`), await buildDeclarationWorkbook({ requirements: 3, notMetEvery: 2, system }));
    }
  });
  afterAll(async () => {
    await worker?.stop();
    await context?.close();
    await testDatabase?.drop();
    await removeQueueKeys(queueName);
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('says once that no worker listens', async () => {
    const notices = () =>
      logLines.map((line) => JSON.parse(line) as { msg: string; queue: string; waiting: number }).filter((line) => /no worker is listening/.test(line.msg));
    const deadline = Date.now() + 20_000;
    const summary = await importFolder(context, folder, {
      // A worker starts only after the notice, so that the import can finish.
      onProgress: () => {
        if (!worker && notices().length > 0) worker = startWorker(context, queueName, 1);
      },
      shouldStop: () => Date.now() > deadline,
    });

    expect(notices()).toHaveLength(1);
    // Log lines are masked like API texts, and a random name's digits can read as a phone number.
    expect(notices()[0]!.queue).toBe(maskContactDetails(queueName));
    expect(notices()[0]!.waiting).toBe(2);
    expect(notices()[0]!.msg).toContain('start one with `avvik worker`');
    expect(summary.interrupted).toBe(false);
    expect(summary.parsed).toBe(2);
    expect(summary.waiting).toBe(0);
  });
});
