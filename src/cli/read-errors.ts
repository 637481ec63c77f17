const REASONS: Record<string, string> = {
  ENOENT: 'does not exist',
  EISDIR: 'is a folder, not a file; use `avvik import FOLDER` for a folder of declarations',
  EACCES: 'cannot be read: permission denied',
  EPERM: 'cannot be read: permission denied',
};

/**
 * Describes why a file given on the command line could not be read, or returns null for an
 * error that is not about reading the file.
 */
export function describeReadError(file: string, error: unknown): { code: 'file-not-readable'; message: string } | null {
  const code = (error as NodeJS.ErrnoException).code;
  if (!code || !(code in REASONS || code.startsWith('E'))) return null;
  const reason = REASONS[code] ?? `cannot be read (${code})`;
  return { code: 'file-not-readable', message: `${file} ${reason}. Check the path and run the command again.` };
}
