/**
 * The stress workbook: one declaration of many requirements through the whole pipeline, beside
 * exceljs reading it whole and streaming, each in a child process of its own.
 */

import fs from 'node:fs';
import path from 'node:path';
import { runForJson } from './children.ts';
import { buildDeclaration } from './declarations.ts';
import { intake, type BenchContext } from './pipeline.ts';
import { nowMs, quantile } from './statistics.ts';

export interface StressChildResult {
  mode: string;
  ms: number;
  rows: number;
  baselineMB: number;
  peakMB: number;
  stagePeakMB?: Record<string, number>;
  stageMs?: Record<string, number>;
}

/**
 * The median time, peak and baseline of repeated runs of one mode, each taken separately, with
 * every run kept. A peak depends on when V8 collects garbage and moves by tens of MB between
 * runs of the same code, so one run is not enough to compare two peaks.
 */
export interface RepeatedChildResult {
  mode: string;
  rows: number;
  ms: number;
  peakMB: number;
  baselineMB: number;
  runs: StressChildResult[];
}

export interface StressResult {
  requirements: number;
  /** The generated workbook, which the worker measurement queues again. */
  file: string;
  fileBytes: number;
  generateMs: number;
  exceljsLoad: RepeatedChildResult;
  exceljsStream: RepeatedChildResult;
  parse: RepeatedChildResult;
  pipeline: StressChildResult;
}

const CHILD = 'scripts/bench/stress-child.ts';
const CHILD_TIMEOUT_MS = 180_000;

/**
 * Measures the stress workbook: exceljs's load, its streaming reader and the parser `repeats`
 * times each, in turns, and the worker's processor once.
 */
export async function measureStress(
  context: BenchContext,
  databaseUrl: string,
  workDirectory: string,
  requirements: number,
  repeats: number,
): Promise<StressResult> {
  const generateStart = nowMs();
  const bytes = await buildDeclaration({ requirements, seed: 50_000 });
  const generateMs = nowMs() - generateStart;
  const file = path.join(workDirectory, `stress-${requirements}.xlsx`);
  fs.writeFileSync(file, bytes);
  const [declarationId] = await intake(context.prisma, [{ name: path.basename(file), bytes }]);

  const env = { ...process.env, AVVIK_LOG_LEVEL: 'warn' };
  const run = (mode: string, extra: string[] = []) => runForJson<StressChildResult>([CHILD, mode, file, ...extra], env, CHILD_TIMEOUT_MS);
  const modes = ['exceljs-load', 'exceljs-stream', 'parse'] as const;
  const runs = new Map<string, StressChildResult[]>(modes.map((mode) => [mode, []]));
  for (let round = 0; round < repeats; round++) {
    for (const mode of modes) runs.get(mode)!.push(await run(mode));
  }
  const pipeline = await run('pipeline', [databaseUrl, declarationId!]);
  return {
    requirements,
    file,
    fileBytes: bytes.length,
    generateMs,
    exceljsLoad: medianOf(runs.get('exceljs-load')!),
    exceljsStream: medianOf(runs.get('exceljs-stream')!),
    parse: medianOf(runs.get('parse')!),
    pipeline,
  };
}

function medianOf(runs: StressChildResult[]): RepeatedChildResult {
  const median = (pick: (run: StressChildResult) => number) => quantile(runs.map(pick), 0.5);
  return {
    mode: runs[0]!.mode,
    rows: runs[0]!.rows,
    ms: median((run) => run.ms),
    peakMB: median((run) => run.peakMB),
    baselineMB: median((run) => run.baselineMB),
    runs,
  };
}
