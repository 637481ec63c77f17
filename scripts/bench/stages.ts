/**
 * Time per stage of typical declarations, each beside its floor: parsing beside exceljs loading
 * the same workbook, storing beside the same rows written through pg directly.
 */

import ExcelJS from 'exceljs';
import type pg from 'pg';
import { storeWithOneInsertPerTable, insertBareDeclaration } from './floor-store.ts';
import { intake, processInMemory, processTimed, type BenchContext, type StageTimes } from './pipeline.ts';
import { resetDeclarations } from './services.ts';
import { nowMs, summarize, type Summary } from './statistics.ts';
import type { BenchFile } from './throughput.ts';

export interface StageResult {
  declarations: number;
  /** Load: reading the file from the database, and marking a large one processing. */
  load: Summary;
  parse: Summary;
  candidatesAndRules: Summary;
  store: Summary;
  total: Summary;
  /** Floor of parse: `new ExcelJS.Workbook().xlsx.load(buffer)` on the same file. */
  exceljsLoad: Summary;
  /** Floor of store: one multi-row INSERT per table through pg, in one transaction. */
  pgInsert: Summary;
}

/** Loads a workbook whole with exceljs and returns the milliseconds it took. */
export async function loadWithExcelJs(bytes: Buffer): Promise<number> {
  const start = nowMs();
  // exceljs 4.4 types its load argument with its own Buffer interface, which Node's Buffer does not match.
  await new ExcelJS.Workbook().xlsx.load(bytes as unknown as ExcelJS.Buffer);
  return nowMs() - start;
}

/**
 * Processes each file in this process, one at a time, through the worker's processor, and
 * measures both floors on the same file right after it, so that load changes hit all three.
 */
export async function measureStages(
  context: BenchContext,
  pgClient: pg.Client,
  warmup: readonly BenchFile[],
  files: readonly BenchFile[],
): Promise<StageResult> {
  await resetDeclarations(pgClient);
  const warmupIds = await intake(context.prisma, warmup);
  const ids = await intake(context.prisma, files);

  const times: StageTimes[] = [];
  const exceljsTimes: number[] = [];
  const pgTimes: number[] = [];
  const all = [...warmup.map((file, index) => ({ file, id: warmupIds[index]!, record: false })), ...files.map((file, index) => ({ file, id: ids[index]!, record: true }))];
  for (const { file, id, record } of all) {
    const exceljsMs = await loadWithExcelJs(file.bytes);
    const stageTimes = await processTimed(context, id);

    const processed = await processInMemory(context, file.bytes, file.name);
    const bareId = await insertBareDeclaration(pgClient, file.name, file.bytes.length);
    const pgStart = nowMs();
    await storeWithOneInsertPerTable(pgClient, bareId, processed);
    const pgMs = nowMs() - pgStart;

    if (!record) continue;
    times.push(stageTimes);
    exceljsTimes.push(exceljsMs);
    pgTimes.push(pgMs);
  }

  return {
    declarations: files.length,
    load: summarize(times.map((time) => time.load)),
    parse: summarize(times.map((time) => time.parse)),
    candidatesAndRules: summarize(times.map((time) => time.candidates + time.rules)),
    store: summarize(times.map((time) => time.store)),
    total: summarize(times.map((time) => time.total)),
    exceljsLoad: summarize(exceljsTimes),
    pgInsert: summarize(pgTimes),
  };
}
