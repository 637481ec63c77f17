/** The benchmark's targets, checked against the figures and printed as one table. */

import type { StageResult } from './stages.ts';
import type { StressResult } from './stress.ts';
import type { EndToEndResult, ParseOnlyResult, WorkerStressResult } from './throughput.ts';

export interface TableRow {
  measure: string;
  value: string;
  reference: string;
  ratio: string;
  target: string;
  /** 'pass', 'fail', or '' when the row has no target. */
  result: string;
}

export interface Figures {
  endToEnd: EndToEndResult[];
  parseOnly: ParseOnlyResult;
  /** exceljs loading the same files whole, one after another: the parse floor's rate. */
  excelJsOnly: ParseOnlyResult;
  stages: StageResult;
  stress: StressResult;
  workerStress: WorkerStressResult;
}

const ms = (value: number) => `${value.toFixed(1)} ms`;
const rate = (value: number) => `${value.toFixed(1)} decl/s`;
const megabytes = (value: number) => `${Math.round(value)} MB`;
const verdict = (passed: boolean) => (passed ? 'pass' : 'fail');

/** Targets of the benchmark: throughput, ratios to floors, and the stress workbook's limits. */
export const TARGETS = {
  minDeclarationsPerSecond: 100,
  minShareOfParseOnly: 0.5,
  maxStageToFloor: 1.5,
  maxPeakToStreaming: 1.5,
  maxPeakMB: 400,
  maxPipelineToLoad: 3,
};

/** Builds the table rows: every measured setup, then each target with its verdict. */
export function buildTable(figures: Figures): TableRow[] {
  const { endToEnd, parseOnly, excelJsOnly, stages, stress, workerStress } = figures;
  const rows: TableRow[] = [];
  const parseRate = parseOnly.declarationsPerSecond;
  for (const result of endToEnd) {
    const busy = result.cpuBusyShare === null ? '' : `, CPU ${Math.round(result.cpuBusyShare * 100)}% busy`;
    const cpu = result.cpuMsPerDeclaration;
    const split = cpu ? `; CPU ms/decl: workers ${cpu.workers}, PostgreSQL ${cpu.postgres}, Redis ${cpu.redis}, other ${cpu.other}` : '';
    rows.push({
      measure: `end to end, ${result.processes} process(es) x concurrency ${result.concurrency}${busy}`,
      value: rate(result.declarationsPerSecond),
      reference: `parse only ${rate(parseRate)}${split}`,
      ratio: (result.declarationsPerSecond / parseRate).toFixed(2),
      target: '',
      result: '',
    });
  }

  const best = endToEnd.reduce((a, b) => (b.declarationsPerSecond > a.declarationsPerSecond ? b : a));
  rows.push({
    measure: `end to end, best setup (${best.processes}x${best.concurrency})`,
    value: rate(best.declarationsPerSecond),
    reference: '',
    ratio: '',
    target: `>= ${TARGETS.minDeclarationsPerSecond} decl/s`,
    result: verdict(best.declarationsPerSecond >= TARGETS.minDeclarationsPerSecond),
  });
  rows.push({
    measure: 'end to end, best setup vs parse only',
    value: rate(best.declarationsPerSecond),
    reference: rate(parseRate),
    ratio: (best.declarationsPerSecond / parseRate).toFixed(2),
    target: `>= ${TARGETS.minShareOfParseOnly}`,
    result: verdict(best.declarationsPerSecond / parseRate >= TARGETS.minShareOfParseOnly),
  });
  rows.push({
    measure: 'end to end, best setup vs exceljs load only (parse floor)',
    value: rate(best.declarationsPerSecond),
    reference: rate(excelJsOnly.declarationsPerSecond),
    ratio: (best.declarationsPerSecond / excelJsOnly.declarationsPerSecond).toFixed(2),
    target: '',
    result: '',
  });

  const stageRow = (name: string, value: StageResult['parse'], floorName: string, floor: StageResult['parse']): TableRow => ({
    measure: `${name}, median (p95)`,
    value: `${ms(value.median)} (${ms(value.p95)})`,
    reference: `${floorName} ${ms(floor.median)} (${ms(floor.p95)})`,
    ratio: `${(value.median / floor.median).toFixed(2)} (${(value.p95 / floor.p95).toFixed(2)})`,
    target: `<= ${TARGETS.maxStageToFloor}`,
    result: verdict(value.median / floor.median <= TARGETS.maxStageToFloor),
  });
  const plain = (name: string, value: StageResult['parse']): TableRow => ({
    measure: `${name}, median (p95)`,
    value: `${ms(value.median)} (${ms(value.p95)})`,
    reference: '',
    ratio: '',
    target: '',
    result: '',
  });
  rows.push(plain('load stage: file from the database', stages.load));
  rows.push(stageRow('parse stage', stages.parse, 'exceljs load', stages.exceljsLoad));
  rows.push({ ...plain('candidates and rules stages', stages.candidatesAndRules), target: 'no floor measured' });
  rows.push(stageRow('store stage', stages.store, 'pg insert', stages.pgInsert));
  rows.push(plain('whole processor per declaration', stages.total));

  const { exceljsLoad, exceljsStream, parse, pipeline } = stress;
  const label = `${stress.requirements.toLocaleString('en')} rows`;
  const repeats = workerStress.runs.length;
  const medians = repeats > 1 ? `, medians of ${repeats} runs` : '';
  const spread = (values: number[], format: (value: number) => string) =>
    values.length > 1 ? ` (runs ${format(Math.min(...values))} to ${format(Math.max(...values))})` : '';
  const workerPeaks = workerStress.runs.map((run) => run.peakMB);
  const workerTimes = workerStress.runs.map((run) => run.ms);
  rows.push({
    measure: `${label}: parse alone, peak RSS and time${medians}`,
    value: `${megabytes(parse.peakMB)}, ${ms(parse.ms)}`,
    reference: `load ${megabytes(exceljsLoad.peakMB)}, ${ms(exceljsLoad.ms)}`,
    ratio: `${(parse.peakMB / exceljsLoad.peakMB).toFixed(2)}, ${(parse.ms / exceljsLoad.ms).toFixed(2)}`,
    target: '',
    result: '',
  });
  rows.push({
    measure: `${label}: avvik worker peak RSS vs streaming reader${medians}`,
    value: `${megabytes(workerStress.peakMB)}${spread(workerPeaks, megabytes)}`,
    reference: `stream ${megabytes(exceljsStream.peakMB)}${spread(exceljsStream.runs.map((run) => run.peakMB), megabytes)} (load ${megabytes(exceljsLoad.peakMB)})`,
    ratio: (workerStress.peakMB / exceljsStream.peakMB).toFixed(2),
    target: `<= ${TARGETS.maxPeakToStreaming}`,
    result: verdict(workerStress.peakMB / exceljsStream.peakMB <= TARGETS.maxPeakToStreaming),
  });
  rows.push({
    measure: `${label}: avvik worker peak RSS${medians}`,
    value: megabytes(workerStress.peakMB),
    reference: '',
    ratio: '',
    target: `<= ${TARGETS.maxPeakMB} MB`,
    result: verdict(workerStress.peakMB <= TARGETS.maxPeakMB),
  });
  rows.push({
    measure: `${label}: avvik worker job time vs exceljs load${medians}`,
    value: `${ms(workerStress.ms)}${spread(workerTimes, ms)}`,
    reference: `load ${ms(exceljsLoad.ms)}${spread(exceljsLoad.runs.map((run) => run.ms), ms)} (stream ${ms(exceljsStream.ms)})`,
    ratio: (workerStress.ms / exceljsLoad.ms).toFixed(2),
    target: `<= ${TARGETS.maxPipelineToLoad}`,
    result: verdict(workerStress.ms / exceljsLoad.ms <= TARGETS.maxPipelineToLoad),
  });
  rows.push({
    measure: `${label}: avvik worker idle RSS after the warm-up${medians}`,
    value: megabytes(workerStress.idleMB),
    reference: `stream child before reading ${megabytes(exceljsStream.baselineMB)}`,
    ratio: '',
    target: '',
    result: '',
  });
  rows.push({
    measure: `${label}: processor alone in a small process, peak RSS and time`,
    value: `${megabytes(pipeline.peakMB)}, ${ms(pipeline.ms)}`,
    reference: `before the work ${megabytes(pipeline.baselineMB)}`,
    ratio: '',
    target: '',
    result: '',
  });
  return rows;
}

/** Formats rows as a Markdown table, which reads as plain text in a terminal too. */
export function formatTable(rows: readonly TableRow[]): string {
  const header: TableRow = { measure: 'measure', value: 'value', reference: 'floor or reference', ratio: 'ratio', target: 'target', result: 'result' };
  const keys = Object.keys(header) as (keyof TableRow)[];
  const all = [header, ...rows];
  const widths = keys.map((key) => Math.max(...all.map((row) => row[key].length)));
  const line = (row: TableRow) => `| ${keys.map((key, index) => row[key].padEnd(widths[index]!)).join(' | ')} |`;
  const rule = `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
