/**
 * The stress workbook: one declaration of many requirements through the whole pipeline, beside
 * exceljs reading it whole and streaming, each in a child process of its own.
 */

import fs from 'node:fs';
import path from 'node:path';
import { runForJson } from './children.ts';
import { buildDeclaration } from './declarations.ts';
import { intake, type BenchContext } from './pipeline.ts';
import { nowMs } from './statistics.ts';

export interface StressChildResult {
  mode: string;
  ms: number;
  rows: number;
  baselineMB: number;
  peakMB: number;
  stagePeakMB?: Record<string, number>;
  stageMs?: Record<string, number>;
}

export interface StressResult {
  requirements: number;
  /** The generated workbook, which the worker measurement queues again. */
  file: string;
  fileBytes: number;
  generateMs: number;
  exceljsLoad: StressChildResult;
  exceljsStream: StressChildResult;
  parse: StressChildResult;
  pipeline: StressChildResult;
}

const CHILD = 'scripts/bench/stress-child.ts';
const CHILD_TIMEOUT_MS = 180_000;

export async function measureStress(
  context: BenchContext,
  databaseUrl: string,
  workDirectory: string,
  requirements: number,
): Promise<StressResult> {
  const generateStart = nowMs();
  const bytes = await buildDeclaration({ requirements, seed: 50_000 });
  const generateMs = nowMs() - generateStart;
  const file = path.join(workDirectory, `stress-${requirements}.xlsx`);
  fs.writeFileSync(file, bytes);
  const [declarationId] = await intake(context.prisma, [{ name: path.basename(file), bytes }]);

  const env = { ...process.env, AVVIK_LOG_LEVEL: 'warn' };
  const run = (mode: string, extra: string[] = []) => runForJson<StressChildResult>([CHILD, mode, file, ...extra], env, CHILD_TIMEOUT_MS);
  const exceljsLoad = await run('exceljs-load');
  const exceljsStream = await run('exceljs-stream');
  const parse = await run('parse');
  const pipeline = await run('pipeline', [databaseUrl, declarationId!]);
  return { requirements, file, fileBytes: bytes.length, generateMs, exceljsLoad, exceljsStream, parse, pipeline };
}
