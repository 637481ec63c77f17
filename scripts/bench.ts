/**
 * Measures Avvik's throughput, time per stage and memory on generated declarations, beside
 * floors measured in the same run, and checks them against the targets in scripts/bench/report.ts.
 * Creates its own PostgreSQL database and queue name and removes both at the end.
 *
 * Usage: npm run bench -- [--quick] [--out FILE]
 */

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import pg from 'pg';
import { builtIsCurrent } from '../bin/built.js';
import { applyMigrations } from '../src/db/migrate.ts';
import { seedReferenceParties } from '../src/db/seed.ts';
import { killAllChildren, REPOSITORY_ROOT } from './bench/children.ts';
import { buildDeclaration, typicalSizes } from './bench/declarations.ts';
import { openBenchContext, type BenchContext } from './bench/pipeline.ts';
import { buildTable, formatTable, TARGETS, type Figures } from './bench/report.ts';
import { createDatabase, databaseUrl, dropDatabase, REDIS_URL, removeQueueKeys, uniqueName } from './bench/services.ts';
import { measureStages } from './bench/stages.ts';
import { measureStress } from './bench/stress.ts';
import { measureEndToEnd, measureExcelJsOnly, measureParseOnly, measureWorkerStress, type BenchFile, type WorkerSetup } from './bench/throughput.ts';

const { values: options } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (options.help) {
  console.log(`Usage: npm run bench -- [--quick] [--out FILE]

  --quick     fewer declarations, two worker setups and a 10,000-row stress workbook (about a minute)
  --out FILE  where to write the figures as JSON (default bench-results.json)`);
  process.exit(0);
}

/** Sizes of each phase; the full run takes a few minutes on two cores. */
const PLAN = options.quick
  ? { warmup: 8, timed: 60, stageFiles: 30, setups: [{ processes: 1, concurrency: 4 }, { processes: 2, concurrency: 2 }], stressRows: 10_000, stressRepeats: 1 }
  : {
      warmup: 20,
      timed: 150,
      stageFiles: 120,
      setups: [
        { processes: 1, concurrency: 1 },
        { processes: 1, concurrency: 2 },
        { processes: 1, concurrency: 4 },
        { processes: 1, concurrency: 8 },
        { processes: 2, concurrency: 1 },
        { processes: 2, concurrency: 2 },
        { processes: 2, concurrency: 4 },
      ] satisfies WorkerSetup[],
      stressRows: 50_000,
      stressRepeats: 3,
    };

const log = (message: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);

async function generateFiles(count: number, seedOffset: number): Promise<BenchFile[]> {
  const sizes = typicalSizes(count, seedOffset);
  const files: BenchFile[] = [];
  for (const [index, requirements] of sizes.entries()) {
    const seed = seedOffset + index;
    files.push({ name: `deklaration-${seed}.xlsx`, bytes: await buildDeclaration({ requirements, seed }), requirements });
  }
  return files;
}

async function describeMachine(pgClient: pg.Client) {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  const redisInfo = await redis.info('server');
  redis.disconnect();
  const postgres = (await pgClient.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  return {
    cores: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGB: Math.round(os.totalmem() / 1e9),
    node: process.version,
    postgres,
    redis: /redis_version:(\S+)/.exec(redisInfo)?.[1] ?? 'unknown',
    loadAverageAtStart: os.loadavg().map((value) => Number(value.toFixed(2))),
  };
}

/**
 * Lists processes that used at least 5% of a core on average since they started, because they
 * take CPU from the measurement. The list includes the benchmark's own processes.
 */
function busyProcesses(): string[] {
  try {
    const output = execFileSync('ps', ['-eo', 'pcpu,comm', '--sort=-pcpu', '--no-headers'], { encoding: 'utf8' });
    return output
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => Number.parseFloat(line) >= 5 && !line.endsWith(' ps'))
      .slice(0, 10);
  } catch {
    return [];
  }
}

/** Compiles src/ first when dist/ is stale, so that the workers run as production runs them and not through tsx. */
function buildIfStale() {
  if (builtIsCurrent()) return;
  log('dist/ is older than src/; compiling it with npm run build');
  execFileSync(process.execPath, [path.join(REPOSITORY_ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (!builtIsCurrent()) throw new Error('npm run build did not leave a current dist/; the workers would run through tsx.');
}

async function main() {
  const started = Date.now();
  buildIfStale();
  const databaseName = uniqueName('avvik_bench');
  const queueName = uniqueName('avvik-bench');
  const url = databaseUrl(databaseName);
  const workDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-bench-'));
  let context: BenchContext | null = null;
  let pgClient: pg.Client | null = null;
  let databaseCreated = false;
  let cleaned = false;

  const cleanUp = async () => {
    if (cleaned) return;
    cleaned = true;
    killAllChildren();
    await pgClient?.end().catch(() => {});
    await context?.database.close().catch(() => {});
    if (databaseCreated) await dropDatabase(databaseName).catch((error) => log(`Dropping ${databaseName} failed: ${error}`));
    await removeQueueKeys(queueName).catch((error) => log(`Removing the queue ${queueName} failed: ${error}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: removing the benchmark database and queue`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  try {
    await createDatabase(databaseName);
    databaseCreated = true;
    context = await openBenchContext(url);
    await applyMigrations(context.database);
    await seedReferenceParties(context.prisma, context.parties);
    pgClient = new pg.Client({ connectionString: url });
    await pgClient.connect();
    const machine = await describeMachine(pgClient);
    const busyAtStart = busyProcesses();
    log(`database ${databaseName}, queue ${queueName}, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);

    log(`generating ${PLAN.warmup + PLAN.timed} typical declarations`);
    const warmup = await generateFiles(PLAN.warmup, 1_000);
    const timed = await generateFiles(PLAN.timed, 2_000);
    const meanRequirements = timed.reduce((sum, file) => sum + file.requirements, 0) / timed.length;

    log('parse only, one core');
    const parseOnly = await measureParseOnly(warmup, timed);
    log(`  ${parseOnly.declarationsPerSecond.toFixed(1)} decl/s`);
    log('exceljs load only, one core');
    const excelJsOnly = await measureExcelJsOnly(warmup, timed);
    log(`  ${excelJsOnly.declarationsPerSecond.toFixed(1)} decl/s`);

    log(`stages of ${PLAN.stageFiles} declarations, one at a time`);
    const stages = await measureStages(context, pgClient, warmup, timed.slice(0, PLAN.stageFiles));

    const endToEnd = [];
    const workerOptions = { context, pgClient, databaseUrl: url, queueName, logDirectory: workDirectory, warmup, timed };
    for (const setup of PLAN.setups) {
      log(`end to end with ${setup.processes} worker process(es) x concurrency ${setup.concurrency}`);
      const result = await measureEndToEnd(workerOptions, setup);
      log(`  ${result.declarationsPerSecond.toFixed(1)} decl/s`);
      endToEnd.push(result);
    }

    log(`stress workbook of ${PLAN.stressRows} rows, each measurement in its own process, ${PLAN.stressRepeats} time(s)`);
    const stress = await measureStress(context, url, workDirectory, PLAN.stressRows, PLAN.stressRepeats);
    log(`stress workbook through one avvik worker process, ${PLAN.stressRepeats} time(s)`);
    const stressFile = { name: path.basename(stress.file), bytes: fs.readFileSync(stress.file), requirements: PLAN.stressRows };
    const workerStress = await measureWorkerStress(workerOptions, stressFile, PLAN.stressRepeats);
    for (const run of workerStress.runs) log(`  ${Math.round(run.peakMB)} MB peak, ${Math.round(run.ms)} ms`);

    const figures: Figures = { endToEnd, parseOnly, excelJsOnly, stages, stress, workerStress };
    const table = buildTable(figures);
    const busyAtEnd = busyProcesses();
    console.log(formatTable(table));
    const report = {
      command: `npm run bench${options.quick ? ' -- --quick' : ''}`,
      date: new Date().toISOString(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      machine: { ...machine, loadAverageAtEnd: os.loadavg().map((value) => Number(value.toFixed(2))) },
      busyProcesses: { atStart: busyAtStart, atEnd: busyAtEnd },
      plan: { ...PLAN, meanRequirements },
      targets: TARGETS,
      table,
      figures,
    };
    const outFile = path.resolve(REPOSITORY_ROOT, options.out);
    fs.writeFileSync(outFile, `${JSON.stringify(report, null, 2)}\n`);
    log(`figures written to ${outFile}; the run took ${report.durationSeconds} s`);
    fs.rmSync(workDirectory, { recursive: true, force: true });
  } catch (error) {
    log(`The benchmark failed. Worker logs and the stress workbook are kept in ${workDirectory}.`);
    throw error;
  } finally {
    await cleanUp();
  }
}

await main();
