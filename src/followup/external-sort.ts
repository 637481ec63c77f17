/**
 * An external merge sort for JSON values: up to `runSize` values are sorted in memory, and more
 * are written as sorted runs, one JSON value per line, to a temporary folder and merged from there.
 * At most one run is in memory while values are added, and one read buffer per open run while runs
 * are merged.
 */
import { mkdtemp, open, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { describeWriteFailure } from './write-failure.ts';

export interface ExternalSortOptions {
  /** Values sorted in memory before they are written as one run. */
  runSize?: number;
  /** Runs merged at once; more runs are first merged into fewer, larger ones. */
  maxOpenRuns?: number;
  /** Folder in which the temporary folder of the runs is created; os.tmpdir() (TMPDIR) by default. */
  temporaryRoot?: string;
}

const READ_CHUNK_BYTES = 64 * 1024;
const WRITE_CHUNK_CHARACTERS = 64 * 1024;

/**
 * Collects values with add(), then yields them in order with sorted(). Call dispose() when done,
 * also after a failure, to remove the temporary runs. The values must survive JSON.stringify and
 * JSON.parse unchanged: plain objects, arrays, strings, finite numbers, booleans and null.
 */
export class ExternalSort<T> {
  private readonly runSize: number;
  private readonly maxOpenRuns: number;
  private readonly temporaryRoot: string;
  private buffer: T[] = [];
  private runs: string[] = [];
  private folder: string | undefined;
  private runsCreated = 0;
  private added = 0;

  constructor(
    private readonly compare: (a: T, b: T) => number,
    options: ExternalSortOptions = {},
  ) {
    this.runSize = options.runSize ?? 5_000;
    this.maxOpenRuns = options.maxOpenRuns ?? 32;
    this.temporaryRoot = options.temporaryRoot ?? os.tmpdir();
    if (!Number.isInteger(this.runSize) || this.runSize < 1) throw new RangeError(`runSize must be a whole number of at least 1, not ${this.runSize}.`);
    if (!Number.isInteger(this.maxOpenRuns) || this.maxOpenRuns < 2) throw new RangeError(`maxOpenRuns must be a whole number of at least 2, not ${this.maxOpenRuns}.`);
  }

  /** The number of values added. */
  get count(): number {
    return this.added;
  }

  async add(value: T): Promise<void> {
    this.buffer.push(value);
    this.added += 1;
    if (this.buffer.length >= this.runSize) await this.writeBufferAsRun();
  }

  /** Yields every added value in order. Values added after the first call are not yielded. */
  async *sorted(): AsyncGenerator<T> {
    if (this.runs.length === 0) {
      const values = this.buffer.sort(this.compare);
      this.buffer = [];
      yield* values;
      return;
    }
    if (this.buffer.length > 0) await this.writeBufferAsRun();
    while (this.runs.length > this.maxOpenRuns) {
      const inputs = this.runs.splice(0, this.maxOpenRuns);
      this.runs.push(await this.writeRun(this.merge(inputs)));
      await Promise.all(inputs.map((file) => rm(file, { force: true })));
    }
    yield* this.merge(this.runs);
  }

  /** Removes the temporary runs. */
  async dispose(): Promise<void> {
    this.buffer = [];
    this.runs = [];
    if (this.folder) await rm(this.folder, { recursive: true, force: true });
    this.folder = undefined;
  }

  private async writeBufferAsRun(): Promise<void> {
    const values = this.buffer.sort(this.compare);
    this.buffer = [];
    this.runs.push(await this.writeRun(values));
  }

  /** Writes sorted values to a new run file, one JSON value per line, and returns the file's path. */
  private async writeRun(values: Iterable<T> | AsyncIterable<T>): Promise<string> {
    try {
      this.folder ??= await mkdtemp(path.join(this.temporaryRoot, 'avvik-sort-'));
    } catch (error) {
      throw this.writeError(path.join(this.temporaryRoot, 'avvik-sort-*'), error);
    }
    this.runsCreated += 1;
    const file = path.join(this.folder, `run-${this.runsCreated}.jsonl`);
    const handle = await open(file, 'wx').catch((error: unknown) => {
      throw this.writeError(file, error);
    });
    // Only failures of the writes themselves are reported as write failures, not those of reading the values.
    const write = (text: string) =>
      handle.writeFile(text, 'utf8').catch((error: unknown) => {
        throw this.writeError(file, error);
      });
    try {
      let pending = '';
      for await (const value of values) {
        pending += `${JSON.stringify(value)}\n`;
        if (pending.length >= WRITE_CHUNK_CHARACTERS) {
          await write(pending);
          pending = '';
        }
      }
      if (pending.length > 0) await write(pending);
    } finally {
      await handle.close();
    }
    return file;
  }

  private writeError(file: string, error: unknown): Error {
    const failure = describeWriteFailure(error);
    let advice = 'Set TMPDIR to a folder that exists and allows writing';
    if (failure.kind === 'space') advice = `Free space in ${this.temporaryRoot}, or set TMPDIR to a folder with more space`;
    if (failure.kind === 'file-size-limit') advice = 'Raise the file size limit (`ulimit -f`)';
    return new Error(`Writing the temporary sort file ${file} failed, because ${failure.reason}. ${advice}, and run the command again.`, { cause: error });
  }

  /** Merges sorted run files with a binary heap of each run's next value. */
  private async *merge(files: string[]): AsyncGenerator<T> {
    const sources = files.map((file) => readLines(file));
    const heap: { value: T; source: AsyncGenerator<string> }[] = [];
    const before = (i: number, j: number) => this.compare(heap[i]!.value, heap[j]!.value) < 0;
    const swap = (i: number, j: number) => ([heap[i], heap[j]] = [heap[j]!, heap[i]!]);
    const siftDown = (start: number) => {
      for (let i = start; ; ) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && before(left, smallest)) smallest = left;
        if (right < heap.length && before(right, smallest)) smallest = right;
        if (smallest === i) return;
        swap(i, smallest);
        i = smallest;
      }
    };
    const siftUp = (start: number) => {
      for (let i = start; i > 0 && before(i, (i - 1) >> 1); i = (i - 1) >> 1) swap(i, (i - 1) >> 1);
    };

    try {
      for (const source of sources) {
        const first = await source.next();
        if (first.done) continue;
        heap.push({ value: JSON.parse(first.value) as T, source });
        siftUp(heap.length - 1);
      }
      while (heap.length > 0) {
        const top = heap[0]!;
        yield top.value;
        const next = await top.source.next();
        if (next.done) {
          const last = heap.pop()!;
          if (heap.length === 0) break;
          heap[0] = last;
        } else {
          top.value = JSON.parse(next.value) as T;
        }
        siftDown(0);
      }
    } finally {
      // Closes the file of every run, also when the caller stops early.
      await Promise.all(sources.map((source) => source.return(undefined)));
    }
  }
}

/** Yields the lines of a file, without their line feeds, reading one chunk at a time. */
async function* readLines(file: string): AsyncGenerator<string> {
  const handle = await open(file, 'r');
  try {
    const chunk = Buffer.alloc(READ_CHUNK_BYTES);
    const decoder = new StringDecoder('utf8');
    let rest = '';
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const lines = (rest + decoder.write(chunk.subarray(0, bytesRead))).split('\n');
      rest = lines.pop()!;
      yield* lines;
    }
    rest += decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    await handle.close();
  }
}
