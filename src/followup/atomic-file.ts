/**
 * A file written under a temporary name in its own folder and renamed into place only when every
 * byte is written and synced. A failed write therefore leaves no complete-looking file, and an
 * earlier file of the same name stays as it was, because POSIX rename() replaces a file atomically.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { describeWriteFailure, type WriteFailure } from './write-failure.ts';

const WRITE_CHUNK_CHARACTERS = 64 * 1024;

/** A failed write of an AtomicFile, with the file it was meant for. */
export class AtomicWriteError extends Error {
  readonly failure: WriteFailure;

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    const failure = describeWriteFailure(cause);
    super(`Writing ${file} failed, because ${failure.reason}.`, { cause });
    this.name = 'AtomicWriteError';
    this.failure = failure;
  }
}

export class AtomicFile {
  private pending = '';
  private handle: FileHandle | null;

  private constructor(
    /** The path the file gets once published. */
    readonly file: string,
    /** The hidden path that the file is written to until then. */
    readonly temporaryFile: string,
    handle: FileHandle,
  ) {
    this.handle = handle;
  }

  /** Creates the temporary file beside `file`. Throws AtomicWriteError. */
  static async create(file: string): Promise<AtomicFile> {
    const temporaryFile = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      return new AtomicFile(file, temporaryFile, await open(temporaryFile, 'wx'));
    } catch (error) {
      throw new AtomicWriteError(file, error);
    }
  }

  /** Appends text, which is written in chunks of about 64 K characters. Throws AtomicWriteError. */
  async write(text: string): Promise<void> {
    this.pending += text;
    if (this.pending.length >= WRITE_CHUNK_CHARACTERS) await this.flush();
  }

  /** Writes the rest, syncs the file to disk and closes it. Throws AtomicWriteError. */
  async finish(): Promise<void> {
    await this.flush();
    const handle = this.openHandle();
    this.handle = null;
    try {
      await handle.sync();
    } catch (error) {
      await handle.close().catch(() => {});
      throw new AtomicWriteError(this.file, error);
    }
    try {
      await handle.close();
    } catch (error) {
      throw new AtomicWriteError(this.file, error);
    }
  }

  /** Renames the finished file into place, replacing any file of that name. Throws AtomicWriteError. */
  async publish(): Promise<void> {
    if (this.handle) throw new Error(`${this.file} is published before it is finished; call finish() first.`);
    try {
      await rename(this.temporaryFile, this.file);
    } catch (error) {
      throw new AtomicWriteError(this.file, error);
    }
  }

  /** Closes and removes the temporary file, ignoring failures, so that it is never left looking complete. */
  async discard(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    this.pending = '';
    await handle?.close().catch(() => {});
    await rm(this.temporaryFile, { force: true }).catch(() => {});
  }

  private async flush(): Promise<void> {
    const text = this.pending;
    this.pending = '';
    if (text.length === 0) return;
    try {
      // On Node.js 20, writeFile on a handle writes at the current position and repeats short writes.
      await this.openHandle().writeFile(text, 'utf8');
    } catch (error) {
      throw new AtomicWriteError(this.file, error);
    }
  }

  private openHandle(): FileHandle {
    if (!this.handle) throw new Error(`${this.file} is already finished or discarded.`);
    return this.handle;
  }
}
