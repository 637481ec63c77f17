/**
 * Measures the peak memory (maximum resident set size) of `avvik followup --digest` and
 * `avvik followup --json` on generated overdue deviations. Creates its own PostgreSQL database,
 * fills it with SQL, runs each command under `/usr/bin/time -v`, and drops the database at the
 * end, also when a step fails.
 *
 * Usage: npx tsx scripts/followup-memory.ts [--count N] [--skip-report]
 */

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { builtIsCurrent } from '../bin/built.js';
import { openDatabase } from '../src/db/client.ts';
import { applyMigrations } from '../src/db/migrate.ts';
import { seedReferenceParties } from '../src/db/seed.ts';
import { loadParties } from '../src/rules/parties.ts';
import { REPOSITORY_ROOT } from './bench/children.ts';
import { createDatabase, databaseUrl, dropDatabase, uniqueName } from './bench/services.ts';

/** Friday 8 January 2027: every generated deviation is overdue on it under config/followup.json. */
const TODAY = '2027-01-08';
const SUPPLIERS = 20;

/** True when this file is run as a script rather than imported, as the follow-up tests import it. */
const runAsScript = path.resolve(process.argv[1] ?? '') === import.meta.filename;

/**
 * Fills the database at `url` with `total` overdue deviations and their history. Half are new and
 * a tenth fixed, so they wait on the administration. A fifth are in dialogue with one of 20
 * suppliers, and the first supplier owns half of those. A tenth are will-fix for FK or CSN with a
 * passed due date, and a tenth are in dialogue with DRIFT. A tenth more are postponed or closed,
 * which the follow-up leaves out.
 */
export async function generateOverdueDeviations(url: string, total: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await insertDeviations(client, total);
  } finally {
    await client.end();
  }
}

async function insertDeviations(client: pg.Client, total: number): Promise<void> {
  await client.query(`
    INSERT INTO "Party" (id, code, kind, name, "organisationNumber")
    SELECT gen_random_uuid(), 'ORG-55600009' || lpad(n::text, 2, '0'), 'supplier', 'Leverantör ' || n || ' AB', '556000-09' || lpad(n::text, 2, '0')
    FROM generate_series(1, ${SUPPLIERS}) AS n`);
  await client.query(`
    INSERT INTO "BusinessSystem" (id, name, "supplierId")
    SELECT gen_random_uuid(), 'System ' || p.name, p.id FROM "Party" p WHERE p.code LIKE 'ORG-55600009%'`);
  await client.query(`
    CREATE TEMP TABLE generated AS
    SELECT n,
      gen_random_uuid() AS id,
      CASE
        WHEN n > ${total} THEN CASE WHEN n % 2 = 0 THEN 'postponed' ELSE 'closed' END
        WHEN n % 10 < 5 THEN 'new'
        WHEN n % 10 = 5 THEN 'fixed'
        WHEN n % 10 < 8 THEN 'in_dialogue'
        WHEN n % 10 = 8 THEN 'will_fix'
        ELSE 'in_dialogue'
      END::"DeviationStatus" AS status,
      CASE
        WHEN n > ${total} THEN NULL
        WHEN n % 10 IN (6, 7) THEN 'business_system'
        WHEN n % 10 = 8 THEN 'base_service'
        WHEN n % 10 = 9 THEN 'ssbtek'
      END::"Area" AS area,
      CASE
        WHEN n > ${total} THEN NULL
        WHEN n % 10 IN (6, 7) THEN 'ORG-55600009' || lpad((CASE WHEN n % 10 = 6 THEN 1 ELSE 1 + (n / 10) % ${SUPPLIERS} END)::text, 2, '0')
        WHEN n % 10 = 8 THEN CASE WHEN n % 20 = 8 THEN 'FK' ELSE 'CSN' END
        WHEN n % 10 = 9 THEN 'DRIFT'
      END AS owner,
      'ORG-55600009' || lpad((1 + n % ${SUPPLIERS})::text, 2, '0') AS supplier,
      timestamp '2026-01-05 09:00' + (n % 300) * interval '1 day' + (n % 480) * interval '1 minute' AS created
    FROM generate_series(1, ${total + Math.floor(total / 10)}) AS n`);
  await client.query(`
    INSERT INTO "Deviation" (id, "businessSystemId", "supplierCode", municipality, "requirementId", status, title,
      "contactName", "contactPhone", "contactEmail", "proposedArea", "proposedPartyKind", "proposalEvidence",
      "proposalConfidence", "proposalCandidates", "ruleSetVersion", "ownerArea", "ownerPartyCode", "ownerSetAt",
      "dueDate", "createdAt", "updatedAt")
    SELECT g.id, s.id, g.supplier, 'Kommun ' || (g.n % 290), 'K' || (g.n % 300), g.status,
      'Avvikelse ' || g.n || ': kravet på loggning av uppslag är inte uppfyllt i verksamhetssystemet',
      'Kontakt ' || g.n, '070-' || lpad((g.n % 10000000)::text, 7, '0'), 'kontakt' || g.n || '@example.se',
      'unassigned', 'administration', '[]', 0, '[]', 'memory',
      g.area, g.owner, CASE WHEN g.owner IS NULL THEN NULL ELSE g.created + interval '1 day' END,
      CASE WHEN g.status = 'will_fix' THEN (g.created + interval '60 days')::date END,
      g.created, g.created
    FROM generated g
    JOIN "Party" p ON p.code = g.supplier
    JOIN "BusinessSystem" s ON s."supplierId" = p.id`);
  await client.query(`
    INSERT INTO "DeviationEvent" ("deviationId", at, actor, type, "toValue")
    SELECT id, created, 'system', 'created', '{"status":"new"}' FROM generated
    UNION ALL
    SELECT id, created + interval '1 day', 'system', 'owner-assigned', jsonb_build_object('partyCode', owner) FROM generated WHERE owner IS NOT NULL
    UNION ALL
    SELECT id, created + interval '10 days', 'system', 'status-changed', jsonb_build_object('status', replace(status::text, '_', '-'))
    FROM generated WHERE status <> 'new'`);
  await client.query('ANALYZE');
}

interface Measurement {
  command: string;
  maxResidentKb: number;
  elapsed: string;
}

/** Runs `avvik ARGS` under /usr/bin/time -v with stdout to /dev/null and reads its peak memory and wall-clock time. */
function measure(url: string, args: string[]): Measurement {
  const environment: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, AVVIK_LOG_LEVEL: 'warn' };
  delete environment.REDIS_URL;
  delete environment.AVVIK_FOLLOWUP_FILE;
  const result = spawnSync('/usr/bin/time', ['-v', process.execPath, path.join(REPOSITORY_ROOT, 'bin', 'avvik.js'), ...args], {
    cwd: REPOSITORY_ROOT,
    env: environment,
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const command = `avvik ${args.join(' ')}`;
  if (result.status !== 0) throw new Error(`${command} failed with status ${result.status}:\n${result.stderr.slice(-4000)}`);
  const maxResidentKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1]);
  const elapsed = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(result.stderr)?.[1] ?? '?';
  return { command, maxResidentKb, elapsed };
}

/** Parses the options, generates the data set, measures both commands and drops the database. */
async function main(): Promise<void> {
  const { values: options } = parseArgs({
    options: {
      count: { type: 'string', default: '200000' },
      'skip-report': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (options.help) {
    console.log(`Usage: npx tsx scripts/followup-memory.ts [--count N] [--skip-report]

  --count N       overdue deviations to generate (default 200000); a tenth more that are not overdue are added
  --skip-report   measure only --digest, not the --json report`);
    process.exit(0);
  }
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 100) throw new Error(`--count ${options.count} is invalid. Give a whole number of at least 100.`);
  const name = uniqueName('avvik_followup_memory');
  const url = databaseUrl(name);
  const digestFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'avvik-followup-memory-'));
  await createDatabase(name);
  try {
    const database = await openDatabase({ databaseUrl: url, dataDir: '' });
    try {
      await applyMigrations(database);
      await seedReferenceParties(database.prisma, loadParties());
    } finally {
      await database.close();
    }
    const started = Date.now();
    await generateOverdueDeviations(url, count);
    console.log(`Generated ${count} overdue deviations in ${((Date.now() - started) / 1000).toFixed(0)} s.`);

    console.log(`Runs ${builtIsCurrent() ? 'the compiled dist/' : 'the sources through tsx'}, on Node.js ${process.version}.`);
    const runs = [measure(url, ['followup', '--digest', digestFolder, '--today', TODAY])];
    if (!options['skip-report']) runs.push(measure(url, ['followup', '--json', '--today', TODAY]));
    const digested = fs
      .readdirSync(digestFolder)
      .filter((file) => file.endsWith('.json'))
      .reduce((sum, file) => sum + (JSON.parse(fs.readFileSync(path.join(digestFolder, file), 'utf8')) as { total: number }).total, 0);
    console.log(`The digests list ${digested} overdue deviations.`);
    for (const run of runs) console.log(`${run.command}: maximum resident set ${(run.maxResidentKb / 1024).toFixed(0)} MB, ${run.elapsed} wall clock`);
  } finally {
    await dropDatabase(name);
    fs.rmSync(digestFolder, { recursive: true, force: true });
  }
}

if (runAsScript) await main();
