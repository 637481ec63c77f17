import fs from 'node:fs';
import { displayableFileName, tooLargeMessage } from '../ingest/intake.ts';

const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder, not a file; use `avvik import FOLDER` for a folder of declarations',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: permission denied',
  ELOOP: 'is a symbolic link that leads, through other links, back to itself',
};

/**
 * Describes why a file given on the command line could not be read, or returns null for an
 * error that is not about reading the file.
 */
export function describeReadError(file: string, error: unknown): { code: 'file-not-readable'; message: string } | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code || !(code in REASONS || code.startsWith('E'))) return null;
  // Node reads a name that is not valid UTF-8 with U+FFFD in place of the bytes it cannot
  // decode, and no file has that name, so the file seems missing although it is there.
  if (code === 'ENOENT' && file.includes('\uFFFD')) {
    return {
      code: 'file-not-readable',
      message: `${file} cannot be opened: its name is not valid UTF-8, so Node.js cannot name it. Rename the file with plain letters and run the command again.`,
    };
  }
  const target = code === 'ENOENT' ? danglingLinkTarget(file) : null;
  if (target !== null) {
    return {
      code: 'file-not-readable',
      message: `${file} is a symbolic link to ${target}, which does not exist. Point the link at the declaration or remove it, and run the command again.`,
    };
  }
  const reason = REASONS[code] ?? `cannot be read (${code})`;
  return { code: 'file-not-readable', message: `${file} ${reason}. Check the path and run the command again.` };
}

/** Returns the target of a symbolic link, or null when the file is not a link. The caller got ENOENT, so the target is missing. */
function danglingLinkTarget(file: string): string | null {
  try {
    return fs.lstatSync(file).isSymbolicLink() ? fs.readlinkSync(file) : null;
  } catch {
    return null;
  }
}

/** A declaration file read from disk, or the reason it was not read. */
export type ReadDeclaration = { bytes: Buffer } | { error: { code: string; message: string } };

/**
 * Reads a file given on the command line after checking its size, so that a file over `maxBytes`
 * is never held in memory. A file of several hundred MiB took gigabytes, and one of 1 GiB or more
 * cannot be read into a string at all. A device or pipe is not read. Other errors are thrown.
 */
export async function readDeclarationFile(file: string, maxBytes: number): Promise<ReadDeclaration> {
  try {
    const stats = await fs.promises.stat(file);
    // A device or a named pipe reports size 0 and can be read without end, as /dev/zero can. A
    // folder goes on to readFile, whose EISDIR describeReadError words.
    if (!stats.isFile() && !stats.isDirectory()) {
      return { error: { code: 'file-not-readable', message: `${file} is not a regular file but a device, pipe or socket. Give the declaration file itself.` } };
    }
    const { size } = stats;
    if (size > maxBytes) return { error: { code: 'file-too-large', message: `${tooLargeMessage(displayableFileName(file), size, maxBytes)} The file was not read.` } };
    return { bytes: await fs.promises.readFile(file) };
  } catch (error) {
    const readError = describeReadError(file, error);
    if (!readError) throw error;
    return { error: readError };
  }
}
