/**
 * End-to-end throughput: declarations stored by intake, queued on BullMQ and processed by
 * `avvik worker` processes into PostgreSQL. Parse-only throughput on the same files, for the ratio.
 */

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type pg from 'pg';
import { parseDeclaration } from '../../src/ingest/parse.ts';
import { connectRedis, createDeclarationQueue, enqueueDeclaration, type DeclarationJobData } from '../../src/workers/queue.ts';
import { spawnNode, waitForExit } from './children.ts';
import { intake, type BenchContext } from './pipeline.ts';
import { loadWithExcelJs } from './stages.ts';
import { REDIS_URL, resetDeclarations } from './services.ts';
import { cpuBusyShare, cpuPerDeclaration, nowMs, quantile, readCpuTicks, readProcessCpu } from './statistics.ts';

export interface BenchFile {
  name: string;
  bytes: Buffer;
  requirements: number;
}

export interface WorkerSetup {
  /** Worker processes, each an `avvik worker`. */
  processes: number;
  /** BullMQ concurrency of each process. */
  concurrency: number;
}

export interface EndToEndResult extends WorkerSetup {
  declarations: number;
  seconds: number;
  declarationsPerSecond: number;
  /** Share of all cores busy during the timed run, from /proc/stat; null off Linux. */
  cpuBusyShare: number | null;
  /** CPU milliseconds per declaration during the timed run, by process group; null off Linux. */
  cpuMsPerDeclaration: ReturnType<typeof cpuPerDeclaration>;
}

export interface EndToEndOptions {
  context: BenchContext;
  pgClient: pg.Client;
  databaseUrl: string;
  queueName: string;
  logDirectory: string;
  warmup: readonly BenchFile[];
  timed: readonly BenchFile[];
}

const WORKER_START_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 180_000;
/** How often the queue's counts are read during a timed run; it bounds the timing error per run. */
const POLL_INTERVAL_MS = 20;

/** Measures one worker setup: starts its processes, warms them up, then times the timed files. */
export async function measureEndToEnd(options: EndToEndOptions, setup: WorkerSetup): Promise<EndToEndResult> {
  await resetDeclarations(options.pgClient);
  const workers = await startWorkers(options, setup, `worker-${setup.processes}x${setup.concurrency}.log`);
  try {
    await runBatch(workers.queue, options.context, options.warmup, workers.logFile, workers.pids);
    const timed = await runBatch(workers.queue, options.context, options.timed, workers.logFile, workers.pids);
    return { ...setup, declarations: options.timed.length, ...timed };
  } finally {
    await workers.stop();
  }
}

export interface WorkerStressRun {
  /** Resident set of the idle worker after the warm-up declarations, before the stress workbook is queued. */
  idleMB: number;
  /** Peak resident set of the worker process over its whole life (VmHWM). */
  peakMB: number;
  /** From resuming the queue to BullMQ counting the job done. */
  ms: number;
}

/** The median idle resident set, peak and job time of the runs, each taken separately, and every run. */
export interface WorkerStressResult extends WorkerStressRun {
  requirements: number;
  runs: WorkerStressRun[];
}

/**
 * Runs the stress workbook through one `avvik worker` process, as production would, after the
 * warm-up declarations, `repeats` times with a new worker each time: the idle resident set, the
 * peak resident set and the job's time.
 */
export async function measureWorkerStress(options: EndToEndOptions, stress: BenchFile, repeats: number): Promise<WorkerStressResult> {
  const runs: WorkerStressRun[] = [];
  for (let round = 0; round < repeats; round++) runs.push(await measureWorkerStressOnce(options, stress));
  const median = (pick: (run: WorkerStressRun) => number) => quantile(runs.map(pick), 0.5);
  return { requirements: stress.requirements, idleMB: median((run) => run.idleMB), peakMB: median((run) => run.peakMB), ms: median((run) => run.ms), runs };
}

async function measureWorkerStressOnce(options: EndToEndOptions, stress: BenchFile): Promise<WorkerStressRun> {
  await resetDeclarations(options.pgClient);
  const workers = await startWorkers(options, { processes: 1, concurrency: 1 }, 'worker-stress.log');
  try {
    await runBatch(workers.queue, options.context, options.warmup, workers.logFile, workers.pids);
    const idleMB = readStatusMB(workers.pids[0]!, 'VmRSS');
    const { seconds } = await runBatch(workers.queue, options.context, [stress], workers.logFile, workers.pids);
    return { idleMB, peakMB: readStatusMB(workers.pids[0]!, 'VmHWM'), ms: seconds * 1000 };
  } finally {
    await workers.stop();
  }
}

/** Reads a field of /proc/PID/status in MB (10^6 bytes), from the KiB that Linux reports. */
function readStatusMB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  if (!kib) throw new Error(`/proc/${pid}/status has no ${field} line.`);
  return (Number(kib) * 1024) / 1e6;
}

/** Starts `avvik worker` processes on a paused, empty queue and waits until all of them listen. */
async function startWorkers(options: EndToEndOptions, setup: WorkerSetup, logName: string) {
  const connection = connectRedis(REDIS_URL);
  const queue = createDeclarationQueue({ connection, queueName: options.queueName, attempts: 1, retryDelayMs: 1_000 });
  const logFile = path.join(options.logDirectory, logName);
  const workers: ChildProcess[] = [];
  const stop = async () => {
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map(waitForExit));
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    connection.disconnect();
  };
  try {
    await queue.obliterate({ force: true });
    await queue.pause();
    const log = fs.openSync(logFile, 'a');
    for (let index = 0; index < setup.processes; index++) {
      workers.push(
        spawnNode(['bin/avvik.js', 'worker', '--concurrency', String(setup.concurrency)], {
          env: {
            ...process.env,
            DATABASE_URL: options.databaseUrl,
            REDIS_URL,
            AVVIK_QUEUE: options.queueName,
            AVVIK_LOG_LEVEL: 'info',
            AVVIK_JOB_ATTEMPTS: '1',
          },
          stdio: ['ignore', 'ignore', log],
        }),
      );
    }
    fs.closeSync(log);
    await waitUntil(async () => (await queue.getWorkersCount()) >= setup.processes, WORKER_START_TIMEOUT_MS, `${setup.processes} workers to start (log: ${logFile})`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { queue, logFile, pids: workers.map((worker) => worker.pid!), stop };
}

/** Stores and queues files while the queue is paused, then times the workers from resume to the last job. */
async function runBatch(
  queue: Queue<DeclarationJobData>,
  context: BenchContext,
  files: readonly BenchFile[],
  logFile: string,
  workerPids: readonly number[],
) {
  const before = await queue.getJobCounts('completed', 'failed');
  const done = (before.completed ?? 0) + (before.failed ?? 0);
  const ids = await intake(context.prisma, files);
  for (const id of ids) await enqueueDeclaration(queue, id);

  const cpuBefore = readCpuTicks();
  const processesBefore = readProcessCpu();
  const start = nowMs();
  await queue.resume();
  await waitUntil(
    async () => {
      const counts = await queue.getJobCounts('completed', 'failed');
      return (counts.completed ?? 0) + (counts.failed ?? 0) >= done + files.length;
    },
    RUN_TIMEOUT_MS,
    `${files.length} declarations to be processed (log: ${logFile})`,
    POLL_INTERVAL_MS,
  );
  const seconds = (nowMs() - start) / 1000;
  const cpuAfter = readCpuTicks();
  const processesAfter = readProcessCpu();
  await queue.pause();

  const after = await queue.getJobCounts('failed');
  if ((after.failed ?? 0) > (before.failed ?? 0)) throw new Error(`${after.failed! - (before.failed ?? 0)} declarations failed; see ${logFile}.`);
  return {
    seconds,
    declarationsPerSecond: files.length / seconds,
    cpuBusyShare: cpuBusyShare(cpuBefore, cpuAfter),
    cpuMsPerDeclaration: cpuPerDeclaration(processesBefore, processesAfter, workerPids, files.length),
  };
}

async function waitUntil(probe: () => Promise<boolean>, timeoutMs: number, what: string, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export interface ParseOnlyResult {
  declarations: number;
  seconds: number;
  declarationsPerSecond: number;
}

/** Parses the files one after another in this process, after parsing the warm-up files once. */
export async function measureParseOnly(warmup: readonly BenchFile[], timed: readonly BenchFile[]): Promise<ParseOnlyResult> {
  return measureOneByOne(warmup, timed, (file) => parseDeclaration(file.bytes, file.name));
}

/** Loads the files whole with exceljs one after another in this process: the parse floor's rate. */
export async function measureExcelJsOnly(warmup: readonly BenchFile[], timed: readonly BenchFile[]): Promise<ParseOnlyResult> {
  return measureOneByOne(warmup, timed, (file) => loadWithExcelJs(file.bytes));
}

async function measureOneByOne(warmup: readonly BenchFile[], timed: readonly BenchFile[], read: (file: BenchFile) => Promise<unknown>): Promise<ParseOnlyResult> {
  for (const file of warmup) await read(file);
  const start = nowMs();
  for (const file of timed) await read(file);
  const seconds = (nowMs() - start) / 1000;
  return { declarations: timed.length, seconds, declarationsPerSecond: timed.length / seconds };
}
