/** `avvik export`: deviations as CSV or XLSX, as the administration or as one user sees them. */
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { areaSchema } from '../api/schemas.ts';
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.ts';
import { filterQuerySchema, type DeviationFilterQuery, type FilterKey } from '../export/filters.ts';
import { todayInSweden } from '../workflow/dates.ts';
import { DEVIATION_STATUSES } from '../workflow/state-machine.ts';
import { openAppContext } from './context.ts';
import { parsePath } from './paths.ts';

interface ExportOptions extends Omit<DeviationFilterQuery, 'q'> {
  format: ExportFormat;
  out: string;
  asUser?: string;
  search?: string;
}

/**
 * Builds an option parser that validates a value with the schema of the API's filter parameter
 * `key`. `expected` replaces the schema's message where that one would read badly here.
 */
function filterParser<Key extends Exclude<FilterKey, 'overdue'>>(key: Key, expected?: string) {
  const schema = filterQuerySchema.shape[key];
  return (value: string): DeviationFilterQuery[Key] => {
    const result = schema.safeParse(value);
    if (result.success) return result.data as DeviationFilterQuery[Key];
    throw new InvalidArgumentError(expected ?? `It ${result.error.issues[0]!.message}.`);
  };
}

export function registerExportCommand(program: Command): void {
  const command = program
    .command('export')
    .description('Write deviations to a CSV or XLSX file, with the same visibility rules as the HTTP API.')
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'file to write; it is replaced only when the export succeeds', parsePath)
    .option('--as-user <id>', 'export only what this API user may see, with its contact-detail rules (default: the administration, which sees all)')
    .option(
      '--status <list>',
      `only these statuses, separated by commas: ${DEVIATION_STATUSES.join(', ')}`,
      filterParser('status', `It must be one or more statuses separated by commas: ${DEVIATION_STATUSES.join(', ')}.`),
    )
    .option('--area <area>', `only this owner's area, or proposed area while no owner is set: ${areaSchema.options.join(', ')}`, filterParser('area'))
    .option(
      '--party <code>',
      'only deviations whose owner, or proposed owner while none is set, has this party code, such as FK; a code that no party has stops the export',
      filterParser('party'),
    )
    .option('--declaration <id>', 'only deviations that this declaration reported, first or again', filterParser('declaration'))
    .option('--system <id>', 'only deviations of this business system', filterParser('system'))
    .option('--municipality <name>', 'only deviations of this municipality, compared ignoring case', filterParser('municipality'))
    .option('--overdue', 'only deviations whose due date has passed and whose status is neither fixed nor closed')
    .option('--no-overdue', 'only deviations that are not overdue')
    .option(
      '--search <text>',
      'only deviations whose title, reproduction (the steps, or the reason the requirement cannot be met) or requirement id contains this text, ignoring case; contact details that --as-user may not read are masked before matching',
      filterParser('q'),
    )
    .addHelpText(
      'after',
      `
The filters are those of GET /api/deviations/export, with the same values and meaning:
--search is its q, and --overdue and --no-overdue are its overdue=true and overdue=false. With
--as-user, the file has exactly the rows that user's API export has. A search checks at most
10,000 deviations whose contact details are hidden from that user, counted after the other
filters. Beyond that the command stops with status 1 and leaves --out as it was. Narrow the
search with other filters, or leave out --as-user, because the administration has no such limit.

Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) is written with a leading apostrophe. Rows are read and written in pages, so the file
can hold any number of deviations.

Examples:
  $ npx avvik export --format csv --out deviations.csv
  $ npx avvik export --format xlsx --out fk.xlsx --as-user 3b1f0c9e-4d2a-4c1e-9a51-0f6b2f1d7e21 --status new,in-dialogue
  $ npx avvik export --format csv --out norrby.csv --area business-system --municipality "Norrby kommun" --overdue
  $ npx avvik export --format csv --out alfa.csv --declaration 0f9c2d1e-5b7a-4e3f-8c6d-1a2b3c4d5e6f --search "e-legitimation"`,
    )
    .action(async (options: ExportOptions) => {
      // Loaded here rather than at the top, so that other commands, the worker above all, do not carry them.
      const [{ exportDeviations }, { administrationActor, userActor }] = await Promise.all([import('../export/export.ts'), import('../followup/actors.ts')]);
      const partial = `${options.out}.partial`;
      const file = await openPartialFile(options.out, partial, options.format);
      const output = file.createWriteStream();
      // exportDeviations rejects with a write error when it next waits for the stream. Without a listener, the error event would end the process first.
      output.on('error', () => {});
      let context: Awaited<ReturnType<typeof openAppContext>> | undefined;
      try {
        context = await openAppContext();
        const prisma = context.database.prisma;
        const actor = options.asUser ? await userActor(prisma, options.asUser) : await administrationActor(prisma);
        const { status, area, party, declaration, system, municipality, overdue, search } = options;
        const query: DeviationFilterQuery = { status, area, party, declaration, system, municipality, overdue, q: search };
        const count = await exportDeviations(prisma, { actor, query, today: todayInSweden(), format: options.format }, output);
        await rename(partial, options.out);
        console.log(`Wrote ${count} deviation${count === 1 ? '' : 's'} to ${options.out}.`);
      } catch (error) {
        output.destroy();
        await rm(partial, { force: true });
        throw error;
      } finally {
        await context?.close();
      }
    });
  rejectBothOverdueFlags(command);
}

/**
 * Rejects --overdue given together with --no-overdue. Both set the same option value, so
 * commander would otherwise keep the last one silently.
 */
function rejectBothOverdueFlags(command: Command): void {
  const seenFlags = new Set<string>();
  for (const flag of ['overdue', 'no-overdue']) {
    command.on(`option:${flag}`, () => {
      seenFlags.add(flag);
      if (seenFlags.size === 2) {
        command.error("error: options '--overdue' and '--no-overdue' cannot be used together. Give one of them, or neither for all deviations.");
      }
    });
  }
}

/**
 * Opens FILE.partial for writing before anything is read, so that a missing or unwritable folder
 * stops the export with a message naming it.
 */
async function openPartialFile(out: string, partial: string, format: ExportFormat): Promise<FileHandle> {
  const existing = await stat(out).catch(() => null);
  if (existing?.isDirectory()) {
    throw new Error(`--out ${out} is a folder. Give a file name, for example ${path.join(out, `deviations.${format}`)}.`);
  }
  try {
    return await open(partial, 'w');
  } catch (error) {
    const folder = path.dirname(path.resolve(partial));
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`The folder ${folder} for --out ${out} does not exist. Create it, or give a file in an existing folder.`);
    if (code === 'ENOTDIR') throw new Error(`--out ${out} cannot be written, because part of ${folder} is a file, not a folder.`);
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new Error(`--out ${out} cannot be written, because the folder ${folder} does not allow writing (${code}). Give a file in another folder.`);
    }
    throw error;
  }
}
