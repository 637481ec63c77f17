/**
 * One measurement of the stress workbook in a process of its own, so that its peak resident set
 * is its alone. Prints one JSON line on stdout.
 *
 * Usage: stress-child.ts MODE FILE [DATABASE_URL DECLARATION_ID]
 * MODE is exceljs-load, exceljs-stream, parse or pipeline. The pipeline mode reads the file from
 * the declaration as a worker does, ignores FILE and runs the worker's processor.
 */

import fs from 'node:fs';
import { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';

const [mode, file, databaseUrl, declarationId] = process.argv.slice(2);
if (!mode || !file) throw new Error('Usage: stress-child.ts MODE FILE [DATABASE_URL DECLARATION_ID]');

/** Peak resident set of this process so far, in MB (10^6 bytes). Node reports maxRSS in KiB. */
const peakMB = () => (process.resourceUsage().maxRSS * 1024) / 1e6;
const residentMB = () => process.memoryUsage().rss / 1e6;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

interface ChildResult {
  mode: string;
  ms: number;
  rows: number;
  /** Resident set after the imports and before the work. */
  baselineMB: number;
  peakMB: number;
  /** Peak resident set at the end of each stage, for the pipeline. */
  stagePeakMB?: Record<string, number>;
  stageMs?: Record<string, number>;
}

type Excel = typeof ExcelJS;

async function loadWhole(excel: Excel, bytes: Buffer): Promise<number> {
  const workbook = new excel.Workbook();
  // exceljs 4.4 types its load argument with its own Buffer interface, which Node's Buffer does not match.
  await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  let rows = 0;
  for (const worksheet of workbook.worksheets) rows += worksheet.actualRowCount;
  return rows;
}

async function readStreaming(excel: Excel, bytes: Buffer): Promise<number> {
  const reader = new excel.stream.xlsx.WorkbookReader(Readable.from([bytes]), {});
  let rows = 0;
  for await (const worksheet of reader) {
    for await (const _row of worksheet) rows += 1;
  }
  return rows;
}

async function main(): Promise<ChildResult> {
  const bytes = fs.readFileSync(file!);
  if (mode === 'exceljs-load' || mode === 'exceljs-stream' || mode === 'parse') {
    // Imported only where used and before the baseline: the exceljs baselines do not include the
    // parser, and neither the parser's nor the pipeline's include exceljs, which the worker never loads.
    const parseDeclaration = mode === 'parse' ? (await import('../../src/ingest/parse.ts')).parseDeclaration : null;
    const excel = mode === 'parse' ? null : (await import('exceljs')).default;
    const baselineMB = residentMB();
    const start = nowMs();
    let rows: number;
    if (mode === 'exceljs-load') rows = await loadWhole(excel!, bytes);
    else if (mode === 'exceljs-stream') rows = await readStreaming(excel!, bytes);
    else rows = (await parseDeclaration!(bytes, 'stress.xlsx')).rows.length;
    return { mode, ms: nowMs() - start, rows, baselineMB, peakMB: peakMB() };
  }
  if (!databaseUrl || !declarationId) throw new Error(`Unknown mode ${mode}, or a pipeline mode without a database URL and declaration id.`);
  if (mode !== 'pipeline') throw new Error(`Unknown mode ${mode}.`);

  const { openBenchContext, processTimed } = await import('./pipeline.ts');
  const context = await openBenchContext(databaseUrl);
  try {
    const stagePeakMB: Record<string, number> = {};
    let previous: string | null = null;
    // The first query loads Prisma's query compiler, which a running worker has loaded already.
    await context.prisma.declaration.count();
    const baselineMB = residentMB();
    const times = await processTimed(context, declarationId, (stage) => {
      if (previous) stagePeakMB[previous] = peakMB();
      previous = stage;
    });
    if (previous) stagePeakMB[previous] = peakMB();
    const rows = await context.prisma.requirementRow.count({ where: { declarationId } });
    const { total, ...stageMs } = times;
    return { mode, ms: total, rows, baselineMB, peakMB: peakMB(), stagePeakMB, stageMs };
  } finally {
    await context.database.close();
  }
}

process.stdout.write(`${JSON.stringify(await main())}\n`);
