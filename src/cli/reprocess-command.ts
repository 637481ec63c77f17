/** `avvik reprocess`: re-reads stored declarations with the current parser and rule set. */
import { InvalidArgumentError, type Command } from 'commander';
import { otherCaseHint, storedCodeInOtherCase } from '../api/party-filter.ts';
import type { PrismaClient } from '../generated/prisma/client.ts';
import type { ReprocessSelector } from '../reprocess/reprocess.ts';
import { nonexistentDateMessage, todayInSweden } from '../workflow/dates.ts';
import { openAppContext } from './context.ts';

interface ReprocessOptions {
  all?: boolean;
  since?: Date;
  supplier?: string;
  system?: string;
  declaration?: string;
  dryRun?: boolean;
  json?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerReprocessCommand(program: Command): void {
  program
    .command('reprocess')
    .description('Read stored declarations again with the current parser and rule set, keeping every decision a person made.')
    .option('--all', 'every stored declaration, whatever its status')
    .option('--since <date>', 'declarations received on or after this date (YYYY-MM-DD, Swedish time) or ISO 8601 time', parseSince)
    .option('--supplier <code>', "declarations of this supplier's party code, e.g. ORG-5560000001; `avvik suppliers list` lists them")
    .option('--system <id>', 'declarations of this business system id; `avvik suppliers list` lists them', uuidParser('as `avvik suppliers list` prints it'))
    .option(
      '--declaration <id>',
      'one declaration id; `avvik ingest FILE` prints the id of a stored file without storing it again',
      uuidParser('as `avvik ingest FILE` prints it for a stored file, without storing the file again, and GET /api/declarations lists it'),
    )
    .option('--dry-run', 'print what would change per declaration and write nothing')
    .option('--json', 'print the summary and every declaration\'s changes as JSON')
    .addHelpText(
      'after',
      `
Give exactly one of --all, --since, --supplier, --system and --declaration. Each declaration is
stored in one transaction. Proposals and texts that the system set are updated, with a history
event per change; owners, statuses, comments and material that a person set are kept. Running the
command twice changes nothing the second time, so a stopped run is continued by running it again.
A progress line is written to stderr.

Exit status: 0 when no declaration newly failed, 1 when one did or the run was stopped. A
declaration newly fails when its stored status is not failed, e.g. a parsed one that the current
parser cannot read: it keeps what was stored and fails again on every run until the parser reads
it. Declarations stored as failed that still fail are counted apart as "stored as failed before"
and leave the status at 0. An unknown supplier code, system id or declaration id is an error
(status 1) that names it. A supplier code in the wrong letter case, such as org-5560000001, is
an error that names the stored code.

Examples:
  $ npx avvik reprocess --all --dry-run
  $ AVVIK_RULES_FILE=rules/ownership-next.json npx avvik reprocess --since 2026-01-01
  $ npx avvik reprocess --supplier ORG-5560000001 --json`,
    )
    .action(async (options: ReprocessOptions) => {
      const selector = selectorOf(options);
      const context = await openAppContext();
      let stopRequested = false;
      process.on('SIGINT', () => {
        if (stopRequested) process.exit(130);
        stopRequested = true;
        console.error('\nStopping after the current declaration; press Ctrl-C again to stop at once.');
      });
      const [{ formatReprocessProgress, formatReprocessSummary }, { reprocessDeclarations }, { createProgressReporter }] = await Promise.all([
        import('../reprocess/format.ts'),
        import('../reprocess/reprocess.ts'),
        import('./progress.ts'),
      ]);
      const progress = createProgressReporter();
      try {
        if ('supplierCode' in selector) await checkSupplierCodeCase(context.database.prisma, selector.supplierCode);
        const summary = await reprocessDeclarations(
          { ...context, prisma: context.database.prisma, maxBytes: context.config.AVVIK_MAX_FILE_BYTES },
          selector,
          {
            dryRun: options.dryRun ?? false,
            onProgress: (counts) => progress.update(formatReprocessProgress(counts)),
            shouldStop: () => stopRequested,
          },
        );
        progress.end();
        console.log(options.json ? JSON.stringify(summary, null, 2) : formatReprocessSummary(summary));
        if (summary.newlyFailed > 0 || summary.interrupted) process.exitCode = 1;
      } finally {
        await context.close();
      }
    });
}

/** Turns the options into a selector; raises InvalidArgumentError unless exactly one selector is given. */
export function selectorOf(options: ReprocessOptions): ReprocessSelector {
  const selectors: ReprocessSelector[] = [];
  if (options.all) selectors.push({ all: true });
  if (options.since) selectors.push({ since: options.since });
  if (options.supplier) selectors.push({ supplierCode: options.supplier });
  if (options.system) selectors.push({ businessSystemId: options.system });
  if (options.declaration) selectors.push({ declarationId: options.declaration });
  if (selectors.length !== 1) {
    throw new InvalidArgumentError(
      `Give exactly one of --all, --since, --supplier, --system and --declaration (${selectors.length} given).`,
    );
  }
  return selectors[0]!;
}

/**
 * Raises an error naming the stored supplier code when `code` matches none exactly but one
 * ignoring case, because party codes are compared exactly. reprocessDeclarations rejects the other unknown codes.
 */
async function checkSupplierCodeCase(prisma: PrismaClient, code: string): Promise<void> {
  const exact = await prisma.party.findUnique({ where: { code }, select: { code: true } });
  if (exact) return;
  const sameLetters = await storedCodeInOtherCase(prisma, code, { kind: 'supplier' });
  if (sameLetters) throw new Error(`No supplier has the code ${code}. ${otherCaseHint(sameLetters)}`);
}

/** Builds an option parser that accepts a UUID. `whereToFind` completes the message with where the caller finds the id. */
export function uuidParser(whereToFind: string) {
  return (value: string): string => {
    if (!UUID.test(value)) throw new InvalidArgumentError(`It must be a UUID such as 3b1f0c9e-0d4a-4c1e-9b7f-2a6d8e5c4b31, ${whereToFind}.`);
    return value;
  };
}

/** Reads YYYY-MM-DD as the start of that day in Sweden, or a full ISO 8601 time as given. */
export function parseSince(value: string): Date {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = startOfSwedishDay(value);
    if (start) return start;
    const problem = nonexistentDateMessage(value);
    if (problem) throw new InvalidArgumentError(`It ${problem}.`);
  } else if (/^\d{4}-\d{2}-\d{2}T/.test(value)) {
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time;
  }
  throw new InvalidArgumentError('It must be a date as YYYY-MM-DD or an ISO 8601 time such as 2026-01-01T08:00:00Z.');
}

/** Finds midnight in Europe/Stockholm, which is one (CET) or two (CEST) hours ahead of UTC. */
function startOfSwedishDay(date: string): Date | null {
  const utcMidnight = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== date) return null;
  for (const hours of [2, 1]) {
    const candidate = new Date(utcMidnight - hours * 3_600_000);
    if (todayInSweden(candidate) === date && todayInSweden(new Date(candidate.getTime() - 1)) !== date) return candidate;
  }
  return null;
}
