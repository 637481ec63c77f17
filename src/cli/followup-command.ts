/** `avvik followup`: overdue deviations per party, as text, JSON or one digest per party. */
import { mkdir } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';
import { parseCalendarDate } from '../followup/calendar.ts';
import { nonexistentDateMessage, todayInSweden } from '../workflow/dates.ts';
import { openAppContext } from './context.ts';
import { parsePath } from './paths.ts';

interface FollowupOptions {
  json?: boolean;
  today?: string;
  digest?: string;
}

/** Parses a --today value; commander reports the message with the option's name. */
export function parseTodayOption(value: string): string {
  try {
    parseCalendarDate(value);
  } catch {
    const problem = nonexistentDateMessage(value);
    throw new InvalidArgumentError(problem ? `It ${problem}.` : 'It must be a calendar date as YYYY-MM-DD, for example 2026-12-07.');
  }
  return value;
}

export function registerFollowupCommand(program: Command): void {
  program
    .command('followup')
    .description('List overdue deviations per party waited on, or write one digest per party.')
    .option('--json', 'print the report as JSON instead of text')
    .option('--today <date>', 'count up to this Swedish date, YYYY-MM-DD, instead of today', parseTodayOption)
    .option('--digest <dir>', 'write <party code>.txt and <party code>.json per party into this folder, created when missing, instead of printing the report', parsePath)
    .addHelpText(
      'after',
      `
Time limits per status and party kind come from AVVIK_FOLLOWUP_FILE (default config/followup.json)
and count Swedish working days; docs/followup.md describes who is waited on in each status.
The report covers every deviation, as the administration sees them. Each digest contains only
what its party may see, with contact details only where that party may read them.

Examples:
  $ npx avvik followup
  $ npx avvik followup --json --today 2026-12-07
  $ npx avvik followup --digest out/digests`,
    )
    .action(async (options: FollowupOptions) => {
      // Loaded here rather than at the top, so that other commands, the worker above all, do not carry them.
      const [{ administrationActor }, { writeDigests }, { formatFollowupReport }, { findOverdue }, { loadFollowupSettings }] = await Promise.all([
        import('../followup/actors.ts'),
        import('../followup/digest.ts'),
        import('../followup/format.ts'),
        import('../followup/overdue.ts'),
        import('../followup/settings.ts'),
      ]);
      if (options.digest !== undefined) await createDigestFolder(options.digest);
      const context = await openAppContext();
      try {
        const settings = loadFollowupSettings(context.config.AVVIK_FOLLOWUP_FILE);
        const today = options.today ?? todayInSweden();
        const prisma = context.database.prisma;
        if (options.digest !== undefined) {
          const written = await writeDigests(prisma, settings, today, options.digest);
          if (options.json) {
            console.log(JSON.stringify({ today, digests: written }, null, 2));
          } else if (written.length === 0) {
            console.log(`No overdue deviations on ${today}; no digests written.`);
          } else {
            for (const digest of written) console.log(`${digest.party.code}: ${digest.count} overdue, ${digest.textFile} and ${digest.jsonFile}`);
          }
          return;
        }
        const report = await findOverdue(prisma, await administrationActor(prisma), settings, today);
        console.log(options.json ? JSON.stringify(report, null, 2) : formatFollowupReport(report));
      } finally {
        await context.close();
      }
    });
}

/** Creates the --digest folder before anything is read, with a message naming the path when a file is in the way. */
async function createDigestFolder(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`--digest ${folder} is a file, but a folder is expected. Give a folder, which is created when missing.`);
    if (code === 'ENOTDIR') throw new Error(`--digest ${folder} cannot be created, because part of that path is a file. Give a folder, which is created when missing.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new Error(`--digest ${folder} cannot be created, because its parent folder does not allow writing (${code}). Give another folder.`);
    }
    throw error;
  }
}
