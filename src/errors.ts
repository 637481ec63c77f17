/**
 * Errors with a stable code for programs and a message for people.
 * A DeclarationFileError means the file itself cannot be read: retrying will not help,
 * so the job fails at once. Every other error is treated as transient and retried.
 */

export const FILE_ERROR_CODES = [
  'empty-file',
  'file-too-large',
  'unsupported-format',
  'legacy-xls',
  'truncated-file',
  'encrypted-workbook',
  'encrypted-pdf',
  'corrupt-file',
  'no-text-layer',
  'no-requirement-table',
  'too-many-requirements',
  'parser-error',
  'invalid-data',
] as const;

export type FileErrorCode = (typeof FILE_ERROR_CODES)[number];

export class DeclarationFileError extends Error {
  override readonly name = 'DeclarationFileError';

  constructor(
    readonly code: FileErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDeclarationFileError(error: unknown): error is DeclarationFileError {
  return error instanceof DeclarationFileError;
}

/** Wraps an unexpected error from reading a file: a fault in Avvik rather than in the file. */
export function parserFault(fileName: string, cause: unknown): DeclarationFileError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new DeclarationFileError(
    'parser-error',
    `Avvik failed while reading ${fileName} (${reason}). This is a fault in Avvik rather ` +
      'than in the file: keep the file, report it to the Avvik team, and ingest it again after an update.',
    { cause },
  );
}
