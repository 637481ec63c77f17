import fs from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.ts';
import { enqueueDeclaration } from '../workers/queue.ts';
import type { AppContext } from './context.ts';
import { intakeFile, openDeclarationQueue, processOneInProcess } from './ingest-command.ts';

/** File name endings taken as declarations; the format itself is still read from the content. */
export const DECLARATION_EXTENSIONS = ['.xlsx', '.xlsm', '.xls', '.pdf'];

const POLL_INTERVAL_MS = 500;

export interface ImportCounts {
  /** Declaration files found under the folder. */
  found: number;
  parsed: number;
  failed: number;
  /** Files whose bytes were stored before, by an earlier run or earlier in this one. */
  duplicate: number;
  /** Files stored or queued but not finished yet. */
  waiting: number;
  /** Other files under the folder, which are not read. */
  ignored: number;
}

export interface ImportSummary extends ImportCounts {
  failures: { file: string; code: string; message: string }[];
  /** True when the run was stopped before every file was stored. */
  interrupted: boolean;
}

export interface ImportOptions {
  onProgress?: (counts: ImportCounts) => void;
  /** Checked before each file; when it returns true, no further file is stored. */
  shouldStop?: () => boolean;
}

/** Lists declaration files under a folder, recursively, in a stable order. */
export async function findDeclarationFiles(folder: string): Promise<{ files: string[]; ignored: number }> {
  const entries = await fs.readdir(folder, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  let ignored = 0;
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    if (DECLARATION_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) files.push(file);
    else ignored += 1;
  }
  return { files: files.sort(), ignored };
}

/**
 * Stores every declaration file under a folder and has it processed, by queue workers when
 * REDIS_URL is set, else in this process. A second run stores nothing twice: files already
 * stored count as duplicates, and only declarations left unfinished are processed again.
 */
export async function importFolder(context: AppContext, folder: string, options: ImportOptions = {}): Promise<ImportSummary> {
  const { files, ignored } = await findDeclarationFiles(folder);
  const counts: ImportCounts = { found: files.length, parsed: 0, failed: 0, duplicate: 0, waiting: 0, ignored };
  const tracker = new OutcomeTracker(context.database.prisma, counts);
  const report = () => options.onProgress?.({ ...counts });
  const queue = context.config.REDIS_URL ? await openDeclarationQueue(context) : null;
  let interrupted = false;

  try {
    for (const file of files) {
      if (options.shouldStop?.()) {
        interrupted = true;
        break;
      }
      const intake = await intakeFile(context, file);
      if (!intake.declarationId) {
        tracker.recordUnreadable(file, intake.readError!);
      } else if (!intake.created && !intake.needsProcessing) {
        counts.duplicate += 1;
      } else {
        tracker.track(intake.declarationId, file);
        if (queue) await enqueueDeclaration(queue.queue, intake.declarationId);
        else await processOneInProcess(context, intake.declarationId);
      }
      await tracker.refresh(queue === null);
      report();
    }

    while (counts.waiting > 0 && !interrupted) {
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
      await tracker.refresh(true);
      report();
      if (options.shouldStop?.()) interrupted = true;
    }
  } finally {
    await queue?.close();
  }

  return { ...counts, failures: tracker.failures, interrupted };
}

/** Follows the declarations of this run until each is parsed or failed. */
class OutcomeTracker {
  readonly failures: ImportSummary['failures'] = [];
  private readonly pending = new Map<string, string>();
  private lastRefresh = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly counts: ImportCounts,
  ) {}

  track(declarationId: string, file: string) {
    if (this.pending.has(declarationId)) {
      this.counts.duplicate += 1;
      return;
    }
    this.pending.set(declarationId, file);
    this.counts.waiting += 1;
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
      const file = this.pending.get(declaration.id)!;
      this.pending.delete(declaration.id);
      this.counts.waiting -= 1;
      if (declaration.status === 'parsed') {
        this.counts.parsed += 1;
      } else {
        this.counts.failed += 1;
        this.failures.push({ file, code: declaration.errorCode ?? 'unknown', message: declaration.errorMessage ?? '' });
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
  return (
    `[${bar}] ${handled}/${counts.found} files: ${counts.parsed} parsed, ${counts.failed} failed, ` +
    `${counts.duplicate} duplicate, ${counts.waiting} waiting`
  );
}

/** Formats the closing summary and every failure with its reason. */
export function formatImportSummary(folder: string, summary: ImportSummary): string {
  const lines = [
    `${summary.interrupted ? 'Import stopped' : 'Import finished'}: ${folder}`,
    `  ${summary.found} declaration files found, ${summary.ignored} other files ignored`,
    `  ${summary.parsed} parsed, ${summary.failed} failed, ${summary.duplicate} duplicate, ${summary.waiting} still waiting`,
  ];
  if (summary.interrupted) lines.push('  Run the same command again to continue; files already stored are not stored twice.');
  if (summary.failures.length > 0) {
    lines.push('', 'Failures:');
    for (const failure of summary.failures) lines.push(`  ${failure.file}`, `    ${failure.code}: ${failure.message}`);
  }
  return lines.join('\n');
}
