import fs from 'node:fs/promises';
import { InvalidArgumentError } from 'commander';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { enqueueDeclaration } from '../workers/queue.ts';
import type { AppContext } from './context.ts';
import { rewordForImport } from './import-failures.ts';
import { createNoWorkerNotice, intakeFile, openDeclarationQueue, processOneInProcess } from './ingest-command.ts';

/** File name endings taken as declarations; the format itself is still read from the content. */
export const DECLARATION_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.pdf'];

const POLL_INTERVAL_MS = 500;

export interface ImportCounts {
  /** Declaration files found under the folder, symbolic links to files and dangling links included. */
  found: number;
  /** Files whose declaration this run stored or finished, and which parsed. */
  parsed: number;
  /** Files that could not be read, or whose declaration failed, in this run or before it. */
  failed: number;
  /** Files whose content was stored and parsed before, by an earlier run or an earlier file of this one. */
  duplicate: number;
  /** Files whose declaration is queued or being processed. */
  waiting: number;
  /** Files not yet stored when the run was stopped; a later run stores them. */
  notStarted: number;
  /** Files with a declaration's file ending that are not read because they are lock or hidden files (see isLockOrHiddenFile). */
  skipped: number;
  /** Other entries under the folder, which are not read, such as other files, links to folders and sockets. */
  ignored: number;
}

export interface ImportSummary extends ImportCounts {
  failures: { file: string; code: string; message: string }[];
  /** Symbolic links to folders, which count as ignored and are not followed, so that no link can make a loop. */
  linksToFolders: number;
  /** True when the run was stopped before every file was stored. */
  interrupted: boolean;
}

export interface ImportOptions {
  onProgress?: (counts: ImportCounts) => void;
  /** Checked before each file; when it returns true, no further file is stored. */
  shouldStop?: () => boolean;
}

export interface DeclarationFiles {
  files: string[];
  skipped: number;
  ignored: number;
  linksToFolders: number;
}

/**
 * Raises an error that says what to give instead when `folder` is missing, is a file or cannot be
 * read, so that the import stops before it opens the database.
 */
export async function checkImportFolder(folder: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(folder);
    if (stat.isDirectory()) await fs.access(folder, fs.constants.R_OK | fs.constants.X_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InvalidArgumentError(`The folder "${folder}" does not exist. Give the folder that holds the declaration files.`);
    if (code === 'EACCES') throw new InvalidArgumentError(`The folder ${folder} cannot be read: permission denied. Give a folder this user may read.`);
    throw error;
  }
  if (!stat.isDirectory()) {
    throw new InvalidArgumentError(`${folder} is not a folder. Import one file with \`avvik ingest ${folder}\`, or give the folder that holds it.`);
  }
}

/**
 * Lists declaration files under a folder, recursively, in a stable order. A symbolic link to a
 * file counts as that file and a dangling link as a file that cannot be read, so that both are
 * reported. A link to a folder is counted as ignored and not followed. Lock and hidden files
 * with a declaration's file ending are counted as skipped.
 */
export async function findDeclarationFiles(folder: string): Promise<DeclarationFiles> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  let skipped = 0;
  let ignored = 0;
  let linksToFolders = 0;
  for (const entry of entries) {
    if (entry.isDirectory()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const isDeclaration = DECLARATION_EXTENSIONS.includes(path.extname(entry.name).toLowerCase());
    if (isDeclaration && isLockOrHiddenFile(path.relative(folder, file))) {
      skipped += 1;
      continue;
    }
    const kind = entry.isSymbolicLink() ? await linkTargetKind(file) : entry.isFile() ? 'file' : 'other';
    if (kind === 'folder') linksToFolders += 1;
    if (kind !== 'file' && kind !== 'missing') ignored += 1;
    else if (isDeclaration) files.push(file);
    else ignored += 1;
  }
  return { files: files.sort(), skipped, ignored, linksToFolders };
}

/**
 * Tells whether a path inside the folder is a file that programs leave beside documents rather
 * than a declaration someone saved. These are Office owner (lock) files such as
 * `~$deklaration.xlsx`, which Excel writes while a workbook is open, and hidden files, whose name
 * starts with a dot. Hidden files include the AppleDouble files (`._deklaration.xlsx`) that macOS
 * writes on volumes that cannot store its file attributes, and every file in a hidden folder,
 * such as `.Trash` or `.git`.
 */
export function isLockOrHiddenFile(relativePath: string): boolean {
  const names = relativePath.split(path.sep);
  if (names.at(-1)!.startsWith('~$')) return true;
  return names.some((name) => name.startsWith('.'));
}

/** Returns the kind of a symbolic link's target, or 'missing' when the target does not exist or the links form a loop. */
async function linkTargetKind(link: string): Promise<'file' | 'folder' | 'missing' | 'other'> {
  try {
    const target = await fs.stat(link);
    if (target.isFile()) return 'file';
    return target.isDirectory() ? 'folder' : 'other';
  } catch {
    return 'missing';
  }
}

/**
 * Stores every declaration file under a folder and has it processed, by queue workers when
 * REDIS_URL is set, else in this process. A second run stores nothing twice: a file whose
 * declaration parsed before counts as a duplicate, one whose declaration failed counts as failed
 * again with the stored error, and a declaration still queued is processed and waited for.
 */
export async function importFolder(context: AppContext, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const { files, skipped, ignored, linksToFolders } = await findDeclarationFiles(folder);
  const counts: ImportCounts = { found: files.length, parsed: 0, failed: 0, duplicate: 0, waiting: 0, notStarted: 0, skipped, ignored };
  const tracker = new OutcomeTracker(context.database.prisma, counts);
  const report = () => options.onProgress?.({ ...counts });
  const queue = context.config.REDIS_URL ? await openDeclarationQueue(context) : null;
  const noWorkerNotice = queue ? createNoWorkerNotice(context, queue.queue) : null;
  // Declarations processed in this run, so that a second file with the same content does not process them again.
  const processed = new Set<string>();
  let interrupted = false;

  try {
    for (const [index, file] of files.entries()) {
      if (options.shouldStop?.()) {
        interrupted = true;
        counts.notStarted = files.length - index;
        break;
      }
      const intake = await intakeFile(context, file);
      let forceRefresh = queue === null;
      if (!intake.declarationId) {
        tracker.recordUnreadable(file, intake.readError!);
      } else {
        const declarationId = intake.declarationId;
        const processHere = intake.needsProcessing && !processed.has(declarationId);
        const firstFile = tracker.track(declarationId, file, processHere ? 'parsed' : 'duplicate');
        // A declaration that is already parsed or failed is counted at once.
        if (firstFile && !processHere) forceRefresh = true;
        if (processHere) {
          processed.add(declarationId);
          if (queue) await enqueueDeclaration(queue.queue, declarationId);
          else await processOneInProcess(context, declarationId);
        }
      }
      await tracker.refresh(forceRefresh);
      report();
      await noWorkerNotice?.check(counts.waiting);
    }

    while (counts.waiting > 0 && !interrupted) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      await tracker.refresh(true);
      report();
      await noWorkerNotice?.check(counts.waiting);
      if (options.shouldStop?.()) interrupted = true;
    }
  } finally {
    await queue?.close();
  }

  return { ...counts, failures: tracker.failures, linksToFolders, interrupted };
}

/** A file waiting for its declaration's outcome, and what it counts as if the declaration parses. */
interface WaitingFile {
  file: string;
  ifParsed: 'parsed' | 'duplicate';
}

/** Follows the declarations of this run's files until each is parsed or failed, and counts every file. */
class OutcomeTracker {
  readonly failures: ImportSummary['failures'] = [];
  private readonly pending = new Map<string, WaitingFile[]>();
  private lastRefresh = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly counts: ImportCounts,
  ) {}

  /** Adds a file to wait for; returns false when another file of this run waits for the same declaration. */
  track(declarationId: string, file: string, ifParsed: WaitingFile['ifParsed']): boolean {
    const waiting = this.pending.get(declarationId);
    this.counts.waiting += 1;
    if (waiting) {
      waiting.push({ file, ifParsed: 'duplicate' });
      return false;
    }
    this.pending.set(declarationId, [{ file, ifParsed }]);
    return true;
  }

  recordUnreadable(file: string, error: { code: string; message: string }) {
    this.counts.failed += 1;
    this.failures.push({ file, ...error });
  }

  /** Reads the status of waiting declarations; at most every POLL_INTERVAL_MS unless forced. */
  async refresh(force: boolean) {
    if (this.pending.size === 0) return;
    if (!force && Date.now() - this.lastRefresh < POLL_INTERVAL_MS) return;
    this.lastRefresh = Date.now();

    const finished = await this.prisma.declaration.findMany({
      where: { id: { in: [...this.pending.keys()] }, status: { in: ['parsed', 'failed'] } },
      select: { id: true, status: true, errorCode: true, errorMessage: true },
    });
    for (const declaration of finished) {
      const files = this.pending.get(declaration.id)!;
      this.pending.delete(declaration.id);
      this.counts.waiting -= files.length;
      for (const { file, ifParsed } of files) {
        if (declaration.status === 'parsed') {
          this.counts[ifParsed] += 1;
        } else {
          this.counts.failed += 1;
          const message = rewordForImport(declaration.errorMessage ?? '');
          this.failures.push({ file, code: declaration.errorCode ?? 'unknown', message });
        }
      }
    }
  }
}

/** Formats the counts as one progress line. */
export function formatImportProgress(counts: ImportCounts): string {
  const handled = counts.parsed + counts.failed + counts.duplicate;
  const width = 24;
  const filled = counts.found === 0 ? width : Math.round((handled / counts.found) * width);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(width - filled)}`;
  const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
  return (
    `[${bar}] ${handled}/${counts.found} files: ${counts.parsed} parsed, ${counts.failed} failed, ` +
    `${counts.duplicate} duplicate, ${counts.waiting} waiting${skipped}`
  );
}

/**
 * Formats the closing summary and every failure with its reason. The counts of the second line
 * add up to the declaration files found, also when the run was stopped.
 */
export function formatImportSummary(folder: string, summary: ImportSummary): string {
  const skipped = summary.skipped > 0 ? `, ${summary.skipped} lock or hidden ${summary.skipped === 1 ? 'file' : 'files'} skipped` : '';
  const notStarted = summary.notStarted > 0 ? `, ${summary.notStarted} not started because the import was stopped` : '';
  const lines = [
    `${summary.interrupted ? 'Import stopped' : 'Import finished'}: ${folder}`,
    `  ${summary.found} declaration ${summary.found === 1 ? 'file' : 'files'} found${skipped}, ${summary.ignored} other ${summary.ignored === 1 ? 'entry' : 'entries'} ignored${describeLinksToFolders(summary.linksToFolders)}`,
    `  ${summary.parsed} parsed, ${summary.failed} failed, ${summary.duplicate} duplicate, ${summary.waiting} still waiting${notStarted}`,
  ];
  if (summary.interrupted) lines.push('  Run the same command again to continue; files already stored are not stored twice.');
  if (summary.waiting > 0) {
    lines.push('  The files still waiting stay in the queue, and `avvik worker` processes them; start one if none is running.');
  }
  if (summary.failures.length > 0) {
    lines.push('', 'Failures:');
    for (const failure of summary.failures) lines.push(`  ${failure.file}`, `    ${failure.code}: ${failure.message}`);
  }
  if (summary.failures.some((failure) => failure.code !== 'file-not-readable')) {
    lines.push(
      '',
      'A file stored as failed fails again in every run until it is replaced or removed, except one that failed ' +
        'with processing-failed, which is retried.',
    );
  }
  return lines.join('\n');
}

function describeLinksToFolders(count: number): string {
  if (count === 0) return '';
  return count === 1 ? ' (1 is a symbolic link to a folder, which is not followed)' : ` (${count} are symbolic links to folders, which are not followed)`;
}
