/** `avvik export`: deviations as CSV or XLSX, as the administration or as one user sees them. */
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { EXPORT_FORMATS, type ExportFormat } from '../export/formats.ts';
import { todayInSweden } from '../workflow/dates.ts';
import { DEVIATION_STATUSES, type DeviationStatus } from '../workflow/state-machine.ts';
import { openAppContext } from './context.ts';

interface ExportOptions {
  format: ExportFormat;
  out: string;
  asUser?: string;
  status?: DeviationStatus[];
  party?: string;
}

function parseStatuses(value: string): DeviationStatus[] {
  const statuses = value.split(',').map((part) => part.trim());
  const unknown = statuses.filter((status) => !(DEVIATION_STATUSES as readonly string[]).includes(status));
  if (unknown.length > 0) throw new InvalidArgumentError(`${unknown.join(', ')} is not a status; use ${DEVIATION_STATUSES.join(', ')}.`);
  return statuses as DeviationStatus[];
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('Write deviations to a CSV or XLSX file, with the same visibility rules as the HTTP API.')
    .addOption(new Option('--format <format>', 'file format').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .requiredOption('--out <file>', 'file to write; it is replaced only when the export succeeds')
    .option('--as-user <id>', 'export only what this API user may see, with its contact-detail rules (default: the administration, which sees all)')
    .option('--status <list>', 'only these statuses, separated by commas', parseStatuses)
    .option('--party <code>', "only deviations whose owner, or proposed owner while none is set, has this party code")
    .addHelpText(
      'after',
      `
Text that a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return) is written with a leading apostrophe. Rows are read and written in pages, so the file
can hold any number of deviations.

Examples:
  $ npx avvik export --format csv --out deviations.csv
  $ npx avvik export --format xlsx --out fk.xlsx --as-user 3b1f0c9e-4d2a-4c1e-9a51-0f6b2f1d7e21 --status new,in-dialogue`,
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
        const query = { status: options.status, party: options.party };
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
