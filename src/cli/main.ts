import { Command, InvalidArgumentError } from 'commander';
import { ConfigError } from '../config.ts';
import { formatDeclarationResult } from './format.ts';
import { openAppContext } from './context.ts';
import { ingestFiles } from './ingest-command.ts';
import { formatParseSummary, parseFiles } from './parse-command.ts';
import { runWorker } from './worker-command.ts';

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('must be a whole number of at least 1.');
  return number;
}

const program = new Command()
  .name('avvik')
  .description('Turns completed SSBTEK self-declarations into deviations with proposed owners.')
  .showHelpAfterError()
  .addHelpText(
    'after',
    `
Environment:
  DATABASE_URL              PostgreSQL URL; without it an embedded database in AVVIK_DATA_DIR/pglite is used
  REDIS_URL                 Redis URL for the BullMQ queue; without it files are processed in-process
  AVVIK_DATA_DIR            folder of the embedded database (default .avvik-data)
  AVVIK_QUEUE               queue name (default avvik-declarations)
  AVVIK_WORKER_CONCURRENCY  jobs per worker process (default 2)
  AVVIK_MAX_FILE_BYTES      largest declaration file accepted, in bytes (default 26214400, 25 MiB)
  AVVIK_LOG_LEVEL           fatal, error, warn, info, debug, trace or silent (default info)

Example:
  $ npx avvik ingest fixtures/cover-sheet.xlsx`,
  );

const db = program.command('db').description('Manage the database.');
db.command('migrate')
  .description('Apply pending migrations and load the reference parties from data/parties.json.')
  .addHelpText('after', '\nExample:\n  $ DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik db migrate')
  .action(async () => {
    const context = await openAppContext();
    try {
      const parties = await context.database.prisma.party.count();
      console.log(`Database ${context.database.location} is up to date; ${parties} parties stored.`);
    } finally {
      await context.close();
    }
  });

program
  .command('ingest')
  .description('Store declaration files (.xlsx or .pdf), process them and print their deviations.')
  .argument('<files...>', 'declaration files; the format is read from the content, not the name')
  .option('--json', 'print one JSON array with an element per file')
  .addHelpText(
    'after',
    `
Exits with status 1 when any file failed. Ingesting the same file again creates nothing new.

Examples:
  $ npx avvik ingest fixtures/cover-sheet.xlsx
  $ REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik ingest --json a.xlsx b.pdf`,
  )
  .action(async (files: string[], options: { json?: boolean }) => {
    const context = await openAppContext();
    try {
      const results = await ingestFiles(context, files);
      if (options.json) console.log(JSON.stringify(results, null, 2));
      else console.log(results.map(formatDeclarationResult).join('\n\n'));
      if (results.some((result) => result.status === 'failed')) process.exitCode = 1;
    } finally {
      await context.close();
    }
  });

program
  .command('parse')
  .description('Parse declaration files and print what was read, without storing anything.')
  .argument('<files...>', 'declaration files (.xlsx or .pdf)')
  .option('--json', 'print one JSON array with the counts and parse report of each file')
  .addHelpText('after', '\nExits with status 1 when any file failed.\n\nExample:\n  $ npx avvik parse fixtures/merged-areas.xlsx')
  .action(async (files: string[], options: { json?: boolean }) => {
    const summaries = await parseFiles(files);
    if (options.json) console.log(JSON.stringify(summaries, null, 2));
    else console.log(summaries.map(formatParseSummary).join('\n\n'));
    if (summaries.some((summary) => summary.status === 'failed')) process.exitCode = 1;
  });

program
  .command('worker')
  .description('Process queued declarations until stopped with Ctrl-C or SIGTERM.')
  .option('-c, --concurrency <n>', 'declarations processed at once (default AVVIK_WORKER_CONCURRENCY)', parsePositiveInteger)
  .addHelpText(
    'after',
    '\nNeeds REDIS_URL and DATABASE_URL.\n\nExample:\n  $ REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik worker --concurrency 4',
  )
  .action(async (options: { concurrency?: number }) => {
    await runWorker(options.concurrency);
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else {
    console.error(error instanceof Error ? `avvik: ${error.message}` : error);
    process.exitCode = 1;
  }
}

// Prisma's WebAssembly schema engine leaves a ten-second timer behind after migrating, which
// would keep the process alive after the command is done. The logger writes synchronously, and
// Node writes stdout to files and pipes synchronously on Linux, so exiting here loses no output.
process.exit(process.exitCode ?? 0);
