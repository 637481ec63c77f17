import { Command, InvalidArgumentError, Option } from 'commander';
import { config, ConfigError } from '../config.ts';
import { openAppContext } from './context.ts';
import { registerSuppliersCommand } from './suppliers-command.ts';
import { MAX_USER_NAME_LENGTH, ROLES, type Role } from '../workflow/actor.ts';
import { registerFollowupCommand } from './followup-command.ts';
import { registerExportCommand } from './export-command.ts';
import { registerRulesCommand } from './rules-command.ts';
import { registerReprocessCommand } from './reprocess-command.ts';
import { parsePath, parsePaths } from './paths.ts';

function parsePositiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('It must be a whole number of at least 1.');
  return number;
}

const program = new Command()
  .name('avvik')
  .description('Turns completed SSBTEK self-declarations into deviations with proposed owners.')
  .addHelpText(
    'after',
    `
Environment:
  DATABASE_URL                 PostgreSQL URL; without it an embedded database in AVVIK_DATA_DIR/pglite is used
  REDIS_URL                    Redis URL for the BullMQ queue; without it files are processed in-process
  AVVIK_DATA_DIR               folder of the embedded database (default .avvik-data)
  AVVIK_QUEUE                  queue name (default avvik-declarations)
  AVVIK_WORKER_CONCURRENCY     jobs per worker process (default 2)
  AVVIK_MAX_FILE_BYTES         largest declaration file accepted, in bytes (default 26214400, 25 MiB)
  AVVIK_JOB_ATTEMPTS           attempts for failures outside the file, such as the database being away (default 5)
  AVVIK_RETRY_DELAY_MS         first retry delay in milliseconds; it doubles with each attempt (default 2000)
  AVVIK_LOCK_DURATION_MS       job lock in milliseconds; a dead worker's job is taken over after it (default 30000)
  AVVIK_RULES_FILE             rule set that proposes owners (default rules/ownership.json)
  AVVIK_PARTIES_FILE           reference parties and base services (default data/parties.json)
  AVVIK_FOLLOWUP_FILE          follow-up time limits in working days (default config/followup.json)
  AVVIK_LOG_LEVEL              fatal, error, warn, info, debug, trace or silent (default info)
  AVVIK_RATE_LIMIT_PER_MINUTE  requests per minute per API token to /api, per avvik serve process (default 1200)
  AVVIK_FROM_SOURCE            1 runs the TypeScript sources through tsx even when the compiled dist/ is current

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
      const applied = context.appliedMigrations;
      const state = applied.length === 0 ? 'was up to date' : `got ${applied.length} migrations (${applied.join(', ')})`;
      console.log(`Database ${context.database.location} ${state}; ${parties} parties stored.`);
    } finally {
      await context.close();
    }
  });

program
  .command('ingest')
  .description('Store declaration files (.xlsx or .pdf), process them and print their deviations.')
  .argument('<files...>', 'declaration files; the format is read from the content, not the name', parsePaths)
  .option('--json', 'print one JSON array with an element per file')
  .option('--retry-failed', 'process again files stored before whose processing failed, e.g. after raising AVVIK_MAX_FILE_BYTES')
  .addHelpText(
    'after',
    `
Exits with status 1 when any file failed. Ingesting the same file again creates nothing new;
it prints the stored result. Ctrl-C stops waiting; stored files stay queued for a worker.

Examples:
  $ npx avvik ingest fixtures/cover-sheet.xlsx
  $ REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik ingest --json a.xlsx b.pdf`,
  )
  .action(async (files: string[], options: { json?: boolean; retryFailed?: boolean }) => {
    const { ingestFiles } = await import('./ingest-command.ts');
    const { formatDeclarationResult } = await import('./format.ts');
    const context = await openAppContext();
    process.once('SIGINT', () => {
      console.error('Stopped. Stored files stay queued: a worker processes them, or ingest them again to wait for them.');
      process.exit(130);
    });
    try {
      const results = await ingestFiles(context, files, { retryFailed: options.retryFailed ?? false });
      if (options.json) console.log(JSON.stringify(results, null, 2));
      else console.log(results.map(formatDeclarationResult).join('\n\n'));
      if (results.some((result) => result.status === 'failed')) process.exitCode = 1;
    } finally {
      await context.close();
    }
  });

program
  .command('import')
  .description('Store and process every declaration file under a folder, with progress and a summary of failures.')
  .argument('<folder>', 'folder searched recursively for .xlsx, .xlsm, .xls and .pdf files', parsePath)
  .option('--json', 'print the summary as JSON instead of text')
  .addHelpText(
    'after',
    `
Stop it with Ctrl-C and run it again: no file is stored or processed twice. A file whose content
was stored and parsed before, by an earlier run or an earlier file, counts as a duplicate. A file
whose stored declaration failed counts as failed, with its error, in every run. A declaration still
queued or being processed is waited for and counted when it ends. Symbolic links to files are
followed; links to folders are counted as ignored. Files whose name starts with ~$ (Excel's lock
files) or with a dot, and files in folders whose name starts with a dot, are counted as skipped and
not stored. With REDIS_URL, \`avvik worker\` processes the files, and the import logs a warning
when no worker listens. Exits with status 1 when any file failed or the run was stopped.

Example:
  $ REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik import /srv/declarations/2016-2026`,
  )
  .action(async (folder: string, options: { json?: boolean }) => {
    const { checkImportFolder, formatImportProgress, formatImportSummary, importFolder } = await import('./import-command.ts');
    await checkImportFolder(folder);
    const { createProgressReporter } = await import('./progress.ts');
    // Log lines go through the progress reporter, so that on a terminal each starts on a line of
    // its own instead of running on from the progress line.
    const progress = createProgressReporter();
    const context = await openAppContext(config(), { logDestination: progress });
    let stopRequested = false;
    process.on('SIGINT', () => {
      if (stopRequested) process.exit(130);
      stopRequested = true;
      progress.write('Stopping after the current file; press Ctrl-C again to stop at once.\n');
    });
    try {
      const summary = await importFolder(context, folder, {
        onProgress: (counts) => progress.update(formatImportProgress(counts)),
        shouldStop: () => stopRequested,
      });
      progress.end();
      if (options.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(formatImportSummary(folder, summary));
      if (summary.failed > 0 || summary.interrupted) process.exitCode = 1;
    } finally {
      await context.close();
    }
  });

registerSuppliersCommand(program);

program
  .command('parse')
  .description('Parse declaration files and print what was read, without storing anything.')
  .argument('<files...>', 'declaration files (.xlsx or .pdf)', parsePaths)
  .option('--json', 'print one JSON array with the counts and parse report of each file')
  .addHelpText('after', '\nExits with status 1 when any file failed.\n\nExample:\n  $ npx avvik parse fixtures/merged-areas.xlsx')
  .action(async (files: string[], options: { json?: boolean }) => {
    const { formatParseSummary, parseFiles } = await import('./parse-command.ts');
    const summaries = await parseFiles(files, config().AVVIK_MAX_FILE_BYTES);
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
    const { runWorker } = await import('./worker-command.ts');
    await runWorker(options.concurrency);
  });

function parsePort(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > 65535) throw new InvalidArgumentError('It must be a port number from 1 to 65535.');
  return number;
}

program
  .command('serve')
  .description('Serve the HTTP API until stopped with Ctrl-C or SIGTERM.')
  .option('-p, --port <n>', 'TCP port to listen on', parsePort, 3000)
  .option('--host <address>', 'address to listen on; 0.0.0.0 for every interface', '127.0.0.1')
  .option('--with-worker', 'also process queued declarations in this process (needs REDIS_URL)')
  .addHelpText(
    'after',
    `
Without REDIS_URL, uploaded declarations are processed in the server process. With REDIS_URL they
are queued for \`avvik worker\` processes, or for this process with --with-worker.
The OpenAPI document is at /api/openapi.json; docs/api.md describes every endpoint.

Examples:
  $ npx avvik serve --port 8080
  $ REDIS_URL=redis://127.0.0.1:6379 DATABASE_URL=postgresql://postgres@127.0.0.1:5432/avvik npx avvik serve --with-worker`,
  )
  .action(async (options: { port: number; host: string; withWorker?: boolean }) => {
    const { runServe } = await import('./serve-command.ts');
    await runServe({ port: options.port, host: options.host, withWorker: options.withWorker ?? false });
  });

const users = program.command('users').description('Manage the users who sign in to the HTTP API with a token.');
users
  .command('create')
  .description('Create a user and print its API token once; only the token\'s SHA-256 is stored.')
  .requiredOption('--name <name>', `name of the person or system, at most ${MAX_USER_NAME_LENGTH} characters`)
  .addOption(new Option('--role <role>', 'what the user may see and do').choices([...ROLES]).makeOptionMandatory())
  .option('--party <code>', 'party code: a supplier (ORG-…) for role supplier, FK, CSN, SKV, AF, PM, AKASSA or TS for data-provider')
  .option('--system <id>', 'business system id, for role municipality')
  .option('--municipality <name>', 'municipality name as declarations state it, for role municipality')
  .option('--json', 'print the user and token as JSON')
  .addHelpText(
    'after',
    `
Examples:
  $ npx avvik users create --name "Förvaltningen" --role administration
  $ npx avvik users create --name "Alfa System AB" --role supplier --party ORG-5560000001
  $ npx avvik users create --name "Norrby socialtjänst" --role municipality --system 0f9c… --municipality "Norrby kommun"`,
  )
  .action(async (options: { name: string; role: Role; party?: string; system?: string; municipality?: string; json?: boolean }) => {
    const { json, ...request } = options;
    const { createUserCommand } = await import('./users-command.ts');
    await createUserCommand(request, json ?? false);
  });
users
  .command('revoke')
  .description('Revoke a user\'s token; requests with it are answered 401 from then on.')
  .argument('<id>', 'user id, as `avvik users list` prints it')
  .addHelpText('after', '\nExample:\n  $ npx avvik users revoke 3b1f0c9e-…')
  .action(async (id: string) => {
    const { revokeUserCommand } = await import('./users-command.ts');
    await revokeUserCommand(id);
  });
users
  .command('list')
  .description('List the users, with their role, party or system, and whether their token is revoked.')
  .option('--json', 'print one JSON array')
  .addHelpText('after', '\nExample:\n  $ npx avvik users list')
  .action(async (options: { json?: boolean }) => {
    const { listUsersCommand } = await import('./users-command.ts');
    await listUsersCommand(options.json ?? false);
  });

registerFollowupCommand(program);
registerExportCommand(program);
registerRulesCommand(program);
registerReprocessCommand(program);
pointToHelpAfterErrors(program);

/** The command whose action runs, so that a usage error its action raises can point to its help. */
let actionCommand: Command | undefined;
program.hook('preAction', (_program, command) => {
  actionCommand = command;
});

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = 2;
  } else if (error instanceof InvalidArgumentError && actionCommand) {
    // Commander prints the values that its option parsers reject itself, with the line that
    // pointToHelpAfterErrors sets. These come from an action's own checks, such as the one in
    // `avvik reprocess` that exactly one selector is given.
    console.error(`avvik: ${error.message}`);
    console.error(helpPointer(actionCommand));
    process.exitCode = 1;
  } else {
    console.error(error instanceof Error ? `avvik: ${error.message}` : error);
    process.exitCode = 1;
  }
}

/**
 * Makes commander print one line that names `avvik COMMAND --help` after a usage error, such as an
 * invalid option value, in place of the whole help, which would push the error off the screen.
 */
function pointToHelpAfterErrors(command: Command): void {
  command.showHelpAfterError(helpPointer(command));
  for (const subcommand of command.commands) pointToHelpAfterErrors(subcommand);
}

function helpPointer(command: Command): string {
  let contents = 'options';
  if (command.commands.length > 0) contents = 'commands';
  else if (command.registeredArguments.length > 0) contents = 'arguments and options';
  return `Run \`${commandPath(command)} --help\` to list its ${contents}.`;
}

function commandPath(command: Command): string {
  return command.parent ? `${commandPath(command.parent)} ${command.name()}` : command.name();
}

// Prisma's WebAssembly schema engine leaves a ten-second timer behind after migrating, which
// would keep the process alive after the command is done. Output to a pipe can still be queued
// when the command ends: a pipe takes 64 KiB at a time, so `avvik ingest --json ... | jq` lost
// all but the first 128 KiB of a large result. An empty write calls back once everything
// written before it is out, so the process exits only then.
const flushed = (stream: NodeJS.WriteStream) => new Promise<void>((resolve) => stream.write('', () => resolve()));
await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
process.exit(process.exitCode ?? 0);
